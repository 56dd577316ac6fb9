/**
 * Booking changes, each under the resource's lock (an optimisation) and in one fenced MongoDB
 * transaction (the guarantee): see docs/design.md "Booking". Every change path returns what it
 * committed; the after-commit effects are run by `withAfterCommit`, not from here.
 */
import mongoose from 'mongoose';
import type { ClientSession } from 'mongoose';
import { ErrorCode, policyViolation } from '@booking/shared';
import type { Booking, NotificationType, SeriesResult, SlotChange } from '@booking/shared';
import type { Principal } from '../auth/auth.service';
import type { UserStore } from '../auth/user.store';
import { daysOf } from '../availability/availability.service';
import type { AvailabilityService } from '../availability/availability.service';
import type { Clock } from '../infra/clock';
import { AppError } from '../infra/errors';
import { objectIdOrNull } from '../infra/ids';
import type { SlotLock } from '../infra/locks';
import type { Logger } from '../infra/logger';
import { inTransaction } from '../infra/transactions';
import type { TxCounters } from '../infra/transactions';
import type { OutboxStore } from '../notifications/outbox.store';
import type { ResourceDirectory } from '../resources/resource.directory';
import type { ResourceRules, ResourceStore } from '../resources/resource.store';
import type { BookingHistoryStore } from './booking-history.store';
import { createAttendanceOperations } from './booking.attendance';
import type { AttendanceOperations } from './booking.attendance';
import { createBookingGuards, sameRules } from './booking.guards';
import type { Committed, CommittedChange } from './booking.effects';
import type { BookingDoc } from './booking.model';
import { toWireBooking } from './booking.store';
import type { BookingStore } from './booking.store';
import { createSeriesOperations } from './series.service';
import type { SeriesRequest } from './series.service';
import type { SeriesStore } from './series.store';

export interface LockCounters {
  /** Commands that found the resource's lock taken (exported by /metrics). */
  waits: number;
}

export interface BookingService extends SeriesOperations, AttendanceOperations {
  create(input: { principal: Principal; resourceId: string; start: Date; end: Date; idempotencyKey?: string; forUserId?: string }): Promise<Committed<Booking>>;
  cancel(input: { principal: Principal; bookingId: string }): Promise<Committed<Booking>>;
  modify(input: { principal: Principal; bookingId: string; start: Date; end: Date }): Promise<Committed<Booking>>;
  mine(principal: Principal): Promise<Booking[]>;
}

export interface SeriesOperations {
  createSeries(input: SeriesRequest): Promise<Committed<SeriesResult>>;
  cancelSeries(input: { principal: Principal; seriesId: string; from?: Date }): Promise<Committed<Booking[]>>;
}

export interface BookingDeps {
  conn: mongoose.Connection;
  bookings: BookingStore;
  series: SeriesStore;
  resources: Pick<ResourceStore, 'fence' | 'fenceWithRules' | 'rules'>;
  /** Settings read outside transactions (the zone of the days to invalidate before one). */
  directory: Pick<ResourceDirectory, 'get'>;
  outbox: Pick<OutboxStore, 'append' | 'lastVersion'>;
  /** The audit log: one event per change, with its actor, in the change's transaction. */
  history: Pick<BookingHistoryStore, 'append' | 'appendMany'>;
  /** The user's booking fence, for the quota across resources. */
  users: Pick<UserStore, 'fence'>;
  /** `MAX_ACTIVE_BOOKINGS_PER_USER`. */
  maxActivePerUser: number;
  availability: Pick<AvailabilityService, 'invalidate'>;
  lock: SlotLock;
  clock: Clock;
  logger: Logger;
  tx: TxCounters;
  locks: LockCounters;
}

/** What one transaction committed, before it is turned into a change. */
interface TxOutcome {
  doc: BookingDoc;
  version: number;
  previous?: { start: Date; end: Date };
  cache: CommittedChange['cache'];
}

/** The notifications of one booking's change (a series has its own, see `series.service.ts`; a reminder is no change). */
type SingleNotification = Exclude<Extract<NotificationType, `booking.${string}`>, 'booking.reminder'>;

const ACTIONS = {
  'booking.confirmed': 'create',
  'booking.modified': 'modify',
  'booking.cancelled': 'cancel',
  'booking.released': 'cancel',
} as const satisfies Record<SingleNotification, 'create' | 'modify' | 'cancel'>;

export function createBookingService(deps: BookingDeps): BookingService {
  const { bookings, clock, logger } = deps;

  const guards = createBookingGuards(deps);
  const { withResourceLock, fenceWithRules, knownRules, rulesInTx, daysBefore, checkShape, checkWindow } = guards;

  /**
   * Inside the transaction, after its writes: the outbox entry and the audit event with its
   * actor; and, without a read, how the touched days change at `version` (applied to the cache
   * after the commit).
   */
  async function record(
    session: ClientSession,
    o: {
      type: SingleNotification;
      doc: BookingDoc;
      version: number;
      previous?: { start: Date; end: Date };
      zone: string;
      /** Null for the system (a no-show release). */
      actor: Principal | null;
      /** A no-show release: when the check-in window closed. */
      checkInBy?: Date;
    },
  ): Promise<TxOutcome> {
    const rid = o.doc.resourceId.toHexString();
    await deps.history.append(
      {
        bookingId: o.doc._id.toHexString(),
        at: clock.now(),
        action: ACTIONS[o.type],
        actor: o.actor ? { id: o.actor.id, name: o.actor.name, role: o.actor.role } : null,
        start: o.doc.start,
        end: o.doc.end,
        status: o.doc.status,
      },
      session,
    );
    await deps.outbox.append(
      {
        type: o.type,
        bookingId: o.doc._id.toHexString(),
        userId: o.doc.userId.toHexString(),
        resourceId: rid,
        start: o.doc.start,
        end: o.doc.end,
        ...(o.previous ? { previous: o.previous } : {}),
        ...(o.checkInBy ? { checkInBy: o.checkInBy } : {}),
        version: o.version,
        createdAt: clock.now(),
        // An occurrence of a series changes within the series' calendar event (RECURRENCE-ID).
        ...(o.doc.seriesId ? { seriesId: o.doc.seriesId.toHexString(), recurrenceId: o.doc.recurrenceId ?? o.doc.start } : {}),
      },
      session,
    );
    const touched = daysOf([o.doc, ...(o.previous ? [o.previous] : [])], o.zone);
    const holds = new Set(o.doc.status === 'active' ? daysOf([o.doc], o.zone) : []);
    const cache = {
      kind: 'patch' as const,
      version: o.version,
      busy: { bookingId: o.doc._id.toHexString(), start: o.doc.start.toISOString(), end: o.doc.end.toISOString() },
      days: touched.map((day) => ({ day, holds: holds.has(day) })),
    };
    return { doc: o.doc, version: o.version, ...(o.previous ? { previous: o.previous } : {}), cache };
  }

  function committed(outcome: TxOutcome, change: SlotChange): Committed<Booking> {
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
          cache: outcome.cache,
        },
      ],
    };
  }

  const replayed = (doc: BookingDoc): Committed<Booking> => ({ result: toWireBooking(doc, clock.now()), changes: [] });

  /**
   * Inside the transaction, before the fence: the policy, the slot itself, the buffer around it
   * and the per-resource quota, in that order. Every read here is on the transaction's snapshot
   * and the fence bump that follows conflicts with any change of this resource committed since,
   * so the checks hold under any interleaving (docs/design.md "Booking").
   */
  async function admit(
    session: ClientSession,
    a: { rules: ResourceRules; resourceId: string; userId: string; start: Date; end: Date; staff: boolean; excludeId?: string },
  ): Promise<void> {
    const { policy, timeZone } = a.rules;
    const now = clock.now();
    const rule = policyViolation({ policy, timeZone, start: a.start, end: a.end, now, staff: a.staff });
    if (rule) throw new AppError(ErrorCode.POLICY_VIOLATION, `the booking breaks the ${rule} rule`, { details: { rule } });
    const exclude = a.excludeId ? { excludeId: a.excludeId } : {};
    if (await bookings.overlapExists({ resourceId: a.resourceId, start: a.start, end: a.end, ...exclude }, session)) {
      throw new AppError(ErrorCode.SLOT_TAKEN, 'the slot is taken');
    }
    if (policy.bufferMinutes > 0) {
      const gap = policy.bufferMinutes * 60_000;
      const widened = { resourceId: a.resourceId, start: new Date(a.start.getTime() - gap), end: new Date(a.end.getTime() + gap), ...exclude };
      if (await bookings.overlapExists(widened, session)) {
        throw new AppError(ErrorCode.POLICY_VIOLATION, 'too close to another booking', { details: { rule: 'buffer' } });
      }
    }
    if (policy.maxActivePerUser !== null && !a.staff) {
      const held = await bookings.countActiveFuture({ userId: a.userId, resourceId: a.resourceId, now, ...exclude }, session);
      if (held >= policy.maxActivePerUser) {
        throw new AppError(ErrorCode.QUOTA_EXCEEDED, `at most ${policy.maxActivePerUser} active bookings of this resource`, {
          details: { scope: 'resource', limit: policy.maxActivePerUser },
        });
      }
    }
  }

  /**
   * `admit` with the rules the directory knows. A refusal under them is only final if the
   * snapshot's rules are the same (a stale directory may hold a stricter policy than the stored
   * one): otherwise the checks run again with the snapshot's. Passing checks are confirmed by the
   * caller against the rules the fence answers.
   */
  async function admitAssuming(session: ClientSession, resourceId: string, assumed: ResourceRules, check: (rules: ResourceRules) => Promise<void>): Promise<void> {
    try {
      await check(assumed);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const truth = await rulesInTx(resourceId, session);
      if (sameRules(assumed, truth)) throw err;
      await check(truth);
    }
  }

  /**
   * Inside the transaction: the quota across resources (`MAX_ACTIVE_BOOKINGS_PER_USER`). The
   * resource fence does not serialise two bookings of one user on two resources, so both could
   * count "fewer than N" on their snapshots (write skew): the user's own fence makes every such
   * pair conflict, and the retried one counts again on a fresh snapshot (docs/design.md "Booking").
   * Staff bookings on behalf count against the user like any other.
   */
  async function userQuota(session: ClientSession, userId: string): Promise<void> {
    if (!(await deps.users.fence(userId, session))) throw new AppError(ErrorCode.NOT_FOUND, 'no such user');
    const held = await bookings.countActiveFuture({ userId, now: clock.now() }, session);
    if (held >= deps.maxActivePerUser) {
      throw new AppError(ErrorCode.QUOTA_EXCEEDED, `at most ${deps.maxActivePerUser} active bookings per person`, {
        details: { scope: 'user', limit: deps.maxActivePerUser },
      });
    }
  }

  async function findOwned(principal: Principal, bookingId: string): Promise<BookingDoc> {
    const doc = await bookings.findById(bookingId);
    if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
    if (principal.role !== 'staff' && doc.userId.toHexString() !== principal.id) {
      throw new AppError(ErrorCode.FORBIDDEN, 'not your booking');
    }
    return doc;
  }

  /** Inside a transaction: the booking as the snapshot sees it, still active and not yet over. */
  async function activeInTx(id: string, session: ClientSession): Promise<BookingDoc> {
    const doc = await bookings.findById(id, session);
    if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
    if (doc.status !== 'active') throw new AppError(ErrorCode.INVALID_STATE, 'the booking is cancelled');
    if (doc.end.getTime() <= clock.now().getTime()) throw new AppError(ErrorCode.INVALID_STATE, 'the booking is completed');
    return doc;
  }

  return {
    ...createSeriesOperations(deps, guards),
    ...createAttendanceOperations(deps, guards, {
      recordRelease: async (session, o) =>
        committed(await record(session, { type: 'booking.released', doc: o.doc, version: o.version, zone: o.zone, actor: null, checkInBy: o.checkInBy }), 'released'),
    }),
    async create({ principal, resourceId, start, end, idempotencyKey, forUserId }) {
      checkShape(start, end);
      if (!objectIdOrNull(resourceId)) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      const userId = forUserId ?? principal.id;
      if (!objectIdOrNull(userId)) throw new AppError(ErrorCode.NOT_FOUND, 'no such user');

      const staff = principal.role === 'staff';
      // The same key answers the first result, but only for the same request: a different
      // resource or interval under a used key is a client bug, not a repeat.
      const sameRequest = (prior: BookingDoc): BookingDoc => {
        if (prior.resourceId.toHexString() !== resourceId || prior.start.getTime() !== start.getTime() || prior.end.getTime() !== end.getTime()) {
          throw new AppError(ErrorCode.VALIDATION_ERROR, 'this idempotency key was used for another booking');
        }
        return prior;
      };
      const replay = async (): Promise<BookingDoc | null> => {
        const prior = idempotencyKey ? await bookings.findByKey(userId, idempotencyKey) : null;
        return prior ? sameRequest(prior) : null;
      };
      const first = await replay();
      if (first) return replayed(first);
      checkWindow(start);

      const before = deps.availability.invalidate(resourceId, await daysBefore(resourceId, [{ start, end }]));
      let outcome: TxOutcome | { replayed: BookingDoc };
      try {
        outcome = await withResourceLock({
          resourceId,
          before,
          // A repeat of a request that just won is not a loser: let it through to replay. Overlap
          // first: once the winner's commit is visible there, the replay read sees it too.
          takenCheck: async () => (await bookings.overlapExists({ resourceId, start, end })) && !(await replay()),
          run: () =>
            inTransaction(deps.conn, deps.tx, async (session): Promise<TxOutcome | { replayed: BookingDoc }> => {
              if (idempotencyKey) {
                // A concurrent request with the same key may have committed since the check above.
                const prior = await bookings.findByKey(userId, idempotencyKey, session);
                if (prior) return { replayed: sameRequest(prior) };
              }
              // Read, then fence. Both happen on one snapshot: if any change of this resource
              // commits after the snapshot, it bumped the fence too, so our bump conflicts and the
              // driver retries us on a fresh snapshot. A loser that sees the winner aborts without
              // writing anything, so it does not disturb the others. The checks use the rules
              // the directory knows; the fence answers the snapshot's, and when a settings change
              // made those differ the checks run again with them (same snapshot, so still exact).
              const assumed = await knownRules(resourceId);
              const check = (rules: ResourceRules) => admit(session, { rules, resourceId, userId, start, end, staff });
              await admitAssuming(session, resourceId, assumed, check);
              await userQuota(session, userId);
              const { version, rules } = await fenceWithRules(resourceId, session);
              if (!sameRules(assumed, rules)) await check(rules);
              const doc = await bookings.insert({ resourceId, userId, start, end, ...(idempotencyKey ? { idempotencyKey } : {}) }, session);
              return record(session, { type: 'booking.confirmed', doc, version, zone: rules.timeZone, actor: principal });
            }),
        });
      } catch (err) {
        // Same key raced past the in-transaction check: the unique index answers.
        if (err instanceof mongoose.mongo.MongoServerError && err.code === 11000) {
          const prior = await replay();
          if (prior) return replayed(prior);
        }
        throw err;
      }
      if ('replayed' in outcome) return replayed(outcome.replayed);
      return committed(outcome, 'booked');
    },

    async cancel({ principal, bookingId }) {
      const found = await findOwned(principal, bookingId);
      const resourceId = found.resourceId.toHexString();
      const before = deps.availability.invalidate(resourceId, await daysBefore(resourceId, [found]));
      const outcome = await withResourceLock({
        resourceId,
        before,
        run: () =>
          inTransaction(deps.conn, deps.tx, async (session): Promise<TxOutcome> => {
            const { version, rules } = await fenceWithRules(resourceId, session);
            const current = await activeInTx(bookingId, session);
            // The owner cancelling is the person's own choice; anyone else can only be staff.
            const cancelReason = current.userId.toHexString() === principal.id ? 'user' : 'staff';
            const doc = await bookings.update(bookingId, { status: 'cancelled', cancelReason }, session);
            if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
            return record(session, { type: 'booking.cancelled', doc, version, zone: rules.timeZone, actor: principal });
          }),
      });
      return committed(outcome, 'released');
    },

    async modify({ principal, bookingId, start, end }) {
      checkShape(start, end);
      checkWindow(start);
      const found = await findOwned(principal, bookingId);
      const resourceId = found.resourceId.toHexString();
      const staff = principal.role === 'staff';
      const before = deps.availability.invalidate(resourceId, await daysBefore(resourceId, [found, { start, end }]));
      const overlap = () => bookings.overlapExists({ resourceId, start, end, excludeId: bookingId });
      const outcome = await withResourceLock({
        resourceId,
        before,
        takenCheck: () => overlap(),
        run: () =>
          inTransaction(deps.conn, deps.tx, async (session): Promise<TxOutcome> => {
            const current = await activeInTx(bookingId, session);
            const previous = { start: current.start, end: current.end };
            const userId = current.userId.toHexString();
            // As in create(): checked with the directory's rules, again if the fenced ones differ.
            const assumed = await knownRules(resourceId);
            const check = (rules: ResourceRules) => admit(session, { rules, resourceId, userId, start, end, staff, excludeId: bookingId });
            await admitAssuming(session, resourceId, assumed, check);
            const { version, rules } = await fenceWithRules(resourceId, session); // after the reads: see create()
            if (!sameRules(assumed, rules)) await check(rules);
            // A check-in is attendance at one interval: a booking moved or resized must be checked
            // in again at its new time, or its no-show timer releases it (docs/protocol.md v3).
            const moved = current.start.getTime() !== start.getTime() || current.end.getTime() !== end.getTime();
            const doc = await bookings.update(bookingId, { start, end }, session, moved ? { clearCheckIn: true } : {});
            if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
            return record(session, { type: 'booking.modified', doc, version, previous, zone: rules.timeZone, actor: principal });
          }),
      });
      return committed(outcome, 'moved');
    },

    async mine(principal) {
      const docs = await bookings.ofUser(principal.id, 500);
      const now = clock.now();
      return docs.map((d) => toWireBooking(d, now));
    },
  };
}
