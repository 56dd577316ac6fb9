/**
 * The HTTP half of the client: sign in, and calendar feed URLs (docs/protocol.md "HTTP"). Answers are
 * `CommandResult`s like the socket commands', with the same client-side `TIMEOUT` when the server
 * could not be reached, so callers handle both halves alike.
 */
import { ErrorCode } from '@booking/shared';
import type { AuthResult, ErrorBody, Locale } from '@booking/shared';
import { ClientErrorCode } from './command';
import type { CommandResult } from './command';

export interface HttpOptions {
  /** The server's origin (`http://127.0.0.1:3000`); '' in a page served by the server itself. */
  baseUrl?: string;
  /** Bearer token of a signed-in user. */
  token?: string;
  /** Another `fetch` (tests, older runtimes). */
  fetch?: typeof fetch;
}

/** What `POST /api/calendar/feeds` creates: the caller's bookings, or one resource's busy times. */
export type CalendarFeedScope = { scope: 'mine' } | { scope: 'resource'; resourceId: string };

function errorOf(v: unknown, status: number): ErrorBody {
  if (typeof v === 'object' && v !== null && 'error' in v) {
    const e = v.error;
    if (typeof e === 'object' && e !== null && 'code' in e && 'message' in e && typeof e.message === 'string') {
      const code = Object.values(ErrorCode).find((c) => c === e.code);
      if (code) return { code, message: e.message };
    }
  }
  return { code: ErrorCode.INTERNAL, message: `HTTP ${status} without an error body` };
}

/** One JSON request; `accept` says whether a success body is what the caller expects. */
export async function requestJson<T>(
  opts: HttpOptions & { method: string; path: string; body?: unknown; accept: (v: unknown) => v is T },
): Promise<CommandResult<T>> {
  const run = opts.fetch ?? fetch;
  try {
    const res = await run(`${opts.baseUrl ?? ''}${opts.path}`, {
      method: opts.method,
      headers: {
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      },
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    });
    const json: unknown = res.status === 204 ? {} : await res.json().catch(() => null);
    if (res.ok && opts.accept(json)) return { ok: true, data: json };
    return { ok: false, error: errorOf(json, res.status) };
  } catch {
    return { ok: false, error: { code: ClientErrorCode.TIMEOUT, message: 'could not reach the server' } };
  }
}

/** Whether a value is a `{token, user}` answer (also used for one kept in storage). */
export const isAuthResult = (v: unknown): v is AuthResult => {
  if (typeof v !== 'object' || v === null || !('token' in v) || typeof v.token !== 'string' || !('user' in v))
    return false;
  const { user } = v;
  return (
    typeof user === 'object' &&
    user !== null &&
    'id' in user &&
    typeof user.id === 'string' &&
    'name' in user &&
    typeof user.name === 'string'
  );
};
const hasUrl = (v: unknown): v is { url: string } =>
  typeof v === 'object' && v !== null && 'url' in v && typeof v.url === 'string';
const anyObject = (v: unknown): v is Record<string, never> => typeof v === 'object' && v !== null;

/** `POST /api/auth/login`: a token (valid for an hour) and the user. */
export function signIn(
  credentials: { email: string; password: string },
  opts: HttpOptions = {},
): Promise<CommandResult<AuthResult>> {
  return requestJson({ ...opts, method: 'POST', path: '/api/auth/login', body: credentials, accept: isAuthResult });
}

/** `POST /api/auth/register`: a new account, signed in. */
export function register(
  account: { name: string; email: string; password: string; locale?: Locale },
  opts: HttpOptions = {},
): Promise<CommandResult<AuthResult>> {
  return requestJson({ ...opts, method: 'POST', path: '/api/auth/register', body: account, accept: isAuthResult });
}

/** `POST /api/calendar/feeds`: an absolute feed URL to paste into a calendar program. */
export function createCalendarFeed(
  scope: CalendarFeedScope,
  opts: HttpOptions,
): Promise<CommandResult<{ url: string }>> {
  return requestJson({ ...opts, method: 'POST', path: '/api/calendar/feeds', body: scope, accept: hasUrl });
}

/** `DELETE /api/calendar/feeds`: every feed URL of the signed-in user stops working. */
export function revokeCalendarFeeds(opts: HttpOptions): Promise<CommandResult<Record<string, never>>> {
  return requestJson({ ...opts, method: 'DELETE', path: '/api/calendar/feeds', accept: anyObject });
}

/**
 * `POST /api/auth/logout-all` (v3 "Sessions"): every token of the signed-in user stops working
 * and their sockets are disconnected everywhere, this one's too.
 */
export function logoutEverywhere(opts: HttpOptions): Promise<CommandResult<Record<string, never>>> {
  return requestJson({ ...opts, method: 'POST', path: '/api/auth/logout-all', accept: anyObject });
}

/**
 * `POST /api/auth/password`: every token is revoked, the caller's too; keep the session by
 * signing in again with `next` (`changePasswordAndSignIn`).
 */
export function changePassword(
  body: { current: string; next: string },
  opts: HttpOptions,
): Promise<CommandResult<Record<string, never>>> {
  return requestJson({ ...opts, method: 'POST', path: '/api/auth/password', body, accept: anyObject });
}

/** Changes the password, then signs in with the new one: the caller's session goes on with a fresh token. */
export async function changePasswordAndSignIn(
  body: { email: string; current: string; next: string },
  opts: HttpOptions,
): Promise<CommandResult<AuthResult>> {
  const changed = await changePassword({ current: body.current, next: body.next }, opts);
  if (!changed.ok) return changed;
  const { token: _old, ...rest } = opts;
  return signIn({ email: body.email, password: body.next }, rest);
}

const hasUser = (v: unknown): v is { user: AuthResult['user'] } =>
  typeof v === 'object' && v !== null && 'user' in v && typeof v.user === 'object' && v.user !== null;

/** `POST /api/auth/verify`: spends the token of a verification link (no sign-in needed). */
export function verifyEmail(
  token: string,
  opts: HttpOptions = {},
): Promise<CommandResult<{ user: AuthResult['user'] }>> {
  return requestJson({ ...opts, method: 'POST', path: '/api/auth/verify', body: { token }, accept: hasUser });
}

/** `POST /api/auth/verify/resend`: a new link by mail (the previous one stops working); 5 an hour. */
export function resendVerification(opts: HttpOptions): Promise<CommandResult<Record<string, never>>> {
  return requestJson({ ...opts, method: 'POST', path: '/api/auth/verify/resend', accept: anyObject });
}

/** `POST /api/auth/refresh`: a new token (same chain) and the user, for the holder of a valid one. */
export function refreshSession(opts: HttpOptions): Promise<CommandResult<AuthResult>> {
  return requestJson({ ...opts, method: 'POST', path: '/api/auth/refresh', accept: isAuthResult });
}
