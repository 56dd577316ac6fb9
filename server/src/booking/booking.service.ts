import mongoose from 'mongoose';
import type { ClientSession, Connection, Types } from 'mongoose';
import { ErrorCode, bookingRuleViolation } from '@booking/shared';
import type { Booking, NotificationType, SlotChange, SlotChanged } from '@booking/shared';
import type { Principal } from '../auth/auth.service';
import type { AvailabilityService } from '../availability/availability.service';
import { daysOf } from '../availability/availability.service';
import type { DayEntry } from '../availability/availability.cache';
import { AppError } from '../infra/errors';
import { objectIdOrNull } from '../infra/ids';
import type { SlotLock } from '../infra/locks';
import type { Logger } from '../infra/logger';
import { inTransaction } from '../infra/transactions';
import type { TxCounters } from '../infra/transactions';
import type { ResourceModel } from '../resources/resource.model';
import type { BookingDoc, BookingModel } from './booking.model';
import type { OutboxModel } from './outbox.model';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** Where committed changes go: the socket layer broadcasts them, the relay is woken. */
export interface ChangeSink {
  slotChanged(event: SlotChanged & { userId: string }): void;
  outboxWritten(): void;
}

export interface LockCounters {
  waits: number;
  busy: number;
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
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export interface BookingService {
  create(input: { principal: Principal; resourceId: string; start: Date; end: Date; idempotencyKey?: string; forUserId?: string }): Promise<Booking>;
  cancel(input: { principal: Principal; bookingId: string }): Promise<Booking>;
  modify(input: { principal: Principal; bookingId: string; start: Date; end: Date }): Promise<Booking>;
  mine(principal: Principal): Promise<Booking[]>;
}

export interface BookingDeps {
  conn: Connection;
  resources: ResourceModel;
  bookings: BookingModel;
  outbox: OutboxModel;
  lock: SlotLock;
  availability: AvailabilityService;
  sink: ChangeSink;
  clock: Clock;
  logger: Logger;
  tx: TxCounters;
  locks: LockCounters;
  /** How long a command may wait for a busy resource's lock before answering BUSY. */
  lockWaitMs?: number;
}

interface Committed {
  doc: BookingDoc;
  version: number;
  days: Array<{ day: string; entry: DayEntry }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createBookingService(deps: BookingDeps): BookingService {
  const { bookings, resources, outbox, clock, logger } = deps;
  const lockWaitMs = deps.lockWaitMs ?? 3000;

  const overlapQuery = (resourceId: Types.ObjectId, start: Date, end: Date, exclude?: Types.ObjectId) => ({
    resourceId,
    status: 'active' as const,
    start: { $lt: end },
    end: { $gt: start },
    ...(exclude ? { _id: { $ne: exclude } } : {}),
  });

  /**
   * Takes the resource's lock (when locks are on), then runs the change. While the lock is busy it
   * checks whether the slot is already taken, so racing losers hear SLOT_TAKEN quickly instead of
   * queueing for the lock; after `lockWaitMs` it gives up with BUSY (safe to retry).
   */
  async function withResourceLock<T>(opts: {
    resourceId: Types.ObjectId;
    takenCheck?: () => Promise<boolean>;
    run: () => Promise<T>;
  }): Promise<T> {
    const deadline = Date.now() + lockWaitMs;
    let waited = false;
    for (;;) {
      const attempt = await deps.lock.tryAcquire(opts.resourceId.toHexString());
      if (attempt.acquired) {
        try {
          return await opts.run();
        } finally {
          await attempt.release();
        }
      }
      if (!waited) deps.locks.waits += 1;
      waited = true;
      if (opts.takenCheck && (await opts.takenCheck())) throw new AppError(ErrorCode.SLOT_TAKEN, 'the slot is taken');
      if (Date.now() >= deadline) {
        deps.locks.busy += 1;
        throw new AppError(ErrorCode.BUSY, 'the resource is busy; try again');
      }
      await sleep(10 + Math.random() * 30);
    }
  }

  /** The fence: bump the resource's version in the transaction; the new value is the version. */
  async function fence(resourceId: Types.ObjectId, session: ClientSession): Promise<number> {
    const res = await resources.findOneAndUpdate({ _id: resourceId }, { $inc: { version: 1 } }, { session, new: true, projection: { version: 1 } });
    if (!res) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
    return res.version;
  }

  async function writeOutbox(session: ClientSession, entry: { type: NotificationType; doc: BookingDoc; version: number; previous?: { start: Date; end: Date } }) {
    await outbox.create(
      [
        {
          type: entry.type,
          bookingId: entry.doc._id,
          userId: entry.doc.userId,
          resourceId: entry.doc.resourceId,
          start: entry.doc.start,
          end: entry.doc.end,
          ...(entry.previous ? { previous: entry.previous } : {}),
          version: entry.version,
          createdAt: clock.now(),
          handedOverAt: null,
        },
      ],
      { session },
    );
  }

  /** After commit: cache, broadcast, relay. Failures here never undo the commit. */
  async function publish(c: Committed, change: SlotChange, previous?: { start: Date; end: Date }) {
    const rid = c.doc.resourceId.toHexString();
    // The cache first: a client that re-reads availability on this broadcast (or on the ack) must
    // not be served the entry from before the change. `committed` never throws.
    await deps.availability.committed(rid, c.days);
    deps.sink.slotChanged({
      resourceId: rid,
      bookingId: c.doc._id.toHexString(),
      change,
      start: c.doc.start.toISOString(),
      end: c.doc.end.toISOString(),
      ...(previous ? { previous: { start: previous.start.toISOString(), end: previous.end.toISOString() } } : {}),
      version: c.version,
      at: clock.now().toISOString(),
      userId: c.doc.userId.toHexString(),
    });
    deps.sink.outboxWritten();
  }

  function checkRules(start: Date, end: Date) {
    const why = bookingRuleViolation({ start, end }, clock.now());
    if (why) throw new AppError(ErrorCode.VALIDATION_ERROR, why);
  }

  async function findOwned(principal: Principal, bookingId: string): Promise<BookingDoc> {
    const _id = objectIdOrNull(bookingId);
    const doc = _id ? await bookings.findById(_id).lean<BookingDoc>() : null;
    if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
    if (principal.role !== 'staff' && doc.userId.toHexString() !== principal.id) {
      throw new AppError(ErrorCode.FORBIDDEN, 'not your booking');
    }
    return doc;
  }

  /** Inside a transaction: the booking as the snapshot sees it, still active and not yet over. */
  async function activeInTx(_id: Types.ObjectId, session: ClientSession): Promise<BookingDoc> {
    const doc = await bookings.findById(_id).session(session).lean<BookingDoc>();
    if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
    if (doc.status !== 'active') throw new AppError(ErrorCode.INVALID_STATE, 'the booking is cancelled');
    if (doc.end.getTime() <= clock.now().getTime()) throw new AppError(ErrorCode.INVALID_STATE, 'the booking is completed');
    return doc;
  }

  return {
    async create({ principal, resourceId, start, end, idempotencyKey, forUserId }) {
      checkRules(start, end);
      const rid = objectIdOrNull(resourceId);
      if (!rid) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      const userId = objectIdOrNull(forUserId ?? principal.id);
      if (!userId) throw new AppError(ErrorCode.NOT_FOUND, 'no such user');

      const replay = async (): Promise<BookingDoc | null> =>
        idempotencyKey ? bookings.findOne({ userId, idempotencyKey }).lean<BookingDoc>() : null;
      const first = await replay();
      if (first) return toWireBooking(first, clock.now());

      const days = daysOf([{ start, end }]);
      await deps.availability.beforeChange(rid.toHexString(), days);
      let outcome: Committed | { replayed: BookingDoc };
      try {
        outcome = await withResourceLock({
          resourceId: rid,
          // A repeat of a request that just won is not a loser: let it through to replay. Overlap
          // first: once the winner's commit is visible there, the replay read sees it too.
          takenCheck: async () => (await bookings.exists(overlapQuery(rid, start, end))) !== null && !(await replay()),
          run: () =>
            inTransaction(deps.conn, deps.tx, async (session): Promise<Committed | { replayed: BookingDoc }> => {
              if (idempotencyKey) {
                // A concurrent request with the same key may have committed since the check above.
                const prior = await bookings.findOne({ userId, idempotencyKey }).session(session).lean<BookingDoc>();
                if (prior) return { replayed: prior };
              }
              // Read, then fence. Both happen on one snapshot: if any change of this resource
              // commits after the snapshot, it bumped the fence too, so our bump conflicts and the
              // driver retries us on a fresh snapshot. A loser that sees the winner aborts without
              // writing anything, so it does not disturb the others.
              if (await bookings.exists(overlapQuery(rid, start, end)).session(session)) {
                throw new AppError(ErrorCode.SLOT_TAKEN, 'the slot is taken');
              }
              const version = await fence(rid, session);
              const [created] = await bookings.create(
                [{ resourceId: rid, userId, start, end, status: 'active', ...(idempotencyKey ? { idempotencyKey } : {}) }],
                { session },
              );
              if (!created) throw new Error('insert returned nothing');
              const doc = created.toObject();
              await writeOutbox(session, { type: 'booking.confirmed', doc, version });
              const snapshot = await deps.availability.snapshotDays({ resourceId: rid.toHexString(), days, version, session });
              return { doc, version, days: snapshot };
            }),
        });
      } catch (err) {
        // Same key raced past the in-transaction check: the unique index answers.
        if (err instanceof mongoose.mongo.MongoServerError && err.code === 11000) {
          const prior = await replay();
          if (prior) return toWireBooking(prior, clock.now());
        }
        throw err;
      }
      if ('replayed' in outcome) return toWireBooking(outcome.replayed, clock.now());
      logger.debug({ bookingId: outcome.doc._id.toHexString(), version: outcome.version }, 'booked');
      await publish(outcome, 'booked');
      return toWireBooking(outcome.doc, clock.now());
    },

    async cancel({ principal, bookingId }) {
      const found = await findOwned(principal, bookingId);
      const days = daysOf([found]);
      const rid = found.resourceId;
      await deps.availability.beforeChange(rid.toHexString(), days);
      const committed = await withResourceLock({
        resourceId: rid,
        run: () =>
          inTransaction(deps.conn, deps.tx, async (session): Promise<Committed> => {
            const version = await fence(rid, session);
            await activeInTx(found._id, session);
            const doc = await bookings
              .findOneAndUpdate({ _id: found._id }, { $set: { status: 'cancelled' } }, { session, new: true })
              .lean<BookingDoc>();
            if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
            await writeOutbox(session, { type: 'booking.cancelled', doc, version });
            const snapshot = await deps.availability.snapshotDays({ resourceId: rid.toHexString(), days, version, session });
            return { doc, version, days: snapshot };
          }),
      });
      await publish(committed, 'released');
      return toWireBooking(committed.doc, clock.now());
    },

    async modify({ principal, bookingId, start, end }) {
      checkRules(start, end);
      const found = await findOwned(principal, bookingId);
      const rid = found.resourceId;
      const days = daysOf([found, { start, end }]);
      await deps.availability.beforeChange(rid.toHexString(), days);
      let previous: { start: Date; end: Date } = { start: found.start, end: found.end };
      const committed = await withResourceLock({
        resourceId: rid,
        takenCheck: async () => (await bookings.exists(overlapQuery(rid, start, end, found._id))) !== null,
        run: () =>
          inTransaction(deps.conn, deps.tx, async (session): Promise<Committed> => {
            const current = await activeInTx(found._id, session);
            previous = { start: current.start, end: current.end };
            if (await bookings.exists(overlapQuery(rid, start, end, found._id)).session(session)) {
              throw new AppError(ErrorCode.SLOT_TAKEN, 'the new time overlaps another booking');
            }
            const version = await fence(rid, session); // after the reads: see create()
            const doc = await bookings
              .findOneAndUpdate({ _id: found._id }, { $set: { start, end } }, { session, new: true })
              .lean<BookingDoc>();
            if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
            await writeOutbox(session, { type: 'booking.modified', doc, version, previous });
            const snapshot = await deps.availability.snapshotDays({ resourceId: rid.toHexString(), days, version, session });
            return { doc, version, days: snapshot };
          }),
      });
      await publish(committed, 'moved', previous);
      return toWireBooking(committed.doc, clock.now());
    },

    async mine(principal) {
      const userId = objectIdOrNull(principal.id);
      if (!userId) return [];
      const docs = await bookings.find({ userId }).sort({ start: -1 }).limit(500).lean<BookingDoc[]>();
      const now = clock.now();
      return docs.map((d) => toWireBooking(d, now));
    },
  };
}
