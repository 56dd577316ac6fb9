import Redlock from 'redlock';
import type { RedisNames } from './channels';
import type { Logger } from './logger';
import type { RedisClient } from './redis';
import { TUNABLES } from './tunables';

/**
 * Outcome of one attempt to take a resource's lock. `skipped`: Redis did not answer, so the
 * caller goes on without a lock (the fence still holds; only contention is no longer reduced).
 */
export type LockAttempt = { acquired: true; skipped?: boolean; release: () => Promise<void> } | { acquired: false };

/**
 * A per-resource mutual-exclusion hint. It only reduces contention: the booking transaction's
 * fence is what forbids overlaps, so a lock that expires while its holder is paused is harmless,
 * and so is going on without one while Redis is away.
 */
export interface SlotLock {
  tryAcquire(resourceId: string): Promise<LockAttempt>;
}

/** Running totals of the lock (exported by /metrics). */
export interface LockFaults {
  /** Attempts that went on without a lock because Redis did not answer. */
  skipped: number;
}

const noRelease = async (): Promise<void> => undefined;

export function createRedlockSlotLock(opts: {
  redis: RedisClient;
  names: RedisNames;
  ttlMs: number;
  logger: Logger;
  faults?: LockFaults;
  /** How long an attempt may wait for Redis before it is skipped (default 500 ms). */
  answerWithinMs?: number;
}): SlotLock {
  // One attempt per call: the caller owns the retry loop so it can answer SLOT_TAKEN early.
  const redlock = new Redlock([opts.redis], { retryCount: 0, driftFactor: 0.01 });
  // Redlock 4 turns a client's error into a vote against, then a LockError like contention does;
  // counting client errors tells "Redis did not answer" apart from "someone holds it".
  let clientErrors = 0;
  redlock.on('clientError', (err) => {
    clientErrors += 1;
    opts.logger.debug({ err: err.message }, 'lock client error');
  });
  const answerWithinMs = opts.answerWithinMs ?? TUNABLES.lockAnswerWithinMs;
  const skip = (why: string): LockAttempt => {
    if (opts.faults) opts.faults.skipped += 1;
    opts.logger.debug({ why }, 'lock skipped; the fence alone keeps bookings apart');
    return { acquired: true, skipped: true, release: noRelease };
  };
  return {
    async tryAcquire(resourceId) {
      if (opts.redis.status !== 'ready') return skip('redis not connected');
      const errorsBefore = clientErrors;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), answerWithinMs);
      });
      const locking = redlock.lock(opts.names.lock(resourceId), opts.ttlMs);
      try {
        const lock = await Promise.race([locking, late]);
        if (lock === 'late') {
          // Should it still be granted, the lease runs out by itself.
          locking
            .then(
              (l) => l.unlock(),
              () => undefined,
            )
            .catch(() => undefined);
          return skip('redis did not answer in time');
        }
        // Expired or Redis away: the lease runs out by itself.
        return { acquired: true, release: () => lock.unlock().then(noRelease, noRelease) };
      } catch (err) {
        if (clientErrors > errorsBefore) return skip('redis refused the lock command');
        if (!(err instanceof Redlock.LockError)) opts.logger.warn({ err }, 'lock attempt failed');
        return { acquired: false };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** `BOOKING_LOCKS=off`: no lock at all; the fence alone keeps bookings apart. */
export const noSlotLock: SlotLock = {
  async tryAcquire() {
    return { acquired: true, release: noRelease };
  },
};
