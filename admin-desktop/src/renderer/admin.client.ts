/** The dashboard's connection: HTTP sign-in and the typed `/admin` Socket.IO namespace. */
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { Ack, AdminClientToServerEvents, AdminServerToClientEvents, AuthResult, DataOf, ErrorBody, PayloadOf } from '@booking/shared';

export type AdminSocket = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;

/** A failed command or request, carrying the protocol error code. */
export class CommandError extends Error {
  readonly code: string;
  constructor(body: ErrorBody) {
    super(body.message);
    this.code = body.code;
  }
}

export async function signIn(server: string, email: string, password: string): Promise<AuthResult> {
  const res = await fetch(`${server}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as AuthResult | { error: ErrorBody };
  if ('error' in body) throw new CommandError(body.error);
  return body;
}

export function connectAdmin(server: string, token: string): AdminSocket {
  return io(`${server}/admin`, { auth: { token }, transports: ['websocket'] });
}

/** Sends one admin command and resolves with its `data` (rejects with CommandError). */
export async function command<E extends keyof AdminClientToServerEvents & string>(
  socket: AdminSocket,
  event: E,
  payload: PayloadOf<AdminClientToServerEvents, E>,
): Promise<DataOf<AdminClientToServerEvents, E>> {
  // socket.io's typed emitWithAck cannot be expressed for a generic event name; this is the same
  // call, narrowed to the envelope the protocol guarantees.
  const emitter = socket.timeout(15_000) as unknown as { emitWithAck(ev: string, p: unknown): Promise<Ack<DataOf<AdminClientToServerEvents, E>>> };
  const ack = await emitter.emitWithAck(event, payload);
  if (!ack.ok) throw new CommandError(ack.error);
  return ack.data;
}
