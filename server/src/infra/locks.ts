import Redlock from 'redlock';
import type { Redis } from 'ioredis';
import type { RedisNames } from './channels';
import type { Logger } from './logger';

/** Outcome of one attempt to take a resource's lock. */
export type LockAttempt = { acquired: true; release: () => Promise<void> } | { acquired: false };

/**
 * A per-resource mutual-exclusion hint. It only reduces contention: the booking transaction's
 * fence is what forbids overlaps, so a lock that expires while its holder is paused is harmless.
 */
export interface SlotLock {
  tryAcquire(resourceId: string): Promise<LockAttempt>;
}

export function createRedlockSlotLock(opts: { redis: Redis; names: RedisNames; ttlMs: number; logger: Logger }): SlotLock {
  // One attempt per call: the caller owns the retry loop so it can answer SLOT_TAKEN early.
  const redlock = new Redlock([opts.redis], { retryCount: 0, driftFactor: 0.01 });
  redlock.on('clientError', (err) => opts.logger.debug({ err: err.message }, 'lock client error'));
  return {
    async tryAcquire(resourceId) {
      let release: () => Promise<void>;
      try {
        const lock = await redlock.lock(opts.names.lock(resourceId), opts.ttlMs);
        release = () => lock.unlock().catch(() => undefined); // expired or Redis away: the lease runs out by itself
      } catch (err) {
        if (!(err instanceof Redlock.LockError)) opts.logger.warn({ err }, 'lock attempt failed');
        return { acquired: false };
      }
      return { acquired: true, release };
    },
  };
}

/** `BOOKING_LOCKS=off`: no lock at all; the fence alone keeps bookings apart. */
export const noSlotLock: SlotLock = {
  async tryAcquire() {
    return { acquired: true, release: async () => undefined };
  },
};
