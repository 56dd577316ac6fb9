/** The dashboard's connection: HTTP sign-in and the typed `/admin` namespace with its command function. */
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { createCommander, keepSessionFresh, reconnectAfterServerDisconnect } from '@booking/client';
import type { AdminClientToServerEvents, AdminServerToClientEvents, AuthResult, ErrorBody } from '@booking/shared';
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
