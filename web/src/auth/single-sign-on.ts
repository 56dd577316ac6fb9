/**
 * (v3) Single sign-on over HTTP (docs/protocol.md "Single sign-on"): which ways to sign in the
 * server offers, where the "Sign in with …" button goes, and the one-time `#signin=<code>` the
 * server's callback puts in the address, spent once for `{token, user}`.
 */
import { isAuthResult, requestJson } from '@booking/client';
import type { CommandResult } from '@booking/client';
import type { AuthConfig, AuthResult } from '@booking/shared';

export type { AuthConfig };

/** What a page shows when the server cannot say (an older server, or none reached): the password form. */
export const PASSWORD_ONLY: AuthConfig = { password: true, oidc: null };

export const isAuthConfig = (v: unknown): v is AuthConfig => {
  if (typeof v !== 'object' || v === null || !('password' in v) || typeof v.password !== 'boolean') return false;
  if (!('oidc' in v)) return false;
  const { oidc } = v;
  return oidc === null || (typeof oidc === 'object' && 'name' in oidc && typeof oidc.name === 'string');
};

export function readAuthConfig(): Promise<CommandResult<AuthConfig>> {
  return requestJson({ method: 'GET', path: '/api/auth/config', accept: isAuthConfig });
}

/** `POST /api/auth/oidc/exchange`: the code works once, within 60 seconds (else UNAUTHORIZED). */
export function exchangeSignInCode(code: string): Promise<CommandResult<AuthResult>> {
  return requestJson({ method: 'POST', path: '/api/auth/oidc/exchange', body: { code }, accept: isAuthResult });
}

/** Where the button goes: the server sends the browser on to the provider and back to `returnTo`. */
export function singleSignOnUrl(returnTo: string): string {
  return `/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`;
}

/** The one-time code of a `#signin=<code>` fragment, if the address carries one. */
export function signInCodeIn(hash: string): string | null {
  const match = /^#signin=([A-Za-z0-9._~-]{8,512})$/.exec(hash);
  return match?.[1] ?? null;
}
