/**
 * The HTTP helpers every capability's routes use: the bearer token of a request, the payload
 * parsed at the edge, and the signed-in principal. A leaf (see `contract.ts` for the direction):
 * it knows no capability, only something that verifies a token.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { ErrorCode } from '@booking/shared';
import type { Principal } from './contract';
import { AppError, zodDetails } from './errors';

/** The token of an `Authorization: Bearer <token>` header ('' when there is none). */
export function bearerToken(req: Request): string {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7) : '';
}

/** Parses input at the edge: a failure becomes VALIDATION_ERROR with path/message details. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError(ErrorCode.VALIDATION_ERROR, 'invalid payload', { details: zodDetails(result.error.issues) });
  }
  return result.data;
}

/** Puts the verified principal on `res.locals.principal`, or answers 401 (the verifier throws UNAUTHORIZED). */
export function requireAuth(auth: { verify(token: unknown): Promise<Principal> }): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    res.locals.principal = await auth.verify(bearerToken(req));
    next();
  };
}

export function principalOf(res: Response): Principal {
  const p: unknown = res.locals.principal;
  if (!p || typeof p !== 'object') throw new AppError(ErrorCode.UNAUTHORIZED, 'not signed in');
  return p as Principal;
}
