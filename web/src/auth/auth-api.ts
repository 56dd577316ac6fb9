/** Sign-up and sign-in over HTTP; the token is kept in localStorage so a reload stays signed in. */
import { ClientErrorCode, ErrorCode } from '@booking/shared';
import type { AuthResult, ClientError, ErrorBody, LoginBody, RegisterBody } from '@booking/shared';

const STORAGE_KEY = 'booking.auth';

export type AuthAnswer = { ok: true; auth: AuthResult } | { ok: false; error: ClientError };

function isAuthResult(v: unknown): v is AuthResult {
  if (typeof v !== 'object' || v === null || !('token' in v) || !('user' in v)) return false;
  const { token, user } = v;
  return typeof token === 'string' && typeof user === 'object' && user !== null && 'id' in user && 'name' in user;
}

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

async function post(path: string, body: RegisterBody | LoginBody): Promise<AuthAnswer> {
  try {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json: unknown = await res.json().catch(() => null);
    if (res.ok && isAuthResult(json)) return { ok: true, auth: json };
    return { ok: false, error: errorOf(json, res.status) };
  } catch {
    // No answer at all: the same client-side code as a command that was never acked.
    return { ok: false, error: { code: ClientErrorCode.TIMEOUT, message: 'could not reach the server' } };
  }
}

export const register = (body: RegisterBody): Promise<AuthAnswer> => post('/api/auth/register', body);
export const login = (body: LoginBody): Promise<AuthAnswer> => post('/api/auth/login', body);

export function loadAuth(): AuthResult | null {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    return isAuthResult(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function saveAuth(auth: AuthResult | null): void {
  if (auth) localStorage.setItem(STORAGE_KEY, JSON.stringify(auth));
  else localStorage.removeItem(STORAGE_KEY);
}
