/**
 * The only code that touches the `bookings` collection. Other capabilities (availability, admin,
 * resources) read bookings through this interface; writes happen only inside the booking
 * service's fenced transactions. Ids are strings at this boundary; one that is not a valid id
 * matches nothing.
 */
import { Types } from 'mongoose';
import type { ClientSession } from 'mongoose';
import type { Actor, Booking, BookingEvent, CancelReason } from '@booking/shared';
import { objectIdOrNull } from '../infra/ids';
import { BY_PERSON_HOLDING, BY_RESOURCE, holdingAt, meeting } from './booking.model';
import { approvalQueries, dayFigures, personQueries, timerQueries } from './booking.reads';
import type { ApprovalReads, DayFigures, PersonReads, TimerReads } from './booking.reads';

export { holdingAt } from './booking.model';
export type { DayFigures, TimedBooking } from './booking.reads';
import type { BookingDoc, BookingModel, StoredStatus } from './booking.model';

/** What availability needs of a booking. */
export interface BusyRow {
  id: string;
  start: Date;
  end: Date;
  quantity: number;
  /** `held` or (v3) `pending` until `expiresAt`, else `active`. */
  status: 'active' | 'held' | 'pending';
  expiresAt?: Date;
  /** (v3) The booking's title: availability caches it and shows it only under the policy's `publicTitles`. */
  title?: string;
}

export interface NewBooking {
  resourceId: string;
  userId: string;
  start: Date;
  end: Date;
  /** Units it takes (default 1). */
  quantity?: number;
  idempotencyKey?: string;
  /** An occurrence of this series; `recurrenceId` is its start as the series booked it. */
  seriesId?: string;
  recurrenceId?: Date;
  /** (v3) A hold or offer: `held` until `expiresAt` (default: active). */
  held?: { expiresAt: Date; waitlistEntryId?: string };
  /** (v3) A request awaiting approval: `pending` until decided or `expiresAt` (default: active). */
  pending?: { expiresAt: Date };
  /** (v3) What it is for (a waitlist offer has none). */
  title?: string;
  /**
   * The audit event of its creation, stored in the document (`BookingDoc.firstEvent`) instead of
   * as a `bookingEvents` document; its interval and status are the new booking's.
   */
  firstEvent?: { at: Date; action: BookingEvent['action']; actor: Actor | null };
}

export interface BookingStore extends TimerReads, PersonReads, ApprovalReads {
  /** Whether a booking of the resource holding units at `now` overlaps `[start, end)` (other than `excludeId`). */
  overlapExists(
    q: { resourceId: string; start: Date; end: Date; now: Date; excludeId?: string },
    session?: ClientSession,
  ): Promise<boolean>;
  findById(id: string, session?: ClientSession): Promise<BookingDoc | null>;
  findByKey(userId: string, idempotencyKey: string, session?: ClientSession): Promise<BookingDoc | null>;
  insert(booking: NewBooking, session: ClientSession): Promise<BookingDoc>;
  /** Several bookings in one write (a series' occurrences), in the given order. */
  insertMany(bookings: NewBooking[], session: ClientSession): Promise<BookingDoc[]>;
  /** A series' occurrences, earliest first: all, or only the active (and pending) ones starting at or after `from`. */
  ofSeries(seriesId: string, q: { activeFrom?: Date }, session?: ClientSession): Promise<BookingDoc[]>;
  /** Cancels the listed active (and pending) bookings in one write; answers them as they are now. */
  cancelMany(ids: string[], reason: CancelReason, session: ClientSession): Promise<BookingDoc[]>;
  /** Sets fields of one booking (and with `clearCheckIn`, removes its `checkedInAt`); null when there is no such booking. */
  update(
    id: string,
    set: {
      status?: StoredStatus;
      start?: Date;
      end?: Date;
      quantity?: number;
      cancelReason?: CancelReason;
      checkedInAt?: Date;
      remindedFor?: Date;
      expiresAt?: Date;
      decidedBy?: Types.ObjectId;
      declineReason?: string;
      requested?: boolean;
      title?: string;
    },
    session: ClientSession,
    /** `clearExpiry`: a confirmed hold is active and runs out no more; (v3) `clearTitle`: its title is removed. */
    opts?: { clearCheckIn?: boolean; clearExpiry?: boolean; clearTitle?: boolean },
  ): Promise<BookingDoc | null>;
  /** Bookings of a resource holding units at `now` (`holdingAt`) that overlap `[from, to)`. */
  activeBetween(resourceId: string, from: Date, to: Date, now: Date, session?: ClientSession): Promise<BusyRow[]>;
  /** Every booking (any status) overlapping `[from, to)`, earliest first. */
  overlapping(from: Date, to: Date, limit: number): Promise<BookingDoc[]>;
  dayFigures(from: Date, to: Date): Promise<DayFigures>;
  hasFutureActive(resourceId: string, now: Date, session?: ClientSession): Promise<boolean>;
  /** Bookings of a user holding units at `now` that have not ended (on one resource when given), other than `excludeId`. */
  countActiveFuture(
    q: { userId: string; resourceId?: string; now: Date; excludeId?: string },
    session?: ClientSession,
  ): Promise<number>;
  /** A user's active bookings that have not ended, counted by resource id. */
  activeFutureByResource(userId: string, now: Date): Promise<Map<string, number>>;
}

/** Whether a hold, offer or request has run out at `now` (whatever the expiry timer has stored yet). */
export function ranOut(doc: Pick<BookingDoc, 'status' | 'expiresAt'>, now: Date): boolean {
  return (
    (doc.status === 'held' || doc.status === 'pending') &&
    doc.expiresAt !== undefined &&
    doc.expiresAt.getTime() <= now.getTime()
  );
}

/** The status a person sees: `completed` once an active booking ended, `expired` from a hold's or request's `expiresAt` on. */
function wireStatus(doc: BookingDoc, now: Date): Booking['status'] {
  if (doc.status === 'active' && doc.end.getTime() <= now.getTime()) return 'completed';
  if (ranOut(doc, now)) return 'expired';
  return doc.status;
}

export function toWireBooking(doc: BookingDoc, now: Date): Booking {
  const status = wireStatus(doc, now);
  return {
    id: doc._id.toHexString(),
    resourceId: doc.resourceId.toHexString(),
    userId: doc.userId.toHexString(),
    start: doc.start.toISOString(),
    end: doc.end.toISOString(),
    status,
    quantity: doc.quantity ?? 1,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    ...(doc.seriesId ? { seriesId: doc.seriesId.toHexString() } : {}),
    ...(doc.checkedInAt ? { checkedInAt: doc.checkedInAt.toISOString() } : {}),
    ...(doc.status === 'cancelled' && doc.cancelReason ? { cancelReason: doc.cancelReason } : {}),
    ...(doc.expiresAt && (doc.status === 'held' || doc.status === 'pending' || doc.status === 'expired')
      ? { expiresAt: doc.expiresAt.toISOString() }
      : {}),
    ...(doc.waitlistEntryId ? { waitlistEntryId: doc.waitlistEntryId.toHexString() } : {}),
    ...(doc.decidedBy ? { decidedBy: doc.decidedBy.toHexString() } : {}),
    ...(doc.requested ? { requested: true as const } : {}),
    ...(doc.status === 'declined' && doc.declineReason ? { declineReason: doc.declineReason } : {}),
    ...(doc.title ? { title: doc.title } : {}),
  };
}

const storedActor = (a: Actor | null) => (a ? { id: objectIdOrNull(a.id), name: a.name, role: a.role } : null);

function toStored(b: NewBooking) {
  const status = b.held ? ('held' as const) : b.pending ? ('pending' as const) : ('active' as const);
  const e = b.firstEvent;
  return {
    resourceId: objectIdOrNull(b.resourceId),
    userId: objectIdOrNull(b.userId),
    start: b.start,
    end: b.end,
    status,
    quantity: b.quantity ?? 1,
    ...(b.held ? { expiresAt: b.held.expiresAt } : {}),
    ...(b.pending ? { expiresAt: b.pending.expiresAt, requested: true } : {}),
    ...(b.held?.waitlistEntryId ? { waitlistEntryId: objectIdOrNull(b.held.waitlistEntryId) } : {}),
    ...(b.idempotencyKey ? { idempotencyKey: b.idempotencyKey } : {}),
    ...(b.title ? { title: b.title } : {}),
    ...(b.seriesId ? { seriesId: objectIdOrNull(b.seriesId), recurrenceId: b.recurrenceId ?? b.start } : {}),
    ...(e
      ? { firstEvent: { at: e.at, action: e.action, actor: storedActor(e.actor), start: b.start, end: b.end, status } }
      : {}),
  };
}
/** A series' occurrences that a cancel of the series acts on: active ones, and (v3) requests awaiting approval. */
const DECIDED_OR_WAITING = ['active', 'pending'] as const;

export function createBookingStore(bookings: BookingModel): BookingStore {
  const withSession = <Q extends { session(s: ClientSession | null): Q }>(q: Q, session?: ClientSession): Q =>
    session ? q.session(session) : q;
  return {
    async overlapExists({ resourceId, start, end, now, excludeId }, session) {
      const exclude = excludeId ? objectIdOrNull(excludeId) : null;
      const filter = {
        resourceId: objectIdOrNull(resourceId),
        ...holdingAt(now),
        ...meeting(start, end),
        ...(exclude ? { _id: { $ne: exclude } } : {}),
      };
      // The driver directly on the booking path (see insert): no mongoose query to build and cast.
      return (
        (await bookings.collection.findOne(filter, {
          ...(session ? { session } : {}),
          projection: { _id: 1 },
          hint: BY_RESOURCE,
        })) !== null
      );
    },
    async findById(id, session) {
      const _id = objectIdOrNull(id);
      return _id ? withSession(bookings.findById(_id), session).lean<BookingDoc>() : null;
    },
    async findByKey(userId, idempotencyKey, session) {
      const uid = objectIdOrNull(userId);
      return uid ? withSession(bookings.findOne({ userId: uid, idempotencyKey }), session).lean<BookingDoc>() : null;
    },
    async insert(b, session) {
      // The driver's insertOne, not Model.create: the service has validated every field, and
      // hydrating, validating and cloning a Document cost more CPU than the round trip itself.
      // The stored shape stays what Model.create writes (timestamps, version key).
      const now = new Date();
      const doc = { _id: new Types.ObjectId(), ...toStored(b), createdAt: now, updatedAt: now, __v: 0 };
      await bookings.collection.insertOne(doc, { session, ignoreUndefined: true });
      const { __v: _version, ...stored } = doc;
      return stored as BookingDoc;
    },
    async insertMany(list, session) {
      if (list.length === 0) return [];
      // The driver's insertMany, as insert does: the same stored shape, no Documents to hydrate.
      const now = new Date();
      const docs = list.map((b) => ({
        _id: new Types.ObjectId(),
        ...toStored(b),
        createdAt: now,
        updatedAt: now,
        __v: 0,
      }));
      await bookings.collection.insertMany(docs, { session, ordered: true, ignoreUndefined: true });
      return docs.map(({ __v: _version, ...stored }) => stored as BookingDoc);
    },
    async ofSeries(seriesId, { activeFrom }, session) {
      const sid = objectIdOrNull(seriesId);
      if (!sid) return [];
      const filter = {
        seriesId: sid,
        ...(activeFrom ? { status: { $in: [...DECIDED_OR_WAITING] }, start: { $gte: activeFrom } } : {}),
      };
      return withSession(bookings.find(filter).sort({ start: 1 }), session).lean<BookingDoc[]>();
    },
    async cancelMany(ids, reason, session) {
      const oids = ids.flatMap((id) => objectIdOrNull(id) ?? []);
      if (oids.length === 0) return [];
      await bookings.updateMany(
        { _id: { $in: oids }, status: { $in: [...DECIDED_OR_WAITING] } },
        { $set: { status: 'cancelled', cancelReason: reason } },
        { session },
      );
      return bookings
        .find({ _id: { $in: oids } })
        .sort({ start: 1 })
        .session(session)
        .lean<BookingDoc[]>();
    },
    async update(id, set, session, opts = {}) {
      const _id = objectIdOrNull(id);
      const unset = {
        ...(opts.clearCheckIn ? { checkedInAt: 1 as const } : {}),
        ...(opts.clearExpiry ? { expiresAt: 1 as const } : {}),
        ...(opts.clearTitle ? { title: 1 as const } : {}),
      };
      const change = { $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) };
      return _id ? bookings.findOneAndUpdate({ _id }, change, { session, new: true }).lean<BookingDoc>() : null;
    },
    async activeBetween(resourceId, from, to, now, session) {
      const rows = await bookings.collection
        .find<Pick<BookingDoc, '_id' | 'start' | 'end' | 'quantity' | 'status' | 'expiresAt' | 'title'>>(
          { resourceId: objectIdOrNull(resourceId), ...holdingAt(now), ...meeting(from, to) },
          {
            ...(session ? { session } : {}),
            projection: { start: 1, end: 1, quantity: 1, status: 1, expiresAt: 1, title: 1 },
            hint: BY_RESOURCE,
          },
        )
        .toArray();
      return rows.map((r): BusyRow => ({
        id: r._id.toHexString(),
        start: r.start,
        end: r.end,
        quantity: r.quantity ?? 1,
        ...((r.status === 'held' || r.status === 'pending') && r.expiresAt
          ? { status: r.status, expiresAt: r.expiresAt }
          : { status: 'active' }),
        ...(r.title ? { title: r.title } : {}),
      }));
    },
    overlapping: (from, to, limit) =>
      bookings
        .find({ start: { $lt: to }, end: { $gt: from } })
        .sort({ start: 1 })
        .limit(limit)
        .lean<BookingDoc[]>(),
    dayFigures: (from, to) => dayFigures(bookings, from, to),
    ...timerQueries(bookings),
    ...personQueries(bookings),
    ...approvalQueries(bookings),
    async countActiveFuture({ userId, resourceId, now, excludeId }, session) {
      const exclude = excludeId ? objectIdOrNull(excludeId) : null;
      const filter = {
        userId: objectIdOrNull(userId),
        ...holdingAt(now),
        end: { $gt: now },
        ...(resourceId ? { resourceId: objectIdOrNull(resourceId) } : {}),
        ...(exclude ? { _id: { $ne: exclude } } : {}),
      };
      return bookings.collection.countDocuments(filter, { ...(session ? { session } : {}), hint: BY_PERSON_HOLDING });
    },
    async activeFutureByResource(userId, now) {
      const rows = await bookings.aggregate<{ _id: { toHexString(): string }; n: number }>([
        { $match: { userId: objectIdOrNull(userId), ...holdingAt(now), end: { $gt: now } } },
        { $group: { _id: '$resourceId', n: { $sum: 1 } } },
      ]);
      return new Map(rows.map((r) => [r._id.toHexString(), r.n]));
    },
    async hasFutureActive(resourceId, now, session) {
      const filter = { resourceId: objectIdOrNull(resourceId), ...holdingAt(now), end: { $gt: now } };
      return (await withSession(bookings.exists(filter), session)) !== null;
    },
  };
}
