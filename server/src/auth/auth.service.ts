import { ErrorCode } from '@booking/shared';
import type { AuthResult, Locale, LoginBody, ProfileUpdate, RegisterBody, Role, User } from '@booking/shared';
import { AppError } from '../infra/errors';
import { systemClock } from '../infra/clock';
import type { Clock } from '../infra/clock';
import type { Principal } from '../infra/contract';
import type { Logger } from '../infra/logger';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './password';
import { TOKEN_TTL_SECONDS, createTokenSigner } from './tokens';
import { createGroupService } from './group.service';
import type { GroupService } from './group.service';
import type { GroupStore } from './group.store';
import type { UserDoc } from './user.model';
import { toWireUser } from './user.store';
import type { SessionState, UserStore } from './user.store';

/** Who is calling, as proven by a token (defined with the edge's contract, a leaf). */
export type { Principal } from '../infra/contract';

/** A verified token: who, at which token version, and until when (epoch ms). */
export interface Session {
  principal: Principal;
  tokenVersion: number;
  expiresAt: number;
}

export { TOKEN_TTL_SECONDS } from './tokens';
/** `SESSION_MAX_HOURS`' default: a chain of refreshed tokens ends 30 days after its sign-in. */
export const DEFAULT_SESSION_MAX_MS = 720 * 3600_000;

export interface AuthService {
  /** `locale`: the body's, else the one the route picked from `Accept-Language` (absent: `en`). */
  register(body: RegisterBody): Promise<AuthResult>;
  login(body: LoginBody): Promise<AuthResult>;
  /**
   * Throws AppError(UNAUTHORIZED) for a missing, malformed, forged or expired token, and for one
   * whose user no longer exists or whose tokens were revoked (`tokenVersion` bumped). Name and
   * role come from the database, not the token.
   */
  authenticate(token: unknown): Promise<Session>;
  /** `authenticate`, for callers that need only who it is. */
  verify(token: unknown): Promise<Principal>;
  /** A new token for the holder of a valid one (the same checks as `authenticate`). */
  refresh(token: unknown): Promise<AuthResult>;
  /** A new token for an authenticated connection, if its session still holds (else UNAUTHORIZED). */
  /** UNAUTHORIZED also when the chain began more than `SESSION_MAX_HOURS` ago. */
  reissue(session: Pick<Session, 'principal' | 'tokenVersion'>): Promise<AuthResult & { expiresAt: number }>;
  /**
   * A token for an existing user at its current token version; `ttl` as jose reads it: a span
   * (`'2s'`, `'1h'`) or an absolute expiry in epoch seconds.
   */
  issueToken(principal: Principal, ttl?: string | number): Promise<string>;
  /** Sets a user's role; a change revokes the user's tokens. NOT_FOUND when there is no such user. */
  setRole(userId: string, role: Role): Promise<{ user: User; changed: boolean }>;
  /** Which of these sessions are no longer valid (user gone, tokens revoked, role changed). */
  revoked(sessions: ReadonlyArray<Pick<Session, 'principal' | 'tokenVersion'>>): Promise<Set<string>>;
  ensureStaff(staff: { email: string; password: string } | null): Promise<void>;
  /** (v3) A session for a user who signed in elsewhere (the single sign-on exchange). UNAUTHORIZED when gone. */
  signIn(userId: string): Promise<AuthResult>;
  /** (v3) `profile:update`: the user's own name and language. UNAUTHORIZED when the user is gone. */
  updateProfile(userId: string, profile: ProfileUpdate): Promise<User>;
  /** (v3) `group:*` and `user:setGroups`. */
  groups: GroupService;
}

export interface AuthServiceDeps {
  users: UserStore;
  groups: GroupStore;
  secret: string;
  logger: Logger;
  /** Where token times are read (default: the system clock). */
  clock?: Clock;
  /** `SESSION_MAX_HOURS` in ms (default 720 hours). */
  sessionMaxMs?: number;
  /** `required`: a new account starts unverified and a verification mail is asked for. */
  emailVerification?: 'off' | 'required';
  /** (v3) `AUTH_PASSWORD=off` (false): password sign-in and registration answer FORBIDDEN, except `staffEmail`'s login. */
  passwordAuth?: boolean;
  staffEmail?: string | null;
  /** (v3) Single sign-on: a refresh of such an account asks the provider (it throws UNAUTHORIZED on a refusal). */
  sso?: { refresh(doc: UserDoc): Promise<UserDoc> };
}

/** (v3) `profile:update`: the fields given change; a person who no longer exists is signed out. */
async function updateProfile(
  users: AuthServiceDeps['users'],
  userId: string,
  profile: Parameters<AuthService['updateProfile']>[1],
): Promise<Awaited<ReturnType<AuthService['updateProfile']>>> {
  const user = await users.updateProfile(userId, {
    ...(profile.name !== undefined ? { name: profile.name } : {}),
    ...(profile.locale !== undefined ? { locale: profile.locale } : {}),
  });
  if (!user) throw new AppError(ErrorCode.UNAUTHORIZED, 'no such user');
  return user;
}

export function createAuthService(deps: AuthServiceDeps): AuthService {
  const clock = deps.clock ?? systemClock;
  const maxMs = deps.sessionMaxMs ?? DEFAULT_SESSION_MAX_MS;
  const nowSec = () => Math.floor(clock.now().getTime() / 1000);
  const tokens = createTokenSigner(deps.secret, clock);
  const sign = tokens.sign;

  /** A token's expiry (epoch s): an hour from now, but never past the chain's end. */
  const expiryOf = (signedInAt: number): number =>
    Math.min(nowSec() + TOKEN_TTL_SECONDS, Math.floor((signedInAt + maxMs) / 1000));

  const result = async (doc: UserDoc): Promise<AuthResult> => {
    const signedInAt = nowSec() * 1000;
    return {
      token: await sign(
        { id: doc._id.toHexString(), role: doc.role, tokenVersion: doc.tokenVersion ?? 0, signedInAt },
        expiryOf(signedInAt),
      ),
      user: toWireUser(doc),
    };
  };

  const stale = (state: SessionState | undefined, s: Pick<Session, 'principal' | 'tokenVersion'>): boolean =>
    !state || state.tokenVersion !== s.tokenVersion || state.role !== s.principal.role;

  const authenticate = async (token: unknown): Promise<Session> => {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096)
      throw new AppError(ErrorCode.UNAUTHORIZED, 'a token is required');
    const claims = await tokens.verify(token);
    const state = await deps.users.session(claims.sub);
    if (!state) throw new AppError(ErrorCode.UNAUTHORIZED, 'no such user');
    if (state.tokenVersion !== claims.tv) throw new AppError(ErrorCode.UNAUTHORIZED, 'token revoked');
    const { name, role, groups, tokenVersion } = state;
    return {
      principal: { id: claims.sub, name, role, groups, signedInAt: claims.sit * 1000 },
      tokenVersion,
      expiresAt: claims.exp * 1000,
    };
  };

  const createUser = async (input: {
    name: string;
    email: string;
    password: string;
    role: Role;
    verify?: boolean;
    locale?: Locale;
  }): Promise<UserDoc> =>
    deps.users.insert({
      name: input.name,
      email: input.email,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      ...(input.locale ? { locale: input.locale } : {}),
      // The account and its mail request in one write: a committed account always gets its link.
      ...(input.verify ? { emailVerified: false, verifyMail: { requestedAt: clock.now() } } : {}),
    });

  const reissue = async (
    s: Pick<Session, 'principal' | 'tokenVersion'>,
  ): Promise<AuthResult & { expiresAt: number }> => {
    const stored = await deps.users.findById(s.principal.id);
    if (!stored || (stored.tokenVersion ?? 0) !== s.tokenVersion || stored.role !== s.principal.role) {
      throw new AppError(ErrorCode.UNAUTHORIZED, 'session revoked');
    }
    // The chain's end: a principal that did not come from a token starts a chain now.
    const signedInAt = s.principal.signedInAt ?? nowSec() * 1000;
    if (clock.now().getTime() >= signedInAt + maxMs)
      throw new AppError(ErrorCode.UNAUTHORIZED, 'session too old; sign in again');
    // A single-sign-on account asks the provider: its groups and role may change here (a new token
    // version, so the connections of the old one close), or the provider refuses (UNAUTHORIZED).
    const doc = stored.oidc && deps.sso ? await deps.sso.refresh(stored) : stored;
    const expiresAt = expiryOf(signedInAt) * 1000;
    const token = await sign(
      { id: s.principal.id, role: doc.role, tokenVersion: doc.tokenVersion ?? 0, signedInAt },
      expiresAt / 1000,
    );
    return { token, user: toWireUser(doc), expiresAt };
  };

  return {
    groups: createGroupService({ groups: deps.groups, users: deps.users, logger: deps.logger }),
    authenticate,
    async verify(token) {
      return (await authenticate(token)).principal;
    },
    async refresh(token) {
      const { token: fresh, user } = await reissue(await authenticate(token));
      return { token: fresh, user };
    },
    reissue,
    async issueToken(principal, ttl) {
      const state = await deps.users.session(principal.id);
      if (!state) throw new AppError(ErrorCode.UNAUTHORIZED, 'no such user');
      return sign(
        {
          id: principal.id,
          role: state.role,
          tokenVersion: state.tokenVersion,
          signedInAt: principal.signedInAt ?? nowSec() * 1000,
        },
        ttl,
      );
    },
    async setRole(userId, role) {
      const res = await deps.users.setRole(userId, role);
      if (!res) throw new AppError(ErrorCode.NOT_FOUND, 'no such user');
      if (res.changed) deps.logger.info({ userId, role }, 'role changed; tokens revoked');
      return res;
    },
    async revoked(sessions) {
      if (sessions.length === 0) return new Set();
      const states = await deps.users.sessions(sessions.map((s) => s.principal.id));
      return new Set(sessions.filter((s) => stale(states.get(s.principal.id), s)).map((s) => s.principal.id));
    },
    updateProfile: (userId, profile) => updateProfile(deps.users, userId, profile),
    async signIn(userId) {
      const doc = await deps.users.findById(userId);
      if (!doc) throw new AppError(ErrorCode.UNAUTHORIZED, 'no such user');
      return result(doc);
    },
    async register(body) {
      if (deps.passwordAuth === false) throw new AppError(ErrorCode.FORBIDDEN, 'registration is turned off');
      return result(await createUser({ ...body, role: 'user', verify: deps.emailVerification === 'required' }));
    },
    async login(body) {
      const breakGlass = deps.staffEmail && body.email.trim().toLowerCase() === deps.staffEmail;
      if (deps.passwordAuth === false && !breakGlass)
        throw new AppError(ErrorCode.FORBIDDEN, 'password sign-in is turned off');
      const doc = await deps.users.findByEmail(body.email);
      const ok = await verifyPassword(body.password, doc?.passwordHash ?? (await DUMMY_HASH_PROMISE));
      if (!doc || !ok) throw new AppError(ErrorCode.INVALID_CREDENTIALS, 'wrong email or password');
      return result(doc);
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
