/**
 * The only code that touches the `waitlist` collection. Joins, leaves and promotions write it inside
 * their transactions; `waitlist:mine` and the dashboard read it. Ids are strings at this boundary;
 * one that is not a valid id matches nothing.
 */
import { Types } from 'mongoose';
import type { ClientSession } from 'mongoose';
import type { WaitlistEntry, WaitlistStatus } from '@booking/shared';
import { objectIdOrNull } from '../infra/ids';
import type { WaitlistDoc, WaitlistModel } from './waitlist.model';

export interface NewEntry {
  resourceId: string;
  userId: string;
  start: Date;
  end: Date;
  quantity: number;
}

/** The most waiting entries one promotion considers (join order): a resource's queue beyond it waits for the next freeing change. */
export const PROMOTION_BATCH = 200;

export interface WaitlistStore {
  insert(entry: NewEntry, at: Date, session: ClientSession): Promise<WaitlistDoc>;
  findById(id: string, session?: ClientSession): Promise<WaitlistDoc | null>;
  /** A person's waiting entries whose start has not passed (the `waitlist` quota). */
  countWaiting(userId: string, now: Date, session: ClientSession): Promise<number>;
  /** A person's waiting or offered entry of this resource overlapping the request, if any (one offer per person and slot). */
  sameRequest(entry: NewEntry, session: ClientSession): Promise<WaitlistDoc | null>;
  /**
   * A resource's waiting entries that start after `now` and overlap `[from, to)` (all of them when
   * no span is given), in join order, at most `PROMOTION_BATCH`.
   */
  waitingFor(
    resourceId: string,
    q: { now: Date; span: { from: Date; to: Date } | null },
    session: ClientSession,
  ): Promise<WaitlistDoc[]>;
  /** Compare-and-set: moves the entry from `from` to `to` (with `bookingId` for an offer); null when it was not in `from`. */
  transition(
    id: string,
    from: WaitlistStatus,
    to: WaitlistStatus,
    session: ClientSession,
    bookingId?: string,
  ): Promise<WaitlistDoc | null>;
  /** A person's entries, newest first. */
  ofUser(userId: string, limit: number): Promise<WaitlistDoc[]>;
  /** Waiting entries whose start has not passed, counted by resource id (the dashboard's queue lengths). */
  waitingByResource(now: Date): Promise<Map<string, number>>;
}

/** The status a person sees: a waiting entry whose start has passed can no longer be offered. */
export function toWireEntry(doc: WaitlistDoc, now: Date): WaitlistEntry {
  const lapsed = doc.status === 'waiting' && doc.start.getTime() <= now.getTime();
  return {
    id: doc._id.toHexString(),
    resourceId: doc.resourceId.toHexString(),
    userId: doc.userId.toHexString(),
    start: doc.start.toISOString(),
    end: doc.end.toISOString(),
    quantity: doc.quantity,
    createdAt: doc.createdAt.toISOString(),
    status: lapsed ? 'expired' : doc.status,
    ...(doc.bookingId ? { bookingId: doc.bookingId.toHexString() } : {}),
  };
}

export function createWaitlistStore(model: WaitlistModel): WaitlistStore {
  return {
    async insert(entry, at, session) {
      const doc: WaitlistDoc = {
        _id: new Types.ObjectId(),
        // The service checked both ids; a bad one throws here rather than being stored.
        resourceId: new Types.ObjectId(entry.resourceId),
        userId: new Types.ObjectId(entry.userId),
        start: entry.start,
        end: entry.end,
        quantity: entry.quantity,
        status: 'waiting',
        createdAt: at,
        updatedAt: at,
      };
      await model.collection.insertOne({ ...doc, __v: 0 }, { session });
      return doc;
    },
    async findById(id, session) {
      const _id = objectIdOrNull(id);
      return _id
        ? model
            .findById(_id)
            .session(session ?? null)
            .lean<WaitlistDoc>()
        : null;
    },
    countWaiting: (userId, now, session) =>
      model.collection.countDocuments(
        { userId: objectIdOrNull(userId), status: 'waiting', start: { $gt: now } },
        { session },
      ),
    sameRequest: (e, session) =>
      model
        .findOne({
          userId: objectIdOrNull(e.userId),
          resourceId: objectIdOrNull(e.resourceId),
          start: { $lt: e.end },
          end: { $gt: e.start },
          status: { $in: ['waiting', 'offered'] },
        })
        .session(session)
        .lean<WaitlistDoc>(),
    waitingFor: (resourceId, { now, span }, session) =>
      model
        .find({
          resourceId: objectIdOrNull(resourceId),
          status: 'waiting',
          start: { $gt: now, ...(span ? { $lt: span.to } : {}) },
          ...(span ? { end: { $gt: span.from } } : {}),
        })
        .sort({ createdAt: 1, _id: 1 })
        .limit(PROMOTION_BATCH)
        .session(session)
        .lean<WaitlistDoc[]>(),
    async transition(id, from, to, session, bookingId) {
      const _id = objectIdOrNull(id);
      if (!_id) return null;
      const set = { status: to, updatedAt: new Date(), ...(bookingId ? { bookingId: objectIdOrNull(bookingId) } : {}) };
      return model.findOneAndUpdate({ _id, status: from }, { $set: set }, { session, new: true }).lean<WaitlistDoc>();
    },
    async ofUser(userId, limit) {
      const uid = objectIdOrNull(userId);
      return uid ? model.find({ userId: uid }).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<WaitlistDoc[]>() : [];
    },
    async waitingByResource(now) {
      const rows = await model.aggregate<{ _id: { toHexString(): string }; n: number }>([
        { $match: { status: 'waiting', start: { $gt: now } } },
        { $group: { _id: '$resourceId', n: { $sum: 1 } } },
      ]);
      return new Map(rows.map((r) => [r._id.toHexString(), r.n]));
    },
  };
}
