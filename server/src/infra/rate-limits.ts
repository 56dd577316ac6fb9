/**
 * Budgets counted in Redis (`rate-limiter-flexible`) under the deployment's prefix, so every node
 * counts the same attempts, and the RATE_LIMITED answer to a spent one. Used by the login,
 * registration and account limits and the calendar feeds.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode } from '@booking/shared';
import type { RedisNames } from './channels';
import { AppError } from './errors';
import type { RedisClient } from './redis';

/**
 * A budget of `points` per `duration` seconds counted in Redis under the deployment's prefix, so
 * every node counts the same attempts; while Redis is away each node counts in memory (fail open
 * to a per-node count rather than refuse everyone).
 */
export function redisLimiter(
  stores: { redis: RedisClient; names: RedisNames },
  budget: { name: string; points: number; duration: number },
): RateLimiterAbstract {
  const { points, duration } = budget;
  return new RateLimiterRedis({
    storeClient: stores.redis,
    keyPrefix: stores.names.rateLimit(budget.name),
    points,
    duration,
    insuranceLimiter: new RateLimiterMemory({ points, duration }),
  });
}

/** The answer to a spent budget: RATE_LIMITED with the time until the next point (at least 1 s). */
export function rateLimited(msBeforeNext: number, message = 'too many attempts; try again later'): AppError {
  return new AppError(ErrorCode.RATE_LIMITED, message, { details: { retryAfterMs: Math.max(1000, msBeforeNext) } });
}

/** Takes a point for `key`, or throws `rateLimited` (with `message` when given). */
export async function take(l: RateLimiterAbstract, key: string, message?: string): Promise<void> {
  try {
    await l.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw rateLimited(err.msBeforeNext, message);
    throw err;
  }
}
