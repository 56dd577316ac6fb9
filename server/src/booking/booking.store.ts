/**
 * The only code that touches the `bookings` collection. Other capabilities (availability, admin,
 * resources) read bookings through this interface; writes happen only inside the booking
 * service's fenced transactions. Ids are strings at this boundary; one that is not a valid id
 * matches nothing.
 */
import { Types } from 'mongoose';
import type { ClientSession } from 'mongoose';
import type { Booking, CancelReason } from '@booking/shared';
import { objectIdOrNull } from '../infra/ids';
import type { BookingDoc, BookingModel, StoredStatus } from './booking.model';

/** What availability needs of a booking. */
export interface BusyRow {
  id: string;
  start: Date;
  end: Date;
  quantity: number;
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
}

/** The day figures of the dashboard. */
export interface DayFigures {
  active: number;
  cancelled: number;
  /** Booked unit-milliseconds of active bookings (time clipped to the range, times quantity), by resource id. */
  bookedMs: Map<string, number>;
  /** Bookings starting in the range released as no-shows, and those checked in, by resource id. */
  noShows: Map<string, { released: number; checkedIn: number }>;
}

/** A booking the scheduler may owe a timer: active, not over. */
export interface TimedBooking {
  id: string;
  resourceId: string;
  start: Date;
  end: Date;
  checkedIn: boolean;
  remindedFor: Date | null;
}

export interface BookingStore {
  /** Whether an active booking of the resource overlaps `[start, end)` (other than `excludeId`). */
  overlapExists(
    q: { resourceId: string; start: Date; end: Date; excludeId?: string },
    session?: ClientSession,
  ): Promise<boolean>;
  findById(id: string, session?: ClientSession): Promise<BookingDoc | null>;
  findByKey(userId: string, idempotencyKey: string, session?: ClientSession): Promise<BookingDoc | null>;
  insert(booking: NewBooking, session: ClientSession): Promise<BookingDoc>;
  /** Several bookings in one write (a series' occurrences), in the given order. */
  insertMany(bookings: NewBooking[], session: ClientSession): Promise<BookingDoc[]>;
  /** A series' occurrences, earliest first: all, or only the active ones starting at or after `from`. */
  ofSeries(seriesId: string, q: { activeFrom?: Date }, session?: ClientSession): Promise<BookingDoc[]>;
  /** Cancels the listed active bookings in one write; answers them as they are now. */
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
    },
    session: ClientSession,
    opts?: { clearCheckIn?: boolean },
  ): Promise<BookingDoc | null>;
  /** Active bookings that have not ended by `now` and start at or before `startsBy`, earliest first (the scheduler's reconciler). */
  timed(q: { now: Date; startsBy: Date; limit: number; after?: { start: Date; id: string } }): Promise<TimedBooking[]>;
  /** The active bookings among `ids` (the scheduler, after a change it heard of). */
  timedByIds(ids: string[], now: Date): Promise<TimedBooking[]>;
  /** Active bookings of a resource that overlap `[from, to)`. */
  activeBetween(resourceId: string, from: Date, to: Date, session?: ClientSession): Promise<BusyRow[]>;
  /** A user's bookings, latest start first. */
  ofUser(userId: string, limit: number): Promise<BookingDoc[]>;
  /** Every booking (any status) overlapping `[from, to)`, earliest first. */
  overlapping(from: Date, to: Date, limit: number): Promise<BookingDoc[]>;
  dayFigures(from: Date, to: Date): Promise<DayFigures>;
  hasFutureActive(resourceId: string, now: Date, session?: ClientSession): Promise<boolean>;
  /** Active bookings of a user that have not ended (on one resource when given), other than `excludeId`. */
  countActiveFuture(
    q: { userId: string; resourceId?: string; now: Date; excludeId?: string },
    session?: ClientSession,
  ): Promise<number>;
  /** A user's active bookings that have not ended, counted by resource id. */
  activeFutureByResource(userId: string, now: Date): Promise<Map<string, number>>;
}

export function toWireBooking(doc: BookingDoc, now: Date): Booking {
  const status = doc.status === 'active' && doc.end.getTime() <= now.getTime() ? 'completed' : doc.status;
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
  };
}

const TIMED_PROJECTION = { resourceId: 1, start: 1, end: 1, checkedInAt: 1, remindedFor: 1 } as const;
type TimedRow = Pick<BookingDoc, '_id' | 'resourceId' | 'start' | 'end' | 'checkedInAt' | 'remindedFor'>;
const toTimed = (r: TimedRow): TimedBooking => ({
  id: r._id.toHexString(),
  resourceId: r.resourceId.toHexString(),
  start: r.start,
  end: r.end,
  checkedIn: r.checkedInAt !== undefined && r.checkedInAt !== null,
  remindedFor: r.remindedFor ?? null,
});

const toStored = (b: NewBooking) => ({
  resourceId: objectIdOrNull(b.resourceId),
  userId: objectIdOrNull(b.userId),
  start: b.start,
  end: b.end,
  status: 'active' as const,
  quantity: b.quantity ?? 1,
  ...(b.idempotencyKey ? { idempotencyKey: b.idempotencyKey } : {}),
  ...(b.seriesId ? { seriesId: objectIdOrNull(b.seriesId), recurrenceId: b.recurrenceId ?? b.start } : {}),
});

/** The dashboard's figures for one day: counts, booked time and check-in outcomes per resource. */
async function dayFigures(bookings: BookingModel, from: Date, to: Date): ReturnType<BookingStore['dayFigures']> {
  const overlapping = { start: { $lt: to }, end: { $gt: from } };
  const [active, cancelled, booked, noShows] = await Promise.all([
    bookings.countDocuments({ status: 'active', ...overlapping }),
    bookings.countDocuments({ status: 'cancelled', ...overlapping }),
    bookings.aggregate<{ _id: { toHexString(): string }; ms: number }>([
      { $match: { status: 'active', ...overlapping } },
      {
        $group: {
          _id: '$resourceId',
          // Unit-milliseconds: a booking of n units counts n times its time in the day.
          ms: {
            $sum: {
              $multiply: [
                { $subtract: [{ $min: ['$end', to] }, { $max: ['$start', from] }] },
                { $ifNull: ['$quantity', 1] },
              ],
            },
          },
        },
      },
    ]),
    bookings.aggregate<{ _id: { toHexString(): string }; released: number; checkedIn: number }>([
      {
        $match: {
          start: { $gte: from, $lt: to },
          $or: [{ cancelReason: 'no-show' }, { checkedInAt: { $type: 'date' } }],
        },
      },
      {
        $group: {
          _id: '$resourceId',
          released: { $sum: { $cond: [{ $eq: ['$cancelReason', 'no-show'] }, 1, 0] } },
          checkedIn: { $sum: { $cond: [{ $eq: [{ $type: '$checkedInAt' }, 'date'] }, 1, 0] } },
        },
      },
    ]),
  ]);
  return {
    active,
    cancelled,
    bookedMs: new Map(booked.map((row) => [row._id.toHexString(), row.ms])),
    noShows: new Map(
      noShows.map((row) => [row._id.toHexString(), { released: row.released, checkedIn: row.checkedIn }]),
    ),
  };
}

export function createBookingStore(bookings: BookingModel): BookingStore {
  const withSession = <Q extends { session(s: ClientSession | null): Q }>(q: Q, session?: ClientSession): Q =>
    session ? q.session(session) : q;
  return {
    async overlapExists({ resourceId, start, end, excludeId }, session) {
      const exclude = excludeId ? objectIdOrNull(excludeId) : null;
      const filter = {
        resourceId: objectIdOrNull(resourceId),
        status: 'active' as const,
        start: { $lt: end },
        end: { $gt: start },
        ...(exclude ? { _id: { $ne: exclude } } : {}),
      };
      // The driver directly on the booking path (see insert): no mongoose query to build and cast.
      return (
        (await bookings.collection.findOne(filter, { ...(session ? { session } : {}), projection: { _id: 1 } })) !==
        null
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
        ...(activeFrom ? { status: 'active' as const, start: { $gte: activeFrom } } : {}),
      };
      return withSession(bookings.find(filter).sort({ start: 1 }), session).lean<BookingDoc[]>();
    },
    async cancelMany(ids, reason, session) {
      const oids = ids.flatMap((id) => objectIdOrNull(id) ?? []);
      if (oids.length === 0) return [];
      await bookings.updateMany(
        { _id: { $in: oids }, status: 'active' },
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
      const change = { $set: set, ...(opts.clearCheckIn ? { $unset: { checkedInAt: 1 } } : {}) };
      return _id ? bookings.findOneAndUpdate({ _id }, change, { session, new: true }).lean<BookingDoc>() : null;
    },
    async timed({ now, startsBy, limit, after }) {
      const afterId = after ? objectIdOrNull(after.id) : null;
      const page =
        after && afterId
          ? { $or: [{ start: { $gt: after.start } }, { start: after.start, _id: { $gt: afterId } }] }
          : {};
      const rows = await bookings
        .find({ status: 'active', end: { $gt: now }, start: { $lte: startsBy }, ...page }, TIMED_PROJECTION)
        .sort({ start: 1, _id: 1 })
        .limit(limit)
        .lean<TimedRow[]>();
      return rows.map(toTimed);
    },
    async timedByIds(ids, now) {
      const oids = ids.flatMap((id) => objectIdOrNull(id) ?? []);
      if (oids.length === 0) return [];
      const rows = await bookings
        .find({ _id: { $in: oids }, status: 'active', end: { $gt: now } }, TIMED_PROJECTION)
        .lean<TimedRow[]>();
      return rows.map(toTimed);
    },
    async activeBetween(resourceId, from, to, session) {
      const rows = await bookings.collection
        .find<Pick<BookingDoc, '_id' | 'start' | 'end' | 'quantity'>>(
          { resourceId: objectIdOrNull(resourceId), status: 'active', start: { $lt: to }, end: { $gt: from } },
          { ...(session ? { session } : {}), projection: { start: 1, end: 1, quantity: 1 } },
        )
        .toArray();
      return rows.map((r) => ({ id: r._id.toHexString(), start: r.start, end: r.end, quantity: r.quantity ?? 1 }));
    },
    async ofUser(userId, limit) {
      const uid = objectIdOrNull(userId);
      return uid ? bookings.find({ userId: uid }).sort({ start: -1 }).limit(limit).lean<BookingDoc[]>() : [];
    },
    overlapping: (from, to, limit) =>
      bookings
        .find({ start: { $lt: to }, end: { $gt: from } })
        .sort({ start: 1 })
        .limit(limit)
        .lean<BookingDoc[]>(),
    dayFigures: (from, to) => dayFigures(bookings, from, to),
    async countActiveFuture({ userId, resourceId, now, excludeId }, session) {
      const exclude = excludeId ? objectIdOrNull(excludeId) : null;
      const filter = {
        userId: objectIdOrNull(userId),
        status: 'active' as const,
        end: { $gt: now },
        ...(resourceId ? { resourceId: objectIdOrNull(resourceId) } : {}),
        ...(exclude ? { _id: { $ne: exclude } } : {}),
      };
      return bookings.collection.countDocuments(filter, session ? { session } : {});
    },
    async activeFutureByResource(userId, now) {
      const rows = await bookings.aggregate<{ _id: { toHexString(): string }; n: number }>([
        { $match: { userId: objectIdOrNull(userId), status: 'active', end: { $gt: now } } },
        { $group: { _id: '$resourceId', n: { $sum: 1 } } },
      ]);
      return new Map(rows.map((r) => [r._id.toHexString(), r.n]));
    },
    async hasFutureActive(resourceId, now, session) {
      const filter = { resourceId: objectIdOrNull(resourceId), status: 'active' as const, end: { $gt: now } };
      return (await withSession(bookings.exists(filter), session)) !== null;
    },
  };
}
