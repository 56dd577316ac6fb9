/**
 * The one writer of a change's records, inside its transaction: the audit event(s) with the actor
 * (booking history) and the outbox entry the notifier relays (docs/design.md "Booking"). Every
 * operation (single, series, attendance) records through here, so what an entry holds is spelled
 * once. Each method makes the same writes, in the same order, as the change paths did.
 */
import type { ClientSession } from 'mongoose';
import type {
  Actor,
  Booking,
  BookingEvent,
  NotificationType,
  Repeat,
  SkippedOccurrence,
  SlotChange,
} from '@booking/shared';
import type { Principal } from '../auth/auth.service';
import type { BookingDoc } from './booking.model';
import { toWireBooking } from './booking.store';
import type { NewBooking } from './booking.store';
import type { BookingDeps, Committed, CommittedChange } from './booking.types';

/** The notifications of one booking's change (a series has its own; a reminder is no change). */
export type SingleNotification = Exclude<Extract<NotificationType, `booking.${string}`>, 'booking.reminder'>;

/**
 * What one booking's change records in the outbox: a notification, (v3) `waitlist.offered`, or
 * `booking.held`, a hold's record that only schedules its expiry (no email, no notice). A
 * `booking.requested` is one entry per approver (`recipients`).
 */
export type RecordedType = SingleNotification | 'waitlist.offered' | 'booking.held';

type HistoryAction = BookingEvent['action'];

const ACTIONS = {
  'booking.confirmed': 'create',
  'booking.modified': 'modify',
  'booking.cancelled': 'cancel',
  'booking.released': 'cancel',
  'waitlist.offered': 'offer',
  'booking.held': 'hold',
  'booking.requested': 'request',
  'booking.approved': 'approve',
  'booking.declined': 'decline',
  'booking.expired': 'expire',
} as const satisfies Record<RecordedType, HistoryAction>;

/** What one booking's transaction committed, before it is turned into a change. */
export interface TxOutcome {
  doc: BookingDoc;
  version: number;
  previous?: { start: Date; end: Date };
  zone: CommittedChange['zone'];
  /** (v3) The waitlist offers the same transaction made with the units this change freed. */
  offers?: CommittedChange[];
}

type StoredSkip = {
  start: Date;
  end: Date;
  code: SkippedOccurrence['code'];
  rule?: NonNullable<SkippedOccurrence['rule']>;
};

export interface BookingRecorder {
  /** One booking's change: the audit event and the outbox entry; what it committed, as facts. */
  change(
    session: ClientSession,
    o: {
      /** Null: a change nobody is told of (a hold that ran out), audited only. */
      type: RecordedType | null;
      /** The audit action when it is not the type's own (a confirmed hold: `confirm`; an expiry: `expire`). */
      action?: HistoryAction;
      doc: BookingDoc;
      version: number;
      previous?: { start: Date; end: Date };
      zone: string;
      /** Null for the system (a no-show release). */
      actor: Principal | null;
      /** A no-show release: when the check-in window closed. */
      checkInBy?: Date;
      /** (v3) `booking.requested`: the approvers told, one outbox entry each (the owner is not told). */
      recipients?: readonly string[];
      /** The booking was inserted with this change's audit event in it (`firstEvent`): no `bookingEvents` write. */
      embedded?: boolean;
    },
  ): Promise<TxOutcome>;
  /** The audit event a new booking stores in its document (`NewBooking.firstEvent`) for the change `type`. */
  firstEvent(type: RecordedType, actor: Principal | null, at: Date): NonNullable<NewBooking['firstEvent']>;
  /** A booked series: one audit event per occurrence, one `series.confirmed` entry (no per-occurrence confirmations). */
  seriesBooked(
    session: ClientSession,
    o: {
      docs: BookingDoc[];
      actor: Principal;
      at: Date;
      userId: string;
      resourceId: string;
      start: Date;
      end: Date;
      version: number;
      seriesId: string;
      repeat: Repeat;
      count: number;
      skipped: StoredSkip[];
      /** (v3) The occurrences are requests: each approver gets one `booking.requested` for the series instead. */
      approvers?: readonly string[];
    },
  ): Promise<void>;
  /** A cancelled series: one audit event per occurrence, one `series.cancelled` entry. */
  seriesCancelled(
    session: ClientSession,
    o: {
      docs: BookingDoc[];
      /** Null for the system: (v3) the rest of a series cancelled after its check-in strikes. */
      actor: Principal | null;
      at: Date;
      userId: string;
      resourceId: string;
      version: number;
      seriesId: string;
    },
  ): Promise<void>;
  /**
   * A check-in: the audit event and (v3) a `booking.checkedIn` entry, a webhook event only (nothing
   * about the slot changed: no email, no notice). `version` is the resource's committed version
   * (not bumped), so the event follows the changes committed before it in its resource's stream.
   */
  checkedIn(
    session: ClientSession,
    o: { bookingId: string; doc: BookingDoc; actor: Principal; at: Date; version: number },
  ): Promise<void>;
  /** A reminder: the outbox entry only, at the booking's last version (a reminder is no change). */
  reminded(
    session: ClientSession,
    o: { bookingId: string; doc: BookingDoc; at: Date; checkInBy: Date | null },
  ): Promise<void>;
  /** A single change as the command answers it, with the change to broadcast (and its offers after it). */
  committed(outcome: TxOutcome, change: SlotChange): Committed<Booking>;
}

export const actorOf = (p: Principal): Actor => ({ id: p.id, name: p.name, role: p.role });

/** An occurrence of a series changes within the series' calendar event (RECURRENCE-ID). */
const seriesFields = (doc: BookingDoc) =>
  doc.seriesId ? { seriesId: doc.seriesId.toHexString(), recurrenceId: doc.recurrenceId ?? doc.start } : {};

/** (v3) The booking's title in its outbox entries (its owner's mails and the webhook payload name it). */
const titled = (doc: Pick<BookingDoc, 'title'>) => (doc.title ? { title: doc.title } : {});

type RecorderDeps = Pick<BookingDeps, 'history' | 'outbox' | 'clock' | 'logger'>;
type Args<K extends keyof BookingRecorder> = Parameters<BookingRecorder[K]>[1];

/** One audit event per booking, all at `at`. */
function audit(
  { history }: RecorderDeps,
  session: ClientSession,
  docs: BookingDoc[],
  o: { action: 'create' | 'cancel' | 'request'; actor: Principal | null; at: Date },
) {
  return history.appendMany(
    docs.map((d) => ({
      bookingId: d._id.toHexString(),
      at: o.at,
      action: o.action,
      actor: o.actor ? actorOf(o.actor) : null,
      start: d.start,
      end: d.end,
      status: d.status,
    })),
    session,
  );
}

async function recordChange(deps: RecorderDeps, session: ClientSession, o: Args<'change'>): Promise<TxOutcome> {
  const { history, outbox, clock } = deps;
  const rid = o.doc.resourceId.toHexString();
  const action = o.action ?? (o.type ? ACTIONS[o.type] : 'expire');
  if (!o.embedded)
    await history.append(
      {
        bookingId: o.doc._id.toHexString(),
        at: clock.now(),
        action,
        actor: o.actor ? actorOf(o.actor) : null,
        start: o.doc.start,
        end: o.doc.end,
        status: o.doc.status,
      },
      session,
    );
  const held =
    (o.doc.status === 'held' || o.doc.status === 'pending') && o.doc.expiresAt ? { expiresAt: o.doc.expiresAt } : {};
  const entry = (type: RecordedType, recipientId?: string) => ({
    type,
    bookingId: o.doc._id.toHexString(),
    userId: o.doc.userId.toHexString(),
    resourceId: rid,
    start: o.doc.start,
    end: o.doc.end,
    ...(o.previous ? { previous: o.previous } : {}),
    ...(o.checkInBy ? { checkInBy: o.checkInBy } : {}),
    quantity: o.doc.quantity ?? 1,
    version: o.version,
    createdAt: clock.now(),
    ...seriesFields(o.doc),
    ...titled(o.doc),
    ...held,
    ...(o.doc.status === 'declined' && o.doc.declineReason ? { declineReason: o.doc.declineReason } : {}),
    ...(recipientId ? { recipientId } : {}),
  });
  // A request is told to its approvers (each their own entry, job and email), not to its owner;
  // with nobody to tell, a timer-only record still schedules its expiry.
  if (o.type === 'booking.requested') {
    const told = (o.recipients ?? []).map((id) => entry('booking.requested', id));
    await outbox.appendMany(told.length > 0 ? told : [entry('booking.held')], session);
  } else if (o.type) await outbox.append(entry(o.type), session);
  return { doc: o.doc, version: o.version, ...(o.previous ? { previous: o.previous } : {}), zone: o.zone };
}

async function recordSeriesBooked(deps: RecorderDeps, session: ClientSession, o: Args<'seriesBooked'>): Promise<void> {
  await audit(deps, session, o.docs, { action: o.approvers ? 'request' : 'create', actor: o.actor, at: o.at });
  const firstDoc = o.docs[0];
  if (!firstDoc) return;
  if (o.approvers) {
    // A series of requests: each approver hears of it once, with every occurrence listed.
    await deps.outbox.appendMany(
      o.approvers.map((recipientId) => ({
        type: 'booking.requested' as const,
        bookingId: firstDoc._id.toHexString(),
        userId: o.userId,
        recipientId,
        resourceId: o.resourceId,
        start: firstDoc.start,
        end: firstDoc.end,
        version: o.version,
        createdAt: o.at,
        seriesId: o.seriesId,
        quantity: firstDoc.quantity ?? 1,
        ...titled(firstDoc),
        ...(firstDoc.expiresAt ? { expiresAt: firstDoc.expiresAt } : {}),
        occurrences: o.docs.map((d) => ({ start: d.start, end: d.end, recurrenceId: d.start })),
      })),
      session,
    );
    return;
  }
  await deps.outbox.append(
    {
      type: 'series.confirmed',
      bookingId: firstDoc._id.toHexString(),
      userId: o.userId,
      resourceId: o.resourceId,
      start: o.start,
      end: o.end,
      version: o.version,
      createdAt: o.at,
      seriesId: o.seriesId,
      quantity: firstDoc.quantity ?? 1,
      ...titled(firstDoc),
      occurrences: o.docs.map((d) => ({ start: d.start, end: d.end, recurrenceId: d.start })),
      series: { repeat: o.repeat, count: o.count, skipped: o.skipped },
    },
    session,
  );
}

async function recordSeriesCancelled(
  deps: RecorderDeps,
  session: ClientSession,
  o: Args<'seriesCancelled'>,
): Promise<void> {
  await audit(deps, session, o.docs, { action: 'cancel', actor: o.actor, at: o.at });
  const firstDoc = o.docs[0];
  if (!firstDoc) return;
  await deps.outbox.append(
    {
      type: 'series.cancelled',
      bookingId: firstDoc._id.toHexString(),
      userId: o.userId,
      resourceId: o.resourceId,
      start: firstDoc.start,
      end: firstDoc.end,
      version: o.version,
      createdAt: o.at,
      seriesId: o.seriesId,
      quantity: firstDoc.quantity ?? 1,
      ...titled(firstDoc),
      occurrences: o.docs.map((d) => ({ start: d.start, end: d.end, recurrenceId: d.recurrenceId ?? d.start })),
    },
    session,
  );
}

async function recordCheckedIn(
  { history, outbox }: RecorderDeps,
  session: ClientSession,
  o: Args<'checkedIn'>,
): Promise<void> {
  await outbox.append(
    {
      type: 'booking.checkedIn',
      bookingId: o.bookingId,
      userId: o.doc.userId.toHexString(),
      resourceId: o.doc.resourceId.toHexString(),
      start: o.doc.start,
      end: o.doc.end,
      version: o.version,
      createdAt: o.at,
      ...seriesFields(o.doc),
      ...titled(o.doc),
      quantity: o.doc.quantity ?? 1,
    },
    session,
  );
  await history.append(
    {
      bookingId: o.bookingId,
      at: o.at,
      action: 'checkIn',
      actor: actorOf(o.actor),
      start: o.doc.start,
      end: o.doc.end,
      status: o.doc.status,
    },
    session,
  );
}

async function recordReminded({ outbox }: RecorderDeps, session: ClientSession, o: Args<'reminded'>): Promise<void> {
  const { bookingId } = o;
  await outbox.append(
    {
      type: 'booking.reminder',
      bookingId,
      userId: o.doc.userId.toHexString(),
      resourceId: o.doc.resourceId.toHexString(),
      start: o.doc.start,
      end: o.doc.end,
      // Not a change: the calendar event keeps the sequence of the booking's last change.
      version: await outbox.lastVersion(bookingId, session),
      createdAt: o.at,
      ...seriesFields(o.doc),
      ...(o.checkInBy ? { checkInBy: o.checkInBy } : {}),
      ...titled(o.doc),
      quantity: o.doc.quantity ?? 1,
    },
    session,
  );
}

function committedChange({ clock, logger }: RecorderDeps, outcome: TxOutcome, change: SlotChange): Committed<Booking> {
  const { doc } = outcome;
  logger.debug({ bookingId: doc._id.toHexString(), version: outcome.version, change }, 'committed');
  return {
    result: toWireBooking(doc, clock.now()),
    changes: [
      {
        resourceId: doc.resourceId.toHexString(),
        bookingId: doc._id.toHexString(),
        userId: doc.userId.toHexString(),
        change,
        start: doc.start,
        end: doc.end,
        ...(outcome.previous ? { previous: outcome.previous } : {}),
        version: outcome.version,
        zone: outcome.zone,
        status: doc.status,
        quantity: doc.quantity ?? 1,
        ...((doc.status === 'held' || doc.status === 'pending') && doc.expiresAt ? { expiresAt: doc.expiresAt } : {}),
        ...(doc.title ? { title: doc.title } : {}),
      },
      // After the change itself, in version order: each offer's version follows it.
      ...(outcome.offers ?? []),
    ],
  };
}

/** Each method is one step above, on the same stores. */
export function createBookingRecorder(deps: RecorderDeps): BookingRecorder {
  return {
    change: (session, o) => recordChange(deps, session, o),
    firstEvent: (type, actor, at) => ({ at, action: ACTIONS[type], actor: actor ? actorOf(actor) : null }),
    seriesBooked: (session, o) => recordSeriesBooked(deps, session, o),
    seriesCancelled: (session, o) => recordSeriesCancelled(deps, session, o),
    checkedIn: (session, o) => recordCheckedIn(deps, session, o),
    reminded: (session, o) => recordReminded(deps, session, o),
    committed: (outcome, change) => committedChange(deps, outcome, change),
  };
}
