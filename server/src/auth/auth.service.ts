import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { ErrorCode } from '@booking/shared';
import type { AuthResult, LoginBody, RegisterBody, Role } from '@booking/shared';
import { AppError } from '../infra/errors';
import type { Logger } from '../infra/logger';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './password';
import type { UserDoc } from './user.model';
import { toWireUser } from './user.store';
import type { UserStore } from './user.store';

/** Who is calling, as proven by a token. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
}

const TOKEN_TTL = '12h';
const ISSUER = 'booking-server';

export interface AuthService {
  register(body: RegisterBody): Promise<AuthResult>;
  login(body: LoginBody): Promise<AuthResult>;
  /** Throws AppError(UNAUTHORIZED) for a missing, malformed, forged or expired token. */
  verify(token: unknown): Promise<Principal>;
  issueToken(principal: Principal, ttl?: string | number): Promise<string>;
  ensureStaff(staff: { email: string; password: string } | null): Promise<void>;
}

export function createAuthService(deps: { users: UserStore; secret: string; logger: Logger }): AuthService {
  const key = new TextEncoder().encode(deps.secret);

  const issueToken = (p: Principal, ttl: string | number = TOKEN_TTL): Promise<string> =>
    new SignJWT({ name: p.name, role: p.role })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(p.id)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(ttl)
      .sign(key);

  const result = async (doc: UserDoc): Promise<AuthResult> => ({
    token: await issueToken({ id: doc._id.toHexString(), name: doc.name, role: doc.role }),
    user: toWireUser(doc),
  });

  const createUser = async (input: { name: string; email: string; password: string; role: Role }): Promise<UserDoc> =>
    deps.users.insert({ name: input.name, email: input.email, passwordHash: await hashPassword(input.password), role: input.role });

  return {
    issueToken,
    async register(body) {
      return result(await createUser({ ...body, role: 'user' }));
    },
    async login(body) {
      const doc = await deps.users.findByEmail(body.email);
      const ok = await verifyPassword(body.password, doc?.passwordHash ?? (await DUMMY_HASH_PROMISE));
      if (!doc || !ok) throw new AppError(ErrorCode.INVALID_CREDENTIALS, 'wrong email or password');
      return result(doc);
    },
    async verify(token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
        throw new AppError(ErrorCode.UNAUTHORIZED, 'a token is required');
      }
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] });
        const role = payload.role;
        if (typeof payload.sub !== 'string' || (role !== 'user' && role !== 'staff') || typeof payload.name !== 'string') {
          throw new AppError(ErrorCode.UNAUTHORIZED, 'malformed token');
        }
        return { id: payload.sub, name: payload.name, role };
      } catch (err) {
        if (err instanceof AppError) throw err;
        const expired = err instanceof joseErrors.JWTExpired;
        throw new AppError(ErrorCode.UNAUTHORIZED, expired ? 'token expired' : 'invalid token', { cause: err });
      }
    },
    async ensureStaff(staff) {
      if (!staff) return;
      const email = staff.email.trim().toLowerCase();
      if (await deps.users.emailExists(email)) return;
      try {
        await createUser({ name: 'Staff', email, password: staff.password, role: 'staff' });
        deps.logger.info({ email }, 'staff user created');
      } catch (err) {
        // Another node created it at the same moment.
        if (!(err instanceof AppError && err.code === ErrorCode.EMAIL_TAKEN)) throw err;
      }
    },
  };
}
