/**
 * (v3) Single sign-on with an OpenID Connect provider (docs/protocol.md "Single sign-on"), through
 * openid-client v5 (a maintained, certified relying-party library; CommonJS, so it runs in the
 * server bundle and under jest): authorization code flow with PKCE (S256), `state` and `nonce`.
 *
 * What a sign-in keeps server-side lives in Redis, so any node can finish it: the pending
 * sign-in by `state` (10 minutes), then a one-time code by its SHA-256 (60 seconds, and checked
 * against the injected clock too) that the page trades for a session token. Both are taken with
 * GETDEL: a replay finds nothing.
 *
 * People are matched by (issuer, subject). A first sign-in whose email belongs to a password
 * account links to it only when the provider says the email is verified and it is not the
 * `STAFF_EMAIL` break-glass account; otherwise the sign-in is refused (409 page), never merged.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Issuer, errors as oidcErrors, generators } from 'openid-client';
import type { BaseClient, IdTokenClaims, TokenSet } from 'openid-client';
import { ErrorCode, isLocale, pickLocale } from '@booking/shared';
import type { Locale, Role } from '@booking/shared';
import { serverTranslator } from '../i18n';
import { AppError } from '../infra/errors';
import type { Clock } from '../infra/clock';
import type { Logger } from '../infra/logger';
import type { RedisClient } from '../infra/redis';
import type { GroupStore } from './group.store';
import type { UserDoc } from './user.model';
import type { UserStore } from './user.store';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  groupsClaim: string;
  staffGroups: string[];
  name: string;
}

/** The sentences a failed sign-in's page may say (`server/src/i18n`). */
export type SignInFailure = 'sso.noEmail' | 'sso.emailTaken' | 'sso.linkExpired' | 'sso.unchecked';

/**
 * A sign-in that cannot finish: `status` and one sentence for the page (never a stack), which the
 * page writes in the browser's language; the message is the English one (for logs).
 */
export class SignInFailed extends Error {
  constructor(
    readonly status: number,
    readonly sentence: SignInFailure,
    options?: { cause?: unknown },
  ) {
    super(serverTranslator('en').t(sentence), options);
  }
}

/**
 * (v3) A new single-sign-on account's language: the provider's `locale` claim when it is one of
 * ours ("de", "de-AT", "de_AT"), else the best of the callback request's `Accept-Language`, else `en`.
 */
export function ssoLocale(claim: unknown, acceptLanguage: string | undefined): Locale {
  if (typeof claim === 'string') {
    const base = claim.trim().toLowerCase().split(/[-_]/)[0];
    if (isLocale(base)) return base;
  }
  return pickLocale(acceptLanguage);
}

export interface OidcService {
  readonly name: string;
  /** The provider's authorization URL for a new sign-in that comes back to `returnTo`. */
  loginUrl(returnTo: unknown): Promise<string>;
  /**
   * Finishes a sign-in from the callback's URL (path and query): where to send the browser.
   * `acceptLanguage` (the callback request's) gives a new account its language when the provider names none of ours.
   */
  callback(callbackUrl: string, acceptLanguage?: string): Promise<string>;
  /** The user a one-time code names (once, within 60 s); else UNAUTHORIZED. */
  exchange(code: string): Promise<string>;
  /**
   * Asks the provider again for a single-sign-on account (its refresh token) and applies the groups
   * claim; a refusal ends every session of the user (UNAUTHORIZED). Other accounts pass unchanged.
   */
  refresh(doc: UserDoc): Promise<UserDoc>;
}

export const STATE_TTL_SECONDS = 600;
export const CODE_TTL_SECONDS = 60;
const SCOPE = 'openid email profile';

/**
 * The scopes asked for: `offline_access` too when the provider lists it (Entra ID and Keycloak do,
 * and Entra gives a refresh token only then); Google's discovery does not, and refuses it.
 */
export function scopeFor(client: BaseClient): string {
  const supported = client.issuer.metadata.scopes_supported;
  return Array.isArray(supported) && supported.includes('offline_access') ? `${SCOPE} offline_access` : SCOPE;
}

/** A same-origin path, else `/` (an open redirect is not on offer). */
export function safeReturnTo(v: unknown): string {
  if (typeof v !== 'string' || !v.startsWith('/') || v.startsWith('//') || v.includes('\\') || v.length > 512)
    return '/';
  return /^[\x21-\x7e]*$/.test(v) ? v : '/';
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Discovers the provider; a failure is one line naming OIDC_ISSUER (the process stops at start). */
export async function discoverClient(settings: OidcSettings, redirectUri: string): Promise<BaseClient> {
  let issuer: Issuer<BaseClient>;
  try {
    issuer = await Issuer.discover(settings.issuer);
  } catch (err) {
    throw new Error(`config: OIDC_ISSUER discovery at ${settings.issuer} failed: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return new issuer.Client({
    client_id: settings.clientId,
    client_secret: settings.clientSecret,
    redirect_uris: [redirectUri],
    response_types: ['code'],
  });
}

export function createOidcService(deps: {
  settings: OidcSettings;
  client: BaseClient;
  redirectUri: string;
  redis: RedisClient;
  keyPrefix: string;
  users: UserStore;
  groups: GroupStore;
  staffEmail: string | null;
  clock: Clock;
  logger: Logger;
}): OidcService {
  const { client, settings, redis, users } = deps;
  const stateKey = (state: string) => `${deps.keyPrefix}oidc:state:${sha256(state)}`;
  const codeKey = (code: string) => `${deps.keyPrefix}oidc:code:${sha256(code)}`;

  /** Role and groups from the claims: external groups replaced, the others kept. */
  const apply = async (claims: IdTokenClaims, current: string[]): Promise<{ role: Role; groups: string[] }> => {
    const raw = claims[settings.groupsClaim];
    const values = new Set(Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : []);
    const external = await deps.groups.external();
    const externalIds = new Set(external.map((g) => g.id));
    const groups = [
      ...current.filter((id) => !externalIds.has(id)),
      ...external.filter((g) => g.externalId !== undefined && values.has(g.externalId)).map((g) => g.id),
    ];
    return { role: settings.staffGroups.some((g) => values.has(g)) ? 'staff' : 'user', groups };
  };

  const link = (claims: IdTokenClaims, tokens: TokenSet) => ({
    issuer: String(claims.iss),
    subject: claims.sub,
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
  });

  /** The account of these claims: found, linked, or created. */
  const accountOf = async (claims: IdTokenClaims, acceptLanguage: string | undefined): Promise<UserDoc> => {
    const found = await users.findByOidc(String(claims.iss), claims.sub);
    if (found) return found;
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
    if (!email) throw new SignInFailed(400, 'sso.noEmail');
    const existing = await users.findByEmail(email);
    if (existing) {
      if (existing.oidc || claims.email_verified !== true || email === deps.staffEmail) {
        throw new SignInFailed(409, 'sso.emailTaken');
      }
      deps.logger.info({ userId: existing._id.toHexString() }, 'single sign-on linked to an existing account');
      return existing;
    }
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 100) : email;
    return users.insert({ name, email, role: 'user', groups: [], locale: ssoLocale(claims.locale, acceptLanguage) });
  };

  return {
    name: settings.name,
    async loginUrl(returnTo) {
      const state = generators.state();
      const nonce = generators.nonce();
      const verifier = generators.codeVerifier();
      const pending = JSON.stringify({ nonce, verifier, returnTo: safeReturnTo(returnTo) });
      await redis.set(stateKey(state), pending, 'EX', STATE_TTL_SECONDS);
      return client.authorizationUrl({
        scope: scopeFor(client),
        state,
        nonce,
        code_challenge: generators.codeChallenge(verifier),
        code_challenge_method: 'S256',
      });
    },
    async callback(callbackUrl, acceptLanguage) {
      const params = client.callbackParams(callbackUrl);
      const state = typeof params.state === 'string' ? params.state : '';
      const pendingJson = state && state.length <= 256 ? await redis.getdel(stateKey(state)) : null;
      if (!pendingJson) throw new SignInFailed(400, 'sso.linkExpired');
      const pending = JSON.parse(pendingJson) as { nonce: string; verifier: string; returnTo: string };
      let tokens: TokenSet;
      try {
        tokens = await client.callback(deps.redirectUri, params, {
          state,
          nonce: pending.nonce,
          code_verifier: pending.verifier,
        });
      } catch (err) {
        deps.logger.warn({ err }, 'single sign-on callback refused');
        throw new SignInFailed(400, 'sso.unchecked', { cause: err });
      }
      const claims = tokens.claims();
      const account = await accountOf(claims, acceptLanguage);
      const next = await apply(claims, account.groups ?? []);
      await users.syncSso(account._id.toHexString(), { ...next, oidc: link(claims, tokens) });
      const code = randomBytes(24).toString('base64url');
      const value = JSON.stringify({ userId: account._id.toHexString(), at: deps.clock.now().getTime() });
      await redis.set(codeKey(code), value, 'EX', CODE_TTL_SECONDS);
      return `${pending.returnTo}#signin=${code}`;
    },
    async exchange(code) {
      const raw = await redis.getdel(codeKey(code));
      const found = raw ? (JSON.parse(raw) as { userId: string; at: number }) : null;
      if (!found || deps.clock.now().getTime() - found.at > CODE_TTL_SECONDS * 1000) {
        throw new AppError(ErrorCode.UNAUTHORIZED, 'sign-in code unknown, used or expired');
      }
      return found.userId;
    },
    async refresh(doc) {
      const userId = doc._id.toHexString();
      if (!doc.oidc) return doc;
      const refused = async (err: unknown): Promise<never> => {
        await users.endSso(userId);
        deps.logger.info({ userId, err }, 'provider refused the refresh; sessions ended');
        throw new AppError(ErrorCode.UNAUTHORIZED, 'the sign-in provider ended this session', { cause: err });
      };
      // A provider that gave no refresh token cannot be asked: this session ends (sign in again),
      // the others are left alone.
      if (!doc.oidc.refreshToken) throw new AppError(ErrorCode.UNAUTHORIZED, 'sign in again (no refresh token)');
      let tokens: TokenSet;
      try {
        tokens = await client.refresh(doc.oidc.refreshToken);
      } catch (err) {
        if (err instanceof oidcErrors.OPError || err instanceof oidcErrors.RPError) return refused(err);
        throw err;
      }
      const claims = tokens.id_token ? tokens.claims() : await client.userinfo<IdTokenClaims>(tokens);
      const next = await apply(claims, doc.groups ?? []);
      const oidc = { ...doc.oidc, ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}) };
      const synced = await users.syncSso(userId, { ...next, oidc });
      if (!synced) throw new AppError(ErrorCode.UNAUTHORIZED, 'no such user');
      return synced;
    },
  };
}
