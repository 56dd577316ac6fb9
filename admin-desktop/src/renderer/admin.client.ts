/** The dashboard's connection: HTTP sign-in and the typed `/admin` namespace with its command function. */
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { createCommander } from '@booking/shared';
import type { AdminClientToServerEvents, AdminServerToClientEvents, AuthResult, ClientError, Commander, ErrorBody } from '@booking/shared';

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

export function connectAdmin(server: string, token: string): AdminSocket {
  return io(`${server}/admin`, { auth: { token }, transports: ['websocket'] });
}

/** Every command waits 15 s for its ack (then answers `TIMEOUT`) and retries `BUSY` with jittered backoff. */
export function adminCommands(socket: AdminSocket): AdminCommands {
  return createCommander<AdminClientToServerEvents>(socket, { timeoutMs: 15_000 });
}
