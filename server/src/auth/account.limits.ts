/**
 * Per-user budgets of the account endpoints, in Redis so every node counts the same requests
 * (`rate-limiter-flexible`, as `auth.limits.ts`): verification mails asked for again, and wrong
 * current passwords (a stolen token must not become a way to guess the password).
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode } from '@booking/shared';
import type { RedisNames } from '../infra/channels';
import { AppError } from '../infra/errors';
import type { RedisClient } from '../infra/redis';

/** Verification mails one user may ask for again within an hour. */
export const VERIFY_RESENDS_PER_HOUR = 5;
/** Wrong current passwords one user may send within 15 minutes. */
export const PASSWORD_FAILURES_PER_USER = 10;

export interface AccountLimits {
  /** Takes a resend; RATE_LIMITED (with `retryAfterMs`) when the hour's are spent. */
  beforeResend(userId: string): Promise<void>;
  /** RATE_LIMITED when the user already sent too many wrong current passwords. */
  beforePasswordCheck(userId: string): Promise<void>;
  passwordCheckFailed(userId: string): Promise<void>;
}

export function createAccountLimits(opts: { redis: RedisClient; names: RedisNames }): AccountLimits {
  const limiter = (name: string, points: number, duration: number): RateLimiterAbstract =>
    new RateLimiterRedis({
      storeClient: opts.redis,
      keyPrefix: opts.names.rateLimit(name),
      points,
      duration,
      insuranceLimiter: new RateLimiterMemory({ points, duration }),
    });
  const resends = limiter('verify:resend', VERIFY_RESENDS_PER_HOUR, 3600);
  const passwordFailures = limiter('password:user', PASSWORD_FAILURES_PER_USER, 15 * 60);
  const refused = (msBeforeNext: number) =>
    new AppError(ErrorCode.RATE_LIMITED, 'too many attempts; try again later', { details: { retryAfterMs: Math.max(1000, msBeforeNext) } });

  return {
    async beforeResend(userId) {
      try {
        await resends.consume(userId);
      } catch (err) {
        if (err instanceof RateLimiterRes) throw refused(err.msBeforeNext);
        throw err;
      }
    },
    async beforePasswordCheck(userId) {
      const res = await passwordFailures.get(userId);
      if (res && res.consumedPoints >= PASSWORD_FAILURES_PER_USER) throw refused(res.msBeforeNext);
    },
    async passwordCheckFailed(userId) {
      await passwordFailures.penalty(userId, 1);
    },
  };
}
