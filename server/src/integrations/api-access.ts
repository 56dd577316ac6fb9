/**
 * (v3) Who may call the HTTP integration routes: a person (`Authorization: Bearer <user token>`,
 * as `requireAuth`) or an API key (`Bearer bk_...`: a principal with role 'staff' and
 * `apiKey: {id, scopes}`). Keys work on HTTP only: the socket handshake verifies user tokens, and
 * a `bk_` string is not one (UNAUTHORIZED there).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { API_KEY_PREFIX, ErrorCode } from '@booking/shared';
import type { ApiScope } from '@booking/shared';
import type { Principal } from '../infra/contract';
import { AppError } from '../infra/errors';
import { bearerToken, principalOf } from '../infra/http-kit';
import type { ApiKeyService } from './api-keys/api-key.service';

export interface ApiAccessDeps {
  auth: { verify(token: unknown): Promise<Principal> };
  apiKeys: Pick<ApiKeyService, 'authenticate'>;
}

/** Accepts a person's token or an API key; sets `res.locals.principal` like requireAuth. A revoked/unknown key → 401 UNAUTHORIZED. */
export function requireCaller(deps: ApiAccessDeps): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    if (token.startsWith(API_KEY_PREFIX)) {
      const key = await deps.apiKeys.authenticate(token);
      const principal: Principal = {
        // The key's own id: booking history records it (and the key's name) as the actor.
        id: key.id,
        name: key.name,
        role: 'staff',
        apiKey: { id: key.id, scopes: key.scopes },
      };
      res.locals.principal = principal;
    } else {
      res.locals.principal = await deps.auth.verify(token);
    }
    next();
  };
}

/** 403 FORBIDDEN when the caller is an API key without `scope`; people pass (their role decides as elsewhere). */
export function requireScope(scope: ApiScope): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const { apiKey } = principalOf(res);
    if (apiKey && !apiKey.scopes.includes(scope))
      throw new AppError(ErrorCode.FORBIDDEN, `this API key lacks the scope ${scope}`);
    next();
  };
}

/** True when the caller is an API key with `scope` (used where one of several scopes opens a route). */
export function keyHasScope(principal: Principal, scope: ApiScope): boolean {
  return principal.apiKey !== undefined && principal.apiKey.scopes.includes(scope);
}
