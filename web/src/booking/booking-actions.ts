/**
 * What the person does from the booking page, each through the shared `act` helper: book (v3:
 * confirm the hold on the selection, see `use-hold.ts`), move, cancel, cancel the rest of a
 * series, check in. A selection is checked with the shared
 * `policyViolation` before it is sent (the same sentence the server's answer would bring); on
 * failure the error is worded for the resource, and what the failure shows to be stale is read
 * again; an `UNAUTHORIZED` answer signs the page out.
 */
import { APPROVABLE_RULES, policyViolation } from '@booking/shared';
import {
  approvableSentence,
  createAct,
  describeApprovable,
  describeCheckInError,
  describeConfirmError,
  describeError,
  isApprovable,
  policyRuleSentence,
} from '@booking/client';
import type { Booking, Policy, PolicyRule, Resource } from '@booking/shared';
import type { Act, ClientError, ErrorContext } from '@booking/client';
import type { BookingCommands } from '../connection/booking-client';
import { requestedSentence } from './approval-actions';
import type { ApprovalTarget } from './approval-actions';
import { quantitySuffix } from './capacity';
import { formatRange } from './local-grid';
import { randomKey } from './random-key';
import { describeAccessError } from './resource-access';
import { translate } from '../i18n';

/** Codes after which the grid and the person's bookings are read again. */
const STALE_CODES: ReadonlySet<string> = new Set(['SLOT_TAKEN', 'NOT_FOUND', 'INVALID_STATE', 'POLICY_VIOLATION']);

export interface BookingActionsInput {
  send: BookingCommands | null;
  resource: Resource | null;
  resources: Resource[];
  zone: string;
  policy: Policy;
  range: { start: number; end: number } | null;
  /** Units to book (sent only for a resource of several units). */
  quantity: number;
  /** (v3) The booking's title as typed (sent trimmed when not empty). */
  title: string;
  selectedBooking: Booking | null;
  selectedBookingId: string | null;
  /** Clears the selection and the selected booking. */
  clear(): void;
  clearRange(): void;
  selectBooking(id: string): void;
  setError(text: string | null): void;
  setPending(on: boolean): void;
  toast(text: string): void;
  /** Re-reads the person's bookings. */
  reloadMine(): void;
  /** Re-reads the grid's availability. */
  refreshGrid(): void;
  /** (v3) The hold on the selection, while it is held: Book confirms it. */
  hold: Booking | null;
  /** A hold or offer was confirmed: it is a booking now, no longer a hold to let go. */
  onConfirmed(bookingId: string): void;
  onSignOut(why: string): void;
  /** (v3) The person approves bookings of `resource` (staff, or one of its approvers): nothing needs approval. */
  approver: boolean;
  /** (v3) A refusal of this time may be asked for approval instead ("Request approval"). */
  offerApproval(target: ApprovalTarget): void;
}

export interface BookingActions {
  book(): void;
  move(): void;
  cancel(booking: Booking): void;
  cancelSeries(booking: Booking): void;
  checkIn(bookingId: string): void;
}

/**
 * The page's `act`: errors worded by `describe` (the shared `describeError` by default) for the
 * resource, an `UNAUTHORIZED` answer signs out, and what a failure shows to be stale is read again.
 */
export function pageAct(
  i: Pick<
    BookingActionsInput,
    'resource' | 'setError' | 'setPending' | 'toast' | 'reloadMine' | 'refreshGrid' | 'onSignOut'
  >,
  describe: (e: ClientError, context: ErrorContext) => string = describeError,
  onFail?: (e: ClientError) => void,
): Act {
  return createAct({
    begin: () => {
      i.setError(null);
      i.setPending(true);
    },
    end: () => i.setPending(false),
    say: i.toast,
    done: i.reloadMine,
    fail: (e) => {
      if (e.code === 'UNAUTHORIZED') return i.onSignOut(describeError(e));
      i.setError(describeAccessError(e) ?? describe(e, { resource: i.resource }));
      onFail?.(e);
      if (STALE_CODES.has(e.code)) {
        i.refreshGrid();
        i.reloadMine();
      }
    },
  });
}

/**
 * Book on a held selection: the hold is confirmed. A hold is taken before a title is typed, so a
 * title is then set on the booking it became (the confirmed booking stands if that fails).
 */
async function confirmWithTitle(send: NonNullable<BookingActionsInput['send']>, holdId: string, title: string) {
  const confirmed = await send('booking:confirm', { bookingId: holdId });
  if (!confirmed.ok || !title) return confirmed;
  const { booking } = confirmed.data;
  const titled = await send('booking:modify', { bookingId: booking.id, start: booking.start, end: booking.end, title });
  return titled.ok ? titled : confirmed;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function bookingActions(i: BookingActionsInput): BookingActions {
  const { send, resource, range, selectedBooking, zone } = i;
  const begin = () => {
    i.setError(null);
    i.setPending(true);
  };
  const act = pageAct(i);
  /** A refused Book that an approver may override offers "Request approval" for what was selected. */
  const target: ApprovalTarget | null =
    resource && range ? { resourceId: resource.id, start: range.start, end: range.end, quantity: i.quantity } : null;
  const offerIfApprovable = (e: ClientError) => {
    if (target && isApprovable(e)) i.offerApproval(target);
  };
  const bookAct = pageAct(i, describeApprovable, offerIfApprovable);
  const confirmAct = pageAct(
    i,
    (e, context) => (isApprovable(e) ? describeApprovable(e, context) : describeConfirmError(e, context)),
    offerIfApprovable,
  );
  /** What Book says: booked, or (v3) requested when the booking came back awaiting approval. */
  const booked = (booking: Booking) =>
    booking.status === 'pending'
      ? requestedSentence(booking, resource ?? undefined, zone)
      : translate('toast.booked', {
          name: resource?.name ?? '',
          quantity: quantitySuffix(booking.quantity),
          range: formatRange(booking.start, booking.end, zone),
        });
  // A check-in's answer re-reads the bookings either way and words its own errors.
  const checkInAct = createAct({
    begin,
    end: () => {
      i.setPending(false);
      i.reloadMine();
    },
    say: i.toast,
    fail: (e) => (e.code === 'UNAUTHORIZED' ? i.onSignOut(describeError(e)) : i.setError(describeCheckInError(e))),
  });

  /**
   * The shared rules, before sending: the same sentence the server's answer would bring. (v3) A
   * rule an approver may override under `outsidePolicy` offers "Request approval" (`booking`).
   */
  const checkRules = (start: number, end: number, booking = false): boolean => {
    const rule: PolicyRule | null = policyViolation({
      policy: i.policy,
      timeZone: zone,
      start: new Date(start),
      end: new Date(end),
      now: new Date(),
      staff: false,
    });
    if (!rule) return true;
    const approvable =
      booking && !i.approver && i.policy.approval?.required === 'outsidePolicy' && APPROVABLE_RULES.includes(rule);
    i.setError(`${policyRuleSentence(rule, resource)}${approvable ? ` ${approvableSentence()}` : ''}`);
    if (approvable && target) i.offerApproval(target);
    return false;
  };
  const title = i.title.trim();

  return {
    book: () => {
      if (!send || !resource || !range || !checkRules(range.start, range.end, true)) return;
      // Only the hold of exactly what is selected is confirmed.
      const hold =
        i.hold &&
        i.hold.resourceId === resource.id &&
        Date.parse(i.hold.start) === range.start &&
        Date.parse(i.hold.end) === range.end
          ? i.hold
          : null;
      if (hold) {
        // The selection is held for this person: Book confirms the hold (nothing can take it now).
        void confirmAct(
          () => confirmWithTitle(send, hold.id, title),
          ({ booking }) => {
            i.onConfirmed(booking.id);
            i.clear();
            i.selectBooking(booking.id);
            return booked(booking);
          },
        );
        return;
      }
      // No hold (it could not be taken, say over the holds one may have at once): book directly.
      void bookAct(
        () =>
          send('booking:create', {
            resourceId: resource.id,
            start: iso(range.start),
            end: iso(range.end),
            ...(resource.capacity > 1 ? { quantity: i.quantity } : {}),
            ...(title ? { title } : {}),
            idempotencyKey: randomKey(),
          }),
        ({ booking }) => {
          i.clear();
          i.selectBooking(booking.id);
          return booked(booking);
        },
      );
    },
    move: () => {
      if (!send || !selectedBooking || !range || !checkRules(range.start, range.end)) return;
      void act(
        () => send('booking:modify', { bookingId: selectedBooking.id, start: iso(range.start), end: iso(range.end) }),
        ({ booking }) => {
          i.clearRange();
          // (v3) Under approval 'always' a move is asked again at the new time.
          const range = formatRange(booking.start, booking.end, zone);
          return booking.status === 'pending'
            ? translate('toast.movedRequested', { range })
            : translate('toast.moved', { range });
        },
      );
    },
    cancel: (booking) => {
      if (!send) return;
      void act(
        () => send('booking:cancel', { bookingId: booking.id }),
        () => {
          if (i.selectedBookingId === booking.id) i.clear();
          const owner = i.resources.find((r) => r.id === booking.resourceId);
          return translate('toast.cancelled', {
            range: formatRange(booking.start, booking.end, owner?.timeZone ?? zone),
          });
        },
      );
    },
    /** Cancels this occurrence and every later one of its series. */
    cancelSeries: (booking) => {
      if (!send || !booking.seriesId) return;
      const seriesId = booking.seriesId;
      void act(
        () => send('booking:cancelSeries', { seriesId, from: booking.start }),
        ({ bookings }) => {
          if (bookings.some((b) => b.id === i.selectedBookingId)) i.clear();
          return translate('toast.cancelledSeries', { count: bookings.length });
        },
      );
    },
    /** "I am here": keeps a booking on a room with check-in from being released. */
    checkIn: (bookingId) => {
      if (!send) return;
      void checkInAct(() => send('booking:checkIn', { bookingId }), translate('toast.checkedIn'));
    },
  };
}
