/** Small typed client helpers for the benchmarks (HTTP API + Socket.IO, 127.0.0.1 only). */
import { io as connect } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { sendCommand } from '@booking/client';
import type {
  AuthResult,
  ClientToServerEvents,
  DataOf,
  PayloadOf,
  Resource,
  ServerToClientEvents,
} from '@booking/shared';

export type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

async function post<T>(
  base: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

let userSeq = 0;
export async function registerUser(base: string): Promise<AuthResult> {
  userSeq += 1;
  const email = `bench-${Date.now().toString(36)}-${userSeq}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  // A node answers 429 while more password hashes wait than it queues: send again after the
  // time it names, as every client does (at most 30 tries).
  for (let attempt = 1; ; attempt += 1) {
    const res = await post<AuthResult & { error?: { details?: { retryAfterMs?: number } } }>(
      base,
      '/api/auth/register',
      { name: `bench ${userSeq}`, email, password: 'password123' },
    );
    if (res.status === 201) return res.body;
    const retryAfterMs = res.body.error?.details?.retryAfterMs;
    if (res.status !== 429 || retryAfterMs === undefined || attempt >= 30)
      throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, retryAfterMs));
  }
}

export async function loginStaff(base: string, email: string, password: string): Promise<AuthResult> {
  const res = await post<AuthResult>(base, '/api/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`staff login failed: ${res.status}`);
  return res.body;
}

export async function createResource(
  base: string,
  staffToken: string,
  name: string,
  extra: Record<string, unknown> = {},
): Promise<Resource> {
  const res = await post<{ resource: Resource }>(base, '/api/resources', { name, type: 'room', ...extra }, staffToken);
  if (res.status !== 201) throw new Error(`create resource failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.resource;
}

export function connectSocket(base: string, token: string): Promise<BenchSocket> {
  return new Promise((resolve, reject) => {
    const socket: BenchSocket = connect(base, {
      auth: { token },
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

/** Connects `count` sockets spread round-robin over `bases`, `batch` handshakes at a time. */
export async function connectMany(
  bases: readonly string[],
  tokens: readonly string[],
  count: number,
  batch = 50,
): Promise<BenchSocket[]> {
  const sockets: BenchSocket[] = [];
  for (let i = 0; i < count; i += batch) {
    const n = Math.min(batch, count - i);
    const part = await Promise.all(
      Array.from({ length: n }, (_, j) => {
        const k = i + j;
        return connectSocket(bases[k % bases.length] ?? '', tokens[k % tokens.length] ?? '');
      }),
    );
    sockets.push(...part);
  }
  return sockets;
}

export function closeAll(sockets: readonly BenchSocket[]): void {
  for (const s of sockets) s.close();
}

/** An ack reduced to what the benchmarks look at; a missing ack is the client code `TIMEOUT`. */
export type Outcome<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

/**
 * Sends a command through the shared client library and resolves with its outcome (never
 * rejects). Sent once: the benchmarks count `BUSY` answers rather than hide them behind retries.
 */
export async function command<E extends keyof ClientToServerEvents>(
  socket: BenchSocket,
  event: E,
  payload: PayloadOf<ClientToServerEvents, E>,
  timeoutMs = 10_000,
): Promise<Outcome<DataOf<ClientToServerEvents, E>>> {
  const res = await sendCommand<ClientToServerEvents, E>(socket, event, payload, { timeoutMs, busyRetry: false });
  return res.ok ? { ok: true, data: res.data } : { ok: false, code: res.error.code, message: res.error.message };
}

/** A whole-hour slot: `hoursAhead` hours after the next whole hour (plus `dayOffset` days). */
export function hourSlot(hoursAhead: number): { start: string; end: string } {
  const base = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3_600_000;
  const start = base + hoursAhead * 3_600_000;
  return { start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString() };
}
