/** Sign-up and sign-in over HTTP; the token is kept in localStorage so a reload stays signed in. */
import { isAuthResult, register as registerAccount, signIn } from '@booking/client';
import type { ClientError, CommandResult } from '@booking/client';
import type { AuthResult, LoginBody, RegisterBody } from '@booking/shared';

const STORAGE_KEY = 'booking.auth';

export type AuthAnswer = { ok: true; auth: AuthResult } | { ok: false; error: ClientError };

const answer = (result: CommandResult<AuthResult>): AuthAnswer =>
  result.ok ? { ok: true, auth: result.data } : result;

/** Over the client package's HTTP half: the same error bodies and client-side TIMEOUT as commands. */
export const register = async (body: RegisterBody): Promise<AuthAnswer> => answer(await registerAccount(body));
export const login = async (body: LoginBody): Promise<AuthAnswer> => answer(await signIn(body));

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
