/**
 * What the person does about holds and the waitlist (protocol v3) from the booking page: confirm a
 * hold or a waitlist offer from "My bookings", join the waitlist for a taken time, leave it. Each
 * goes through the page's `act` (see `booking-actions.ts`) with its own sentences for its errors.
 */
import { describeConfirmError, describeWaitlistError } from '@booking/client';
import type { Booking, Resource, WaitlistEntry } from '@booking/shared';
import type { BookingCommands } from '../connection/booking-client';
import type { BookingActionsInput } from './booking-actions';
import { pageAct } from './booking-actions';
import { quantitySuffix } from './capacity';
import { formatRange } from './local-grid';
import { translate } from '../i18n';

/** A time a person wants though it is taken: what `waitlist:join` sends. */
export interface WaitTarget {
  resourceId: string;
  start: number;
  end: number;
  quantity: number;
}

export interface HoldActionsInput extends Pick<
  BookingActionsInput,
  'resource' | 'setError' | 'setPending' | 'toast' | 'reloadMine' | 'refreshGrid' | 'onSignOut' | 'onConfirmed'
> {
  send: BookingCommands | null;
  resources: Resource[];
  /** The zone to write times in when the resource is not known. */
  zone: string;
  reloadWaitlist(): void;
  /** Joined: the page says so where the offer to join was. */
  onJoined(entry: WaitlistEntry): void;
}

export interface HoldActions {
  /** Confirms one's own hold or offer (only its id is needed: a notification's button has no more). */
  confirm(booking: Pick<Booking, 'id'>): void;
  joinWaitlist(target: WaitTarget): void;
  leaveWaitlist(entry: WaitlistEntry): void;
}

export function holdActions(i: HoldActionsInput): HoldActions {
  const { send } = i;
  const resourceOf = (id: string) => i.resources.find((r) => r.id === id) ?? null;
  const zoneOf = (id: string) => resourceOf(id)?.timeZone ?? i.zone;
  const withWaitlist = { ...i, reloadMine: () => (i.reloadMine(), i.reloadWaitlist()) };
  const confirmAct = pageAct(withWaitlist, describeConfirmError);
  const joinAct = pageAct(withWaitlist, describeWaitlistError);
  const leaveAct = pageAct(withWaitlist, (e, context) => describeWaitlistError(e, { ...context, leaving: true }));
  return {
    confirm: (booking) => {
      if (!send) return;
      void confirmAct(
        () => send('booking:confirm', { bookingId: booking.id }),
        ({ booking: b }) => {
          i.onConfirmed(b.id);
          return translate('toast.booked', {
            name: resourceOf(b.resourceId)?.name ?? '',
            quantity: quantitySuffix(b.quantity),
            range: formatRange(b.start, b.end, zoneOf(b.resourceId)),
          });
        },
      );
    },
    joinWaitlist: (target) => {
      if (!send) return;
      const capacity = resourceOf(target.resourceId)?.capacity ?? 1;
      void joinAct(
        () =>
          send('waitlist:join', {
            resourceId: target.resourceId,
            start: new Date(target.start).toISOString(),
            end: new Date(target.end).toISOString(),
            ...(capacity > 1 ? { quantity: target.quantity } : {}),
          }),
        ({ entry }) => {
          i.onJoined(entry);
          return translate('toast.joined');
        },
      );
    },
    leaveWaitlist: (entry) => {
      if (!send) return;
      void leaveAct(
        () => send('waitlist:leave', { entryId: entry.id }),
        () => translate('toast.left', { range: formatRange(entry.start, entry.end, zoneOf(entry.resourceId)) }),
      );
    },
  };
}
