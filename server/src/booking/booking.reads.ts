/**
 * The booking store's reads for the scheduler, the dashboard and one person (split from
 * `booking.store.ts`, which composes them): the bookings that may owe a timer, one day's figures,
 * a person's list and hold count.
 */
import type { ClientSession } from 'mongoose';
import type { BookingModel, BookingDoc } from './booking.model';
import { EXPIRING_STATUSES, HOLDING_STATUSES, holdingAt } from './booking.model';
import { objectIdOrNull } from '../infra/ids';

/** A booking the scheduler may owe a timer: active, not over. */
export interface TimedBooking {
  id: string;
  resourceId: string;
  start: Date;
  end: Date;
  checkedIn: boolean;
  remindedFor: Date | null;
  /** (v3) A hold, offer or undecided request: when it runs out (its only timer); null for an active booking. */
  expiresAt: Date | null;
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

/** What the scheduler reads. */
export interface TimerReads {
  /** Active bookings that have not ended by `now` and start at or before `startsBy`, earliest first (the scheduler's reconciler). */
  timed(q: { now: Date; startsBy: Date; limit: number; after?: { start: Date; id: string } }): Promise<TimedBooking[]>;
  /** The active and held bookings among `ids` (the scheduler, after a change it heard of). */
  timedByIds(ids: string[], now: Date): Promise<TimedBooking[]>;
  /** Bookings still stored `held` or `pending` whose `expiresAt` is before `by` (past ones too: a timer a crash lost), earliest first. */
  expiring(q: { by: Date; limit: number; after?: { expiresAt: Date; id: string } }): Promise<TimedBooking[]>;
}

/** One person's bookings. */
export interface PersonReads {
  /** A user's bookings, latest start first. */
  ofUser(userId: string, limit: number): Promise<BookingDoc[]>;
  /**
   * `bookings:mine` (v3 order): the ones holding units that have not ended, soonest start first,
   * then the rest, most recent start first; at most `limit` in all.
   */
  mine(userId: string, now: Date, limit: number): Promise<BookingDoc[]>;
  /** A person's own holds (not waitlist offers) that have not run out at `now`: the `holds` quota. */
  countHolds(q: { userId: string; now: Date }, session?: ClientSession): Promise<number>;
}

/** (v3) The requests awaiting a decision. */
export interface ApprovalReads {
  /** Pending requests not run out at `now` (of these resources; all when null), oldest first. */
  pendingRequests(q: { now: Date; resourceIds: string[] | null; limit: number }): Promise<BookingDoc[]>;
  /** How many of them there are. */
  countPending(q: { now: Date; resourceIds: string[] | null }): Promise<number>;
}

const TIMED_PROJECTION = {
  resourceId: 1,
  start: 1,
  end: 1,
  checkedInAt: 1,
  remindedFor: 1,
  status: 1,
  expiresAt: 1,
} as const;
type TimedRow = Pick<
  BookingDoc,
  '_id' | 'resourceId' | 'start' | 'end' | 'checkedInAt' | 'remindedFor' | 'status' | 'expiresAt'
>;
const toTimed = (r: TimedRow): TimedBooking => ({
  id: r._id.toHexString(),
  resourceId: r.resourceId.toHexString(),
  start: r.start,
  end: r.end,
  checkedIn: r.checkedInAt !== undefined && r.checkedInAt !== null,
  remindedFor: r.remindedFor ?? null,
  expiresAt: r.status === 'held' || r.status === 'pending' ? (r.expiresAt ?? null) : null,
});

/** `timed`, `timedByIds` and `expiring` on the bookings collection. */
export function timerQueries(bookings: BookingModel): TimerReads {
  return {
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
        .find({ _id: { $in: oids }, status: { $in: [...HOLDING_STATUSES] }, end: { $gt: now } }, TIMED_PROJECTION)
        .lean<TimedRow[]>();
      return rows.map(toTimed);
    },
    async expiring({ by, limit, after }) {
      const afterId = after ? objectIdOrNull(after.id) : null;
      const page =
        after && afterId
          ? { $or: [{ expiresAt: { $gt: after.expiresAt } }, { expiresAt: after.expiresAt, _id: { $gt: afterId } }] }
          : {};
      const rows = await bookings
        .find({ status: { $in: [...EXPIRING_STATUSES] }, expiresAt: { $lt: by }, ...page }, TIMED_PROJECTION)
        .sort({ expiresAt: 1, _id: 1 })
        .limit(limit)
        .lean<TimedRow[]>();
      return rows.map(toTimed);
    },
  };
}

/** The dashboard's figures for one day: counts, booked time and check-in outcomes per resource. */
export async function dayFigures(bookings: BookingModel, from: Date, to: Date): Promise<DayFigures> {
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

/** `ofUser`, `mine` and `countHolds`: one person's bookings. */
export function personQueries(bookings: BookingModel): PersonReads {
  return {
    async ofUser(userId, limit) {
      const uid = objectIdOrNull(userId);
      return uid ? bookings.find({ userId: uid }).sort({ start: -1 }).limit(limit).lean<BookingDoc[]>() : [];
    },
    async mine(userId, now, limit) {
      const uid = objectIdOrNull(userId);
      if (!uid) return [];
      const upcoming = { userId: uid, ...holdingAt(now), end: { $gt: now } };
      const first = await bookings.find(upcoming).sort({ start: 1, _id: 1 }).limit(limit).lean<BookingDoc[]>();
      if (first.length >= limit) return first;
      const seen = first.map((d) => d._id);
      const rest = await bookings
        .find({ userId: uid, _id: { $nin: seen } })
        .sort({ start: -1, _id: -1 })
        .limit(limit - first.length)
        .lean<BookingDoc[]>();
      return [...first, ...rest];
    },
    async countHolds({ userId, now }, session) {
      const filter = {
        userId: objectIdOrNull(userId),
        status: 'held' as const,
        expiresAt: { $gt: now },
        waitlistEntryId: { $exists: false },
      };
      return bookings.collection.countDocuments(filter, session ? { session } : {});
    },
  };
}

/** `pendingRequests` and `countPending`: the approvers' queue. */
export function approvalQueries(bookings: BookingModel): ApprovalReads {
  const filter = (now: Date, resourceIds: string[] | null) => ({
    status: 'pending' as const,
    expiresAt: { $gt: now },
    ...(resourceIds ? { resourceId: { $in: resourceIds.flatMap((id) => objectIdOrNull(id) ?? []) } } : {}),
  });
  return {
    pendingRequests: ({ now, resourceIds, limit }) =>
      bookings.find(filter(now, resourceIds)).sort({ createdAt: 1, _id: 1 }).limit(limit).lean<BookingDoc[]>(),
    countPending: ({ now, resourceIds }) => bookings.countDocuments(filter(now, resourceIds)),
  };
}
