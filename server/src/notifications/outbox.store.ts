/**
 * The only code that touches the `outbox` collection. The booking service appends an entry in
 * its own transaction (so a committed change always has its notification recorded, with its
 * version); the relay reads the entries not yet handed over and stamps them; the worker stamps
 * them sent (after SMTP accepted) or failed (parked in the failed set).
 */
import { Types } from 'mongoose';
import type { ClientSession } from 'mongoose';
import { objectIdOrNull } from '../infra/ids';
import { isNotification } from './outbox.model';
import type { OutboxDoc, OutboxModel, OutboxType, SeriesOutline } from './outbox.model';

export type { SeriesOutline } from './outbox.model';

export interface OutboxEntry {
  type: OutboxType;
  bookingId: string;
  userId: string;
  resourceId: string;
  start: Date;
  end: Date;
  previous?: { start: Date; end: Date };
  /** The resource version the change produced. */
  version: number;
  createdAt: Date;
  /** A series notification, or a change of one occurrence of a series. */
  seriesId?: string;
  /** The changed occurrence's start as its series first booked it (the calendar's RECURRENCE-ID). */
  recurrenceId?: Date;
  /** `series.confirmed`: the booked occurrences; `series.cancelled`: the cancelled ones. */
  occurrences?: Array<{ start: Date; end: Date; recurrenceId: Date }>;
  /** `series.confirmed`: the rule (start/end above are its first occurrence) and what was skipped. */
  series?: SeriesOutline;
  /** `booking.reminder` (when the resource asks for check-in), `booking.released`: when the check-in window closes. */
  checkInBy?: Date;
  /** Units the booking takes after the change (a series: each occurrence's); 1 when absent. */
  quantity?: number;
  /** (v3) A hold or waitlist offer: until when it is held; a request: when it expires undecided. */
  expiresAt?: Date;
  /** (v3) Who is told, when not the booking's owner: an approver of a `booking.requested`. */
  recipientId?: string;
  /** (v3) `booking.declined`: the approver's reason, when given. */
  declineReason?: string;
  /** (v3) The booking's title, when it has one: its owner's mails name it ("<title> — <resource>"). */
  title?: string;
  /** (v3) `resource.updated`: the resource (wire form) as the change left it. */
  resource?: Record<string, unknown>;
}

export interface OutboxStore {
  /** Inside the change's transaction. */
  append(entry: OutboxEntry, session: ClientSession): Promise<void>;
  /** Several entries of one change in one write (a request's, one per approver), in order. */
  appendMany(entries: OutboxEntry[], session: ClientSession): Promise<void>;
  /**
   * The version of the booking's latest entry (0 when none is kept): what a notification that
   * changes nothing (a reminder) gives its calendar event as SEQUENCE.
   */
  lastVersion(bookingId: string, session?: ClientSession): Promise<number>;
  /** Entries not handed over yet, oldest first. */
  pending(limit: number): Promise<OutboxDoc[]>;
  markHandedOver(ids: string[], at: Date): Promise<void>;
  /** Entries handed over before `cutoff` and neither sent nor failed since (Redis may have lost their job), oldest first. */
  unsent(cutoff: Date, limit: number): Promise<OutboxDoc[]>;
  /** Stamps entries handed over again at `at`, so the next re-hand waits another while. */
  markHandedOverAgain(ids: string[], at: Date): Promise<void>;
  /** The SMTP server accepted the entry's mail (idempotent). */
  markSent(id: string, at: Date): Promise<void>;
  /** The entry's job parked in the failed set; it is not handed over again until it is sent. */
  markFailed(id: string, at: Date): Promise<void>;
}

function objectIds(ids: string[]) {
  return ids.flatMap((id) => {
    const oid = objectIdOrNull(id);
    return oid ? [oid] : [];
  });
}

/** An entry as stored, not yet handed over. */
const stored = (entry: OutboxEntry) => ({
  _id: new Types.ObjectId(),
  ...entry,
  bookingId: objectIdOrNull(entry.bookingId),
  userId: objectIdOrNull(entry.userId),
  resourceId: objectIdOrNull(entry.resourceId),
  ...(entry.seriesId ? { seriesId: objectIdOrNull(entry.seriesId) } : {}),
  ...(entry.recipientId ? { recipientId: objectIdOrNull(entry.recipientId) } : {}),
  handedOverAt: null,
  // A record only (timer, webhook) has nothing to send (outbox.model.ts `OutboxType`).
  sentAt: isNotification(entry) ? null : entry.createdAt,
  failedAt: null,
});

export function createOutboxStore(outbox: OutboxModel): OutboxStore {
  return {
    async append(entry, session) {
      // The driver's insertOne, not Model.create: written on every booking change, and the
      // booking service built every field (see BookingStore.insert).
      await outbox.collection.insertOne(stored(entry), { session, ignoreUndefined: true });
    },
    async appendMany(entries, session) {
      if (entries.length === 0) return;
      await outbox.collection.insertMany(entries.map(stored), { session, ordered: true, ignoreUndefined: true });
    },
    async lastVersion(bookingId, session) {
      const latest = await outbox
        .findOne({ bookingId: objectIdOrNull(bookingId) }, { version: 1 })
        .sort({ createdAt: -1 })
        .session(session ?? null)
        .lean<{ version: number }>();
      return latest?.version ?? 0;
    },
    pending: (limit) => outbox.find({ handedOverAt: null }).sort({ createdAt: 1 }).limit(limit).lean<OutboxDoc[]>(),
    async markHandedOver(ids, at) {
      await outbox.updateMany({ _id: { $in: objectIds(ids) }, handedOverAt: null }, { $set: { handedOverAt: at } });
    },
    // `sentAt: null` also matches entries written before the field existed.
    unsent: (cutoff, limit) =>
      outbox
        .find({ sentAt: null, failedAt: null, handedOverAt: { $ne: null, $lt: cutoff } })
        .sort({ handedOverAt: 1 })
        .limit(limit)
        .lean<OutboxDoc[]>(),
    async markHandedOverAgain(ids, at) {
      await outbox.updateMany({ _id: { $in: objectIds(ids) }, sentAt: null }, { $set: { handedOverAt: at } });
    },
    async markSent(id, at) {
      const oid = objectIdOrNull(id);
      if (oid) await outbox.updateOne({ _id: oid, sentAt: null }, { $set: { sentAt: at, failedAt: null } });
    },
    async markFailed(id, at) {
      const oid = objectIdOrNull(id);
      if (oid) await outbox.updateOne({ _id: oid, sentAt: null }, { $set: { failedAt: at } });
    },
  };
}
