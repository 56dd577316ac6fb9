import { Router } from 'express';
import type { Request } from 'express';
import { LoginBody, pickLocale, RegisterBody } from '@booking/shared';
import { bearerToken, parseOrThrow } from '../infra/http-kit';
import type { AuthLimits } from './auth.limits';
import type { AuthService } from './auth.service';

/** The caller's address: the socket's peer, or the gateway's X-Forwarded-For (trust proxy: loopback). */
const addressOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

export function authRouter(auth: AuthService, limits: AuthLimits): Router {
  const router = Router();
  router.post('/api/auth/register', async (req, res) => {
    const body = parseOrThrow(RegisterBody, req.body);
    await limits.beforeRegister(addressOf(req));
    // (v3) The person's language: the body's, else the browser's best of Accept-Language, else `en`.
    const locale = body.locale ?? pickLocale(req.get('accept-language'));
    res.status(201).json(await auth.register({ ...body, locale }));
  });
  router.post('/api/auth/login', async (req, res) => {
    const body = parseOrThrow(LoginBody, req.body);
    const address = addressOf(req);
    await limits.beforeLogin(body.email, address);
    const result = await auth.login(body);
    await limits.loginSucceeded(body.email, address);
    res.status(200).json(result);
  });
  /**
   * Contract addition: a new token (same lifetime as at login) for the holder of a valid one.
   * The page and the dashboard call it before their token expires, so nobody is signed out
   * while working; a revoked or expired token gets 401 like everywhere else.
   */
  router.post('/api/auth/refresh', async (req, res) => {
    res.status(200).json(await auth.refresh(bearerToken(req)));
  });
  return router;
}
