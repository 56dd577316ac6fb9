/**
 * Login and register throttling (docs/protocol.md "HTTP"), in Redis so every node counts the same
 * attempts (`rate-limiter-flexible`). A point is taken *before* the password is hashed, so a flood
 * is refused without spending scrypt on it; a successful login gives its points back, so only
 * failures add up. While Redis is away each node falls back to counting in memory.
 */
import type { RedisClient } from '../infra/redis';
import type { RedisNames } from '../infra/channels';
import { redisLimiter, take } from '../infra/rate-limits';

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
  /**
   * (v3) A single sign-on started (each keeps its state in Redis for 10 minutes): as many per
   * address as registrations (REGISTER_LIMIT_PER_ADDRESS per 10 minutes), so a flood cannot fill Redis.
   */
  beforeSsoStart(address: string): Promise<void>;
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

  const ssoPerAddress = limiter('sso:address', opts.registerPerAddress, TEN_MINUTES);

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
    beforeSsoStart: (address) => take(ssoPerAddress, address),
  };
}
