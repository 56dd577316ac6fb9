/**
 * Login and register throttling (docs/protocol.md "HTTP"), in Redis so every node counts the same
 * attempts (`rate-limiter-flexible`). A point is taken *before* the password is hashed, so a flood
 * is refused without spending scrypt on it; a successful login gives its points back, so only
 * failures add up. While Redis is away each node falls back to counting in memory.
 */
import type { RedisClient } from '../infra/redis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode } from '@booking/shared';
import type { RedisNames } from '../infra/channels';
import { AppError } from '../infra/errors';

const FIFTEEN_MINUTES = 15 * 60;
const TEN_MINUTES = 10 * 60;

/** Failed logins for one email within 15 minutes before it is refused (docs/protocol.md). */
export const LOGIN_FAILURES_PER_EMAIL = 10;

export interface AuthLimits {
  /** Takes a point from the email's and the address's budgets; RATE_LIMITED when either is spent. */
  beforeLogin(email: string, address: string): Promise<void>;
  /** A successful login: the points it took are given back. */
  loginSucceeded(email: string, address: string): Promise<void>;
  beforeRegister(address: string): Promise<void>;
}

/**
 * A budget of `points` per `duration` seconds counted in Redis under the deployment's prefix, so
 * every node counts the same attempts; while Redis is away each node counts in memory (fail open
 * to a per-node count rather than refuse everyone).
 */
export function redisLimiter(stores: { redis: RedisClient; names: RedisNames }, budget: { name: string; points: number; duration: number }): RateLimiterAbstract {
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
export function rateLimited(msBeforeNext: number): AppError {
  return new AppError(ErrorCode.RATE_LIMITED, 'too many attempts; try again later', { details: { retryAfterMs: Math.max(1000, msBeforeNext) } });
}

/** Takes a point for `key`, or throws `rateLimited`. */
export async function take(l: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await l.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw rateLimited(err.msBeforeNext);
    throw err;
  }
}

export function createAuthLimits(opts: {
  redis: RedisClient;
  names: RedisNames;
  loginPerAddress: number;
  registerPerAddress: number;
}): AuthLimits {
  const limiter = (name: string, points: number, duration: number) => redisLimiter(opts, { name, points, duration });
  const perEmail = limiter('login:email', LOGIN_FAILURES_PER_EMAIL, FIFTEEN_MINUTES);
  const loginPerAddress = limiter('login:address', opts.loginPerAddress, FIFTEEN_MINUTES);
  const registerPerAddress = limiter('register:address', opts.registerPerAddress, TEN_MINUTES);

  const emailKey = (email: string) => email.trim().toLowerCase();

  return {
    async beforeLogin(email, address) {
      // The address first: a blocked address must not also spend the victim's email budget.
      await take(loginPerAddress, address);
      await take(perEmail, emailKey(email));
    },
    async loginSucceeded(email, address) {
      await Promise.all([perEmail.delete(emailKey(email)), loginPerAddress.reward(address)]);
    },
    beforeRegister: (address) => take(registerPerAddress, address),
  };
}
