/**
 * What a signed-in person does to their own account (docs/protocol.md v3 "Sessions" and
 * `EMAIL_VERIFICATION`): sign out everywhere, change the password, verify the email address and
 * ask for the link again.
 *
 * Revocation reuses the one mechanism a role change uses: bump the user's `tokenVersion` (every
 * token issued before stops working at its next check, on every node, since every check reads the
 * user) and then `revokeSessions` disconnects every socket of the user on every node through the
 * adapter. A password change bumps it in the same write as the new hash, so it revokes the
 * caller's own token too: the client signs in again with the new password it just typed (the
 * answer is a bodiless 204, as the contract says), which is simpler and safer than a second,
 * per-session revocation list.
 */
import { ErrorCode } from '@booking/shared';
import type { PasswordChangeBody, User } from '@booking/shared';
import type { Clock } from '../infra/clock';
import { AppError } from '../infra/errors';
import type { Logger } from '../infra/logger';
import type { AccountLimits } from './account.limits';
import type { Principal } from './auth.service';
import type { EmailVerificationStore } from './email-verification.store';
import { hashPassword, verifyPassword } from './password';
import { toWireUser } from './user.store';
import type { UserStore } from './user.store';

export interface AccountService {
  /** Every token of the caller stops working; their sockets are disconnected on every node. */
  logoutAll(principal: Principal): Promise<void>;
  /**
   * INVALID_CREDENTIALS for a wrong current password (RATE_LIMITED after too many), INVALID_STATE
   * for an account without a password (single sign-on). Revokes every token, as `logoutAll`.
   */
  changePassword(principal: Principal, body: PasswordChangeBody): Promise<void>;
  /** Spends a verification token; NOT_FOUND for a bad, used or expired one. */
  verifyEmail(token: string): Promise<User>;
  /** Asks for a new link; INVALID_STATE when already verified; RATE_LIMITED over the hourly budget. */
  resendVerification(principal: Principal): Promise<void>;
}

export interface AccountDeps {
  users: Pick<UserStore, 'findById' | 'bumpTokenVersion' | 'replacePassword'>;
  verification: EmailVerificationStore;
  limits: AccountLimits;
  /** Disconnects every socket of a user on every node (`revokeSessions`). */
  revoke: (userId: string) => Promise<void>;
  clock: Clock;
  logger: Logger;
}

export function createAccountService(deps: AccountDeps): AccountService {
  const disconnect = async (userId: string) => {
    // The token version already refuses every old token; this cuts the open sockets now.
    await deps
      .revoke(userId)
      .catch((err: unknown) => deps.logger.warn({ err, userId }, 'disconnecting a revoked user failed'));
  };
  return {
    async logoutAll(principal) {
      if (!(await deps.users.bumpTokenVersion(principal.id)))
        throw new AppError(ErrorCode.UNAUTHORIZED, 'no such user');
      deps.logger.info({ userId: principal.id }, 'signed out everywhere; tokens revoked');
      await disconnect(principal.id);
    },
    async changePassword(principal, body) {
      const doc = await deps.users.findById(principal.id);
      if (!doc) throw new AppError(ErrorCode.UNAUTHORIZED, 'no such user');
      if (!doc.passwordHash)
        throw new AppError(ErrorCode.INVALID_STATE, 'this account signs in through single sign-on and has no password');
      await deps.limits.beforePasswordCheck(principal.id);
      if (!(await verifyPassword(body.current, doc.passwordHash))) {
        await deps.limits.passwordCheckFailed(principal.id);
        throw new AppError(ErrorCode.INVALID_CREDENTIALS, 'the current password is wrong');
      }
      // Conditional on the hash just checked: of two changes at once, the second is refused.
      if (!(await deps.users.replacePassword(principal.id, doc.passwordHash, await hashPassword(body.next)))) {
        throw new AppError(ErrorCode.INVALID_STATE, 'the password was changed meanwhile');
      }
      deps.logger.info({ userId: principal.id }, 'password changed; tokens revoked');
      await disconnect(principal.id);
    },
    async verifyEmail(token) {
      const userId = await deps.verification.consume(token, deps.clock.now());
      const doc = userId ? await deps.users.findById(userId) : null;
      if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'this link is unknown, used or expired');
      deps.logger.info({ userId }, 'email verified');
      return toWireUser(doc);
    },
    async resendVerification(principal) {
      await deps.limits.beforeResend(principal.id);
      if (!(await deps.verification.requestMail(principal.id, deps.clock.now()))) {
        throw new AppError(ErrorCode.INVALID_STATE, 'the email address is verified already');
      }
      // The notifier's sender finds the request on its next pass (about a second).
    },
  };
}
