/** The dashboard's connection: HTTP sign-in and the typed `/admin` namespace with its command function. */
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import {
  createCommander,
  isAuthResult,
  keepSessionFresh,
  reconnectAfterServerDisconnect,
  requestJson,
} from '@booking/client';
import type {
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  AuthConfig,
  AuthResult,
  ErrorBody,
} from '@booking/shared';
import type { ClientError, Commander } from '@booking/client';
import { detectHost } from './host.bridge';

export type AdminSocket = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;
export type AdminCommands = Commander<AdminClientToServerEvents>;

export type SignInAnswer = { ok: true; auth: AuthResult } | { ok: false; error: ClientError };

export async function signIn(server: string, email: string, password: string): Promise<SignInAnswer> {
  try {
    const res = await fetch(`${server}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const body = (await res.json()) as AuthResult | { error: ErrorBody };
    return 'error' in body ? { ok: false, error: body.error } : { ok: true, auth: body };
  } catch {
    // No answer at all: the same client-side code as a command that was never acked.
    return { ok: false, error: { code: 'TIMEOUT', message: 'the server cannot be reached' } };
  }
}

/** (v3) `GET /api/auth/config`: whether password sign-in is on, and the single sign-on button's label. */
export type SignInChoices = AuthConfig;

const isSignInChoices = (v: unknown): v is SignInChoices => {
  if (typeof v !== 'object' || v === null || !('password' in v) || typeof v.password !== 'boolean') return false;
  if (!('oidc' in v)) return false;
  const { oidc } = v;
  return oidc === null || (typeof oidc === 'object' && 'name' in oidc && typeof oidc.name === 'string');
};

/** The server's sign-in choices; when it cannot say (older server, unreachable), the password form alone. */
export async function signInChoices(server: string): Promise<SignInChoices> {
  const res = await requestJson({ baseUrl: server, method: 'GET', path: '/api/auth/config', accept: isSignInChoices });
  return res.ok ? res.data : { password: true, oidc: null };
}

/** Where single sign-on starts: the server sends the browser to the provider and back to `returnTo`. */
export const singleSignOnUrl = (server: string, returnTo: string): string =>
  `${server}/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`;

/** The one-time code of a `#signin=<code>` fragment the single sign-on callback left in the address. */
export function signInCodeIn(hash: string): string | null {
  return /^#signin=([A-Za-z0-9._~-]{8,512})$/.exec(hash)?.[1] ?? null;
}

/** `POST /api/auth/oidc/exchange`: the code works once, within 60 seconds (else UNAUTHORIZED). */
export async function exchangeSignInCode(server: string, code: string): Promise<SignInAnswer> {
  const res = await requestJson({
    baseUrl: server,
    method: 'POST',
    path: '/api/auth/oidc/exchange',
    body: { code },
    accept: isAuthResult,
  });
  return res.ok ? { ok: true, auth: res.data } : res;
}

/**
 * The `/admin` socket. Its token is renewed on it a few minutes before expiry and handed to
 * `onToken` (by default: stored where the host keeps it, safeStorage or localStorage).
 */
export function connectAdmin(
  server: string,
  token: string,
  onToken: (token: string) => void = (t) => void detectHost().setToken(t),
): AdminSocket {
  const socket: AdminSocket = io(`${server}/admin`, { auth: { token }, transports: ['websocket'] });
  keepSessionFresh({ socket, token, onToken: (fresh) => onToken(fresh.token) });
  reconnectAfterServerDisconnect(socket); // a draining node's goodbye: come back through the gateway
  return socket;
}

/** Every command waits 15 s for its ack (then answers `TIMEOUT`) and retries `BUSY` with jittered backoff. */
export function adminCommands(socket: AdminSocket): AdminCommands {
  return createCommander<AdminClientToServerEvents>(socket, { timeoutMs: 15_000 });
}
