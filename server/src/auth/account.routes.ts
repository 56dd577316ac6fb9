/**
 * The account endpoints (docs/protocol.md v3 "Sessions", `EMAIL_VERIFICATION`):
 * `POST /api/auth/logout-all` → 204, `POST /api/auth/password {current, next}` → 204 (the caller
 * signs in again with the new password: every token is revoked, its own too),
 * `POST /api/auth/verify {token}` → 200 `{user}` (no Authorization needed: the link may be opened
 * in another browser), `POST /api/auth/verify/resend` → 204, 429 over 5 an hour.
 */
import { Router } from 'express';
import { PasswordChangeBody, VerifyEmailBody } from '@booking/shared';
import { parseOrThrow, principalOf, requireAuth } from '../infra/http-kit';
import type { AccountService } from './account.service';
import type { AuthService } from './auth.service';

export function accountRouter(deps: { auth: AuthService; account: AccountService }): Router {
  const router = Router();
  router.post('/api/auth/logout-all', requireAuth(deps.auth), async (_req, res) => {
    await deps.account.logoutAll(principalOf(res));
    res.status(204).end();
  });
  router.post('/api/auth/password', requireAuth(deps.auth), async (req, res) => {
    const body = parseOrThrow(PasswordChangeBody, req.body);
    await deps.account.changePassword(principalOf(res), body);
    res.status(204).end();
  });
  router.post('/api/auth/verify', async (req, res) => {
    const body = parseOrThrow(VerifyEmailBody, req.body);
    res.status(200).json({ user: await deps.account.verifyEmail(body.token) });
  });
  router.post('/api/auth/verify/resend', requireAuth(deps.auth), async (_req, res) => {
    await deps.account.resendVerification(principalOf(res));
    res.status(204).end();
  });
  return router;
}
