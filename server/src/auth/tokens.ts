/**
 * Signed session tokens (HS256 JWTs): what they claim, and how they are signed and checked, with
 * every time read from the injected clock. The auth service decides who may have one.
 */
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { ErrorCode } from '@booking/shared';
import type { Role } from '@booking/shared';
import { AppError } from '../infra/errors';
import type { Clock } from '../infra/clock';

/** Tokens live one hour; clients renew them before that (`refresh`). */
export const TOKEN_TTL_SECONDS = 3600;
const ISSUER = 'booking-server';

/** A token's claims: user, token version, expiry and the chain's sign-in time (epoch s). */
export interface TokenClaims {
  sub: string;
  tv: number;
  exp: number;
  sit: number;
}

export interface TokenSigner {
  /**
   * `sit`: the chain's sign-in time (epoch s), carried from token to token by every refresh.
   * `ttl` as jose reads it: a span (`'2s'`) or an absolute expiry in epoch seconds.
   */
  sign(p: { id: string; role: Role; tokenVersion: number; signedInAt: number }, ttl?: string | number): Promise<string>;
  /** The claims of a well-formed, correctly signed, unexpired token; else UNAUTHORIZED. */
  verify(token: string): Promise<TokenClaims>;
}

export function createTokenSigner(secret: string, clock: Clock): TokenSigner {
  const key = new TextEncoder().encode(secret);
  const nowSec = () => Math.floor(clock.now().getTime() / 1000);
  return {
    sign(p, ttl = `${TOKEN_TTL_SECONDS}s`) {
      const iat = nowSec();
      // A span counts from the injected clock, not the machine's (jose would read Date.now()).
      const span = typeof ttl === 'string' ? /^(\d+)s$/.exec(ttl) : null;
      const exp = typeof ttl === 'number' ? ttl : span ? iat + Number(span[1]) : ttl;
      return new SignJWT({ role: p.role, tv: p.tokenVersion, sit: Math.floor(p.signedInAt / 1000) })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(p.id)
        .setIssuer(ISSUER)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(key);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: ISSUER,
          algorithms: ['HS256'],
          currentDate: clock.now(),
        });
        // A token without `tv` was signed before token versions existed: it counts as version 0,
        // so a deploy signs nobody out, and the first role change revokes it like any other.
        const tv = payload.tv ?? 0;
        // Likewise a token without `sit` began its chain when it was issued, and one that names no
        // issue time either (only its expiry, which jwtVerify has checked) a token lifetime before it.
        const sit =
          payload.sit ?? payload.iat ?? (typeof payload.exp === 'number' ? payload.exp - TOKEN_TTL_SECONDS : undefined);
        if (
          typeof payload.sub !== 'string' ||
          typeof tv !== 'number' ||
          typeof payload.exp !== 'number' ||
          typeof sit !== 'number'
        ) {
          throw new AppError(ErrorCode.UNAUTHORIZED, 'malformed token');
        }
        return { sub: payload.sub, tv, exp: payload.exp, sit };
      } catch (err) {
        if (err instanceof AppError) throw err;
        const expired = err instanceof joseErrors.JWTExpired;
        throw new AppError(ErrorCode.UNAUTHORIZED, expired ? 'token expired' : 'invalid token', { cause: err });
      }
    },
  };
}
