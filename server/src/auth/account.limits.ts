/**
 * Per-user budgets of the account endpoints, in Redis so every node counts the same requests
 * (`rate-limiter-flexible`, as `auth.limits.ts`): verification mails asked for again, and wrong
 * current passwords (a stolen token must not become a way to guess the password).
 */
import type { RedisNames } from '../infra/channels';
import type { RedisClient } from '../infra/redis';
import { rateLimited, redisLimiter, take } from '../infra/rate-limits';

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
  const resends = redisLimiter(opts, { name: 'verify:resend', points: VERIFY_RESENDS_PER_HOUR, duration: 3600 });
  const passwordFailures = redisLimiter(opts, {
    name: 'password:user',
    points: PASSWORD_FAILURES_PER_USER,
    duration: 15 * 60,
  });

  return {
    beforeResend: (userId) => take(resends, userId),
    async beforePasswordCheck(userId) {
      const res = await passwordFailures.get(userId);
      if (res && res.consumedPoints >= PASSWORD_FAILURES_PER_USER) throw rateLimited(res.msBeforeNext);
    },
    async passwordCheckFailed(userId) {
      await passwordFailures.penalty(userId, 1);
    },
  };
}
