/**
 * The steps every booking change shares (single bookings and series alike): the resource's lock
 * as a hint, the fence as the guarantee, and the resource's rules as the transaction's snapshot
 * sees them (docs/design.md "Booking").
 */
import { bookingShapeProblem, ErrorCode, hardWindowViolation } from '@booking/shared';
import { daysOf } from '../infra/days';
import { AppError } from '../infra/errors';
import { noSlotLock } from '../infra/locks';
import { TUNABLES } from '../infra/tunables';
import type { ResourceRules } from '../resources/resource.store';
import type { BookingDeps, BookingGuards } from './booking.types';
import { createResourceGate } from './resource-gate';

export type { BookingGuards } from './booking.types';

/** How long a command may wait for a busy resource's lock before answering BUSY. */
const LOCK_WAIT_MS = 3000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface LockOpts<T> {
  resourceId: string;
  before?: Promise<void>;
  takenCheck?: () => Promise<number | null>;
  run: () => Promise<T>;
}

/** A requested interval's shape in constant time (`end` after `start`, at most 7 days): VALIDATION_ERROR. */
export function checkShape(start: Date, end: Date): void {
  const shape = bookingShapeProblem(start, end);
  if (shape) throw new AppError(ErrorCode.VALIDATION_ERROR, shape, { details: [{ path: 'end', message: shape }] });
}

/** A requested start's hard window in constant time (POLICY_VIOLATION `past` or `advance`, staff included). */
export function checkWindow(start: Date, now: Date): void {
  const rule = hardWindowViolation(start, now);
  if (rule)
    throw new AppError(ErrorCode.POLICY_VIOLATION, `the booking breaks the ${rule} rule`, { details: { rule } });
}

/** SLOT_TAKEN, with the units free, when the quick check says the slot is already too full. */
async function refuseIfTaken(takenCheck: (() => Promise<number | null>) | undefined): Promise<void> {
  const available = takenCheck ? await takenCheck() : null;
  if (available !== null) throw new AppError(ErrorCode.SLOT_TAKEN, 'the slot is taken', { details: { available } });
}

export function createBookingGuards(
  deps: Pick<BookingDeps, 'lock' | 'locks' | 'resources' | 'directory' | 'clock'>,
  /** The longest one command holds its node's queue for a resource (the lock's lease). */
  holdMs: number = TUNABLES.lockLeaseMs,
): BookingGuards {
  const gate = createResourceGate();

  /** Tries the lock until it is had (then runs) or the deadline passes (BUSY), checking the slot between tries. */
  const lockedRun = async <T>(opts: LockOpts<T>, deadline: number, waitedBefore: boolean): Promise<T> => {
    let waited = waitedBefore;
    for (;;) {
      const attempt = await deps.lock.tryAcquire(opts.resourceId);
      if (attempt.acquired) {
        try {
          await opts.before;
          return await opts.run();
        } finally {
          // Not awaited: the release (which never rejects) goes out with the after-commit
          // effects' Redis work; this connection keeps order, so a later attempt from this
          // node is sent after it.
          void attempt.release();
        }
      }
      if (!waited) deps.locks.waits += 1;
      waited = true;
      await refuseIfTaken(opts.takenCheck);
      if (Date.now() >= deadline) throw new AppError(ErrorCode.BUSY, 'the resource is busy; try again');
      await sleep(10 + Math.random() * 30);
    }
  };

  return {
    checkShape,
    checkWindow: (start) => checkWindow(start, deps.clock.now()),
    /**
     * Takes the resource's lock (when locks are on: after this node's commands ahead of it for the
     * resource, `resource-gate.ts`), then runs the change. A command that had to wait first checks
     * whether the slot is already too full, so racing losers hear SLOT_TAKEN quickly instead of
     * queueing for the lock; after `LOCK_WAIT_MS` it gives up with BUSY (safe to retry).
     */
    async withResourceLock(opts) {
      const deadline = Date.now() + LOCK_WAIT_MS;
      if (deps.lock === noSlotLock) return lockedRun(opts, deadline, false);
      const turn = await gate.enter(opts.resourceId, deadline);
      if (!turn) {
        deps.locks.waits += 1;
        await refuseIfTaken(opts.takenCheck);
        throw new AppError(ErrorCode.BUSY, 'the resource is busy; try again');
      }
      // A holder stuck past the lock's lease (its transaction waiting for a new MongoDB primary)
      // stops holding up the queue: the next command goes on to the lock, which the lease frees.
      const lapse = setTimeout(() => turn.leave(), holdMs);
      try {
        if (turn.waited) {
          deps.locks.waits += 1;
          await refuseIfTaken(opts.takenCheck);
        }
        return await lockedRun(opts, deadline, turn.waited);
      } finally {
        clearTimeout(lapse);
        turn.leave();
      }
    },
    async fence(resourceId, session, by = 1) {
      const version = await deps.resources.fence(resourceId, session, by);
      if (version === null) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      return version;
    },
    async fenceWithRules(resourceId, session) {
      const fenced = await deps.resources.fenceWithRules(resourceId, session);
      if (!fenced) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      return fenced;
    },
    async knownRules(resourceId) {
      const resource = await deps.directory.get(resourceId);
      if (!resource) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      return {
        timeZone: resource.timeZone,
        policy: resource.policy,
        capacity: resource.capacity,
        access: resource.access,
      };
    },
    async rulesInTx(resourceId, session) {
      const rules = await deps.resources.rules(resourceId, session);
      if (!rules) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      return rules;
    },
    async daysBefore(resourceId, intervals) {
      const resource = await deps.directory.get(resourceId);
      return resource ? daysOf(intervals, resource.timeZone) : [];
    },
  };
}

/** Whether two readings of a resource's rules agree (both come from stored documents, so key order matches). */
export function sameRules(a: ResourceRules, b: ResourceRules): boolean {
  return (
    a.timeZone === b.timeZone && a.capacity === b.capacity && JSON.stringify(a.policy) === JSON.stringify(b.policy)
  );
}
