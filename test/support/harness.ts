/** Starts in-process nodes on the run's MongoDB and Redis, and connects typed clients to them. */
import { io as connect } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { ClientErrorCode, busyDelay, emitRaw, sendCommand } from '@booking/client';
import type {
  Ack,
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  AuthResult,
  ClientToServerEvents,
  DataOf,
  PayloadOf,
  Resource,
  ServerToClientEvents,
} from '@booking/shared';
import type { AckSocket } from '@booking/client';
import { startNode } from '../../server/src/app';
import type { BookingNode, NodeOptions } from '../../server/src/app';
import { testConfig, uniqueName } from './env';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type AdminSocket = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;

export interface Harness {
  db: string;
  nodes: BookingNode[];
  node: BookingNode;
  close(): Promise<void>;
}

/** `count` nodes sharing one database and key prefix (as separate processes would). */
export async function startHarness(opts: {
  label: string;
  count?: number;
  env?: Record<string, string>;
  node?: Omit<NodeOptions, 'config'>;
}): Promise<Harness> {
  const db = uniqueName(opts.label);
  const nodes: BookingNode[] = [];
  for (let i = 0; i < (opts.count ?? 1); i += 1) {
    const config = testConfig({ db, env: { NODE_ID: `${db}-${i}`, ...opts.env } });
    nodes.push(await startNode({ ...opts.node, config }));
  }
  const first = nodes[0];
  if (!first) throw new Error('no node');
  return {
    db,
    nodes,
    node: first,
    async close() {
      await Promise.all(nodes.map((n) => n.close()));
    },
  };
}

export async function http<T>(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

let userSeq = 0;
export async function registerUser(base: string, name = 'user'): Promise<AuthResult> {
  userSeq += 1;
  const email = `${name}-${userSeq}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const res = await untilAdmitted(() =>
    http<AuthResult>(base, '/api/auth/register', { body: { name, email, password: 'password123' } }),
  );
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Sends again after each 429, after the `retryAfterMs` the server named, as every client does: a
 * node answers RATE_LIMITED when more password hashes wait than it queues (suites that register
 * dozens of people at once meet it). At most 30 tries.
 */
export async function untilAdmitted<T>(
  send: () => Promise<{ status: number; body: T }>,
): Promise<{ status: number; body: T }> {
  for (let attempt = 1; ; attempt += 1) {
    const res = await send();
    const wait = res.status === 429 ? retryAfterMsOf(res.body) : null;
    if (wait === null || attempt >= 30) return res;
    await new Promise((r) => setTimeout(r, wait));
  }
}

function retryAfterMsOf(body: unknown): number | null {
  if (!body || typeof body !== 'object' || !('error' in body)) return null;
  const { error } = body;
  if (!error || typeof error !== 'object' || !('details' in error)) return null;
  const { details } = error;
  if (!details || typeof details !== 'object' || !('retryAfterMs' in details)) return null;
  return typeof details.retryAfterMs === 'number' ? details.retryAfterMs : null;
}

export async function loginStaff(base: string): Promise<AuthResult> {
  const res = await http<AuthResult>(base, '/api/auth/login', {
    body: { email: 'staff@example.com', password: 'staff-password' },
  });
  if (res.status !== 200) throw new Error(`staff login failed: ${res.status}`);
  return res.body;
}

/** A resource made by staff over HTTP; `extra` adds fields (`capacity`, `seats`, `policy`, or another `type`). */
export async function createResource(
  base: string,
  staffToken: string,
  name = 'Room',
  extra: Record<string, unknown> = {},
): Promise<Resource> {
  const res = await http<{ resource: Resource }>(base, '/api/resources', {
    body: { name, type: 'room', ...extra },
    token: staffToken,
  });
  if (res.status !== 201) throw new Error(`create resource failed: ${res.status}`);
  return res.body.resource;
}

/** Connects and resolves once connected (rejects with the connect_error message). */
export function connectClient(base: string, token: string | undefined, namespace = '/'): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket: ClientSocket = connect(`${base}${namespace === '/' ? '' : namespace}`, {
      ...(token === undefined ? {} : { auth: { token } }),
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

export function connectAdmin(base: string, token: string): Promise<AdminSocket> {
  return connectClient(base, token, '/admin') as unknown as Promise<AdminSocket>;
}

/**
 * Sends through the shared client library, once (no `BUSY` retry: tests assert what the server
 * answered), and turns its client-side `TIMEOUT` into a rejection.
 */
async function sendOnce<M, E extends keyof M & string>(
  socket: AckSocket,
  event: E,
  payload: PayloadOf<M, E>,
  timeoutMs: number,
): Promise<Ack<DataOf<M, E>>> {
  const res = await sendCommand<M, E>(socket, event, payload, { timeoutMs, busyRetry: false });
  if (res.ok) return res;
  const error = res.error;
  if (error.code === ClientErrorCode.TIMEOUT) throw new Error(error.message);
  return { ok: false, error };
}

/** Sends a command and resolves with its ack (rejects if none arrives within the timeout). */
export function send<E extends keyof ClientToServerEvents>(
  socket: ClientSocket,
  event: E,
  payload: PayloadOf<ClientToServerEvents, E>,
  timeoutMs = 15_000,
): Promise<Ack<DataOf<ClientToServerEvents, E>>> {
  return sendOnce<ClientToServerEvents, E>(socket, event, payload, timeoutMs);
}

/**
 * Sends a command as every client does: again after each `BUSY` (the contract says a retry with the
 * same idempotency key is safe; the payload carries one where the command takes one), with the
 * client library's jittered backoff, up to `attempts` tries. For tests whose assertion is the
 * final answer (who won, who was over quota), not whether a lock was free on the first try.
 */
export async function sendUntilDecided<E extends keyof ClientToServerEvents>(
  socket: ClientSocket,
  event: E,
  payload: PayloadOf<ClientToServerEvents, E>,
  attempts = 12,
): Promise<Ack<DataOf<ClientToServerEvents, E>>> {
  let ack = await send(socket, event, payload);
  for (let retry = 0; retry + 1 < attempts && !ack.ok && ack.error.code === 'BUSY'; retry += 1) {
    await new Promise((r) => setTimeout(r, Math.min(2000, busyDelay(retry, { baseDelayMs: 50 }))));
    ack = await send(socket, event, payload);
  }
  return ack;
}

/** Sends an `/admin` command and resolves with its ack (rejects if none arrives within the timeout). */
export function sendAdmin<E extends keyof AdminClientToServerEvents>(
  socket: AdminSocket,
  event: E,
  payload: PayloadOf<AdminClientToServerEvents, E>,
  timeoutMs = 15_000,
): Promise<Ack<DataOf<AdminClientToServerEvents, E>>> {
  return sendOnce<AdminClientToServerEvents, E>(socket, event, payload, timeoutMs);
}

/** Sends anything at all (for garbage tests); rejects if no ack arrives within the timeout. */
export async function sendRaw(
  socket: ClientSocket,
  event: string,
  args: unknown[],
  timeoutMs = 5000,
): Promise<unknown> {
  const raw = await emitRaw(socket, event, args, timeoutMs);
  if (!raw.answered) throw new Error(`no answer to ${event} within ${timeoutMs} ms`);
  return raw.value;
}

/** A whole-hour slot `hoursAhead` hours from now, `hours` long. */
export function slot(hoursAhead: number, hours = 1): { start: string; end: string } {
  const base = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
  const start = new Date(base + hoursAhead * 3_600_000);
  return { start: start.toISOString(), end: new Date(start.getTime() + hours * 3_600_000).toISOString() };
}

export function minutesFrom(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}

export function unwrap<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`expected ok, got ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}
