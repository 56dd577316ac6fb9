/**
 * Webhooks bench (issue 28): 1,000 booking changes (creates and cancels over 20 resources, 8 at a
 * time) delivered to a local receiver; commit → delivery latency per event (from the command's
 * send to the signed POST's arrival, so commit time is included), p50/p95/max, against the raw
 * primitive: the same signed body POSTed straight to the same receiver by a keep-alive client
 * (what a delivery costs without the outbox, relay, MongoDB state and ordering). Target: p95 ≤ 2 s.
 *
 * "Commit → delivery" is from the event's `timestamp` (its outbox entry's commit time) to the
 * arrival; "command sent → delivery" adds the command's own round trip.
 *
 * A node and a notifier run in this process on the given MongoDB (a database of their own) and
 * Redis (a key prefix of their own), with WEBHOOK_ALLOW_PRIVATE=1 for the 127.0.0.1 receiver.
 * `npm run bench` runs it after the other scenarios; alone: `npx tsx scripts/bench/webhooks.ts`
 * (embedded MongoDB and Redis), BENCH_SIZE=tiny for 200 changes.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '@booking/shared';
import { startNode } from '../../server/src/app';
import { parseConfig } from '../../server/src/infra/config';
import { startNotificationService } from '../../server/src/notifier';
import { signedHeaders } from '../../server/src/integrations/webhooks/webhook.sign';
import { startMongo } from '../lib/embedded-mongo';
import { startRedis } from '../lib/embedded-redis';
import { summarize } from './stats';
import type { LatencySummary } from './stats';
import { startReceiver } from './webhooks-receiver';

/** Booking loops (one person and socket each) and the most commands a second each sends. */
const LOOPS = 8;
const LOOP_RATE = 40;

export interface WebhooksBenchResult {
  changes: number;
  delivery: LatencySummary;
  /** From the change's commit (the event's `timestamp`, the server's clock) to the arrival. */
  fromCommit: LatencySummary;
  raw: LatencySummary;
  /** p95 commit → delivery ÷ p95 raw POST. */
  ratio: number;
  targetP95Ms: number;
  /** Changes whose event arrived exactly once; never arrived; arrived more than once (extra copies). */
  exactlyOnce: number;
  missed: number;
  duplicates: number;
}

/** After the last expected event, how long later copies are still counted as duplicates. */
const SETTLE_MS = 2000;

/** Each expected event's arrivals: exactly once, missed (none), duplicates (copies beyond the first). */
function deliveryCounts(expected: Iterable<string>, arrived: readonly string[]) {
  const seen = new Map<string, number>();
  for (const key of arrived) seen.set(key, (seen.get(key) ?? 0) + 1);
  let exactlyOnce = 0;
  let missed = 0;
  let duplicates = 0;
  for (const key of expected) {
    const n = seen.get(key) ?? 0;
    if (n === 1) exactlyOnce += 1;
    if (n === 0) missed += 1;
    duplicates += Math.max(0, n - 1);
  }
  return { exactlyOnce, missed, duplicates };
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

function askOnce<T>(socket: Client, event: string, payload: Record<string, unknown>): Promise<Ack<T>> {
  return new Promise((resolve) => {
    const emit = socket.emit.bind(socket) as (e: string, p: unknown, ack: (res: Ack<T>) => void) => void;
    emit(event, payload, resolve);
  });
}

/** A command, asked again while the resource is BUSY (another change of it holds its lock). */
async function ask<T>(
  socket: Client,
  event: 'booking:create' | 'booking:cancel',
  payload: Record<string, unknown>,
): Promise<T> {
  for (let tries = 0; ; tries += 1) {
    const res = await askOnce<T>(socket, event, payload);
    if (res.ok) return res.data;
    if (res.error.code !== 'BUSY' || tries >= 20) throw new Error(`${event}: ${res.error.code}`);
  }
}

async function post<T>(base: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** The raw primitive: `count` signed POSTs of `body` straight to the receiver, 8 at a time; each one's ms. */
async function rawSignedPosts(url: string, secret: string, body: string, count: number): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const raw: number[] = [];
  const rawOne = async (k: number): Promise<void> => {
    if (k >= count) return;
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const req = http.request(
        `${url}/raw`,
        { method: 'POST', agent, headers: signedHeaders(secret, `msg_raw${k}`, new Date(), body) },
        (res) => {
          res.resume();
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    raw.push(performance.now() - t0);
    await rawOne(k + 8);
  };
  await Promise.all(Array.from({ length: 8 }, (_, k) => rawOne(k)));
  agent.destroy();
  return raw;
}

export async function runWebhooksBench(o: {
  mongoUrl: string;
  redisUrl: string;
  changes: number;
  log: (line: string) => void;
}): Promise<WebhooksBenchResult> {
  process.env.WEBHOOK_ALLOW_PRIVATE = '1';
  const db = `bench_webhooks_${randomBytes(3).toString('hex')}`;
  const mongo = o.mongoUrl.replace(/^(mongodb:\/\/[^/?]+)(\/[^?]*)?/, `$1/${db}`);
  const secret = randomBytes(32).toString('hex');
  const config = (nodeId: string) =>
    parseConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MONGO_URL: mongo,
      REDIS_URL: o.redisUrl,
      REDIS_PREFIX: `${db}:`,
      AUTH_SECRET: secret,
      NODE_ID: nodeId,
      STAFF_EMAIL: 'staff@example.com',
      STAFF_PASSWORD: 'staff-password',
      LOG_LEVEL: 'silent',
      DRAIN_DELAY_MS: '0',
      MAX_ACTIVE_BOOKINGS_PER_USER: '100000',
      LOGIN_LIMIT_PER_ADDRESS: '100000',
      REGISTER_LIMIT_PER_ADDRESS: '100000',
      SMTP_URL: 'smtp://127.0.0.1:9',
    });
  const receiver = await startReceiver();
  const node = await startNode({ config: config(`${db}-node`) });
  const notifier = await startNotificationService({ config: config(`${db}-notifier`) });
  try {
    const staff = await post<{ token: string }>(node.url, '/api/auth/login', {
      email: 'staff@example.com',
      password: 'staff-password',
    });
    const hook = await post<{ secret: string }>(
      node.url,
      '/api/webhooks',
      { url: `${receiver.url}/bench`, events: ['booking.created', 'booking.cancelled'] },
      staff.token,
    );
    const rooms = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post<{ resource: { id: string } }>(
          node.url,
          '/api/resources',
          { name: `Hook bench ${i}`, type: 'room' },
          staff.token,
        ),
      ),
    );
    // Eight people, one socket each, each loop at most LOOP_RATE commands a second: the server's
    // limit is 50 a second per person (RATE_LIMITED beyond), which one socket of 8 loops passed
    // on a fast day.
    const sockets = await Promise.all(
      Array.from({ length: LOOPS }, async (_, k) => {
        const user = await post<{ token: string }>(node.url, '/api/auth/register', {
          name: `Bench hooks ${k}`,
          email: `hooks-${k}-${db}@example.com`,
          password: 'bench-password-1',
        });
        const s: Client = io(node.url, { auth: { token: user.token }, transports: ['websocket'] });
        await new Promise<void>((resolve, reject) => {
          s.once('connect', () => resolve());
          s.once('connect_error', reject);
        });
        return s;
      }),
    );

    // Each change: sent at → its event's arrival (matched by booking id and type).
    const sentAt = new Map<string, number>();
    const base = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 2 * 3_600_000;
    let next = 0;
    const paced = async (since: number) => {
      const wait = since + 1000 / LOOP_RATE - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    };
    const one = async (socket: Client): Promise<void> => {
      const i = next++;
      if (i * 2 >= o.changes) return;
      const room = rooms[i % rooms.length]?.resource.id ?? '';
      const start = new Date(base + Math.floor(i / rooms.length) * 3600_000);
      const t0 = performance.now();
      const { booking } = await ask<{ booking: { id: string } }>(socket, 'booking:create', {
        resourceId: room,
        start: start.toISOString(),
        end: new Date(start.getTime() + 3600_000).toISOString(),
      });
      sentAt.set(`${booking.id}:booking.created`, t0);
      await paced(t0);
      const t1 = performance.now();
      sentAt.set(`${booking.id}:booking.cancelled`, t1);
      await ask(socket, 'booking:cancel', { bookingId: booking.id });
      await paced(t1);
      await one(socket);
    };
    await Promise.all(sockets.map((s) => one(s)));
    const expected = sentAt.size;
    const keyOf = (body: string) => {
      const e = JSON.parse(body) as { type: string; data: { booking: { id: string } } };
      return `${e.data.booking.id}:${e.type}`;
    };
    // Every change's event once (or the deadline), then SETTLE_MS more for late copies (duplicates).
    const deadline = Date.now() + 120_000;
    while (new Set(receiver.received.map((r) => keyOf(r.body))).size < expected && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const counts = deliveryCounts(
      sentAt.keys(),
      receiver.received.map((r) => keyOf(r.body)),
    );
    const latencies: number[] = [];
    const fromCommit: number[] = [];
    for (const r of receiver.received) {
      const e = JSON.parse(r.body) as { type: string; timestamp: string; data: { booking: { id: string } } };
      fromCommit.push(r.wall - Date.parse(e.timestamp));
      const t = sentAt.get(`${e.data.booking.id}:${e.type}`);
      if (t !== undefined) latencies.push(r.at - t);
    }
    for (const s of sockets) s.close();
    o.log(`webhooks: ${counts.exactlyOnce} of ${expected} events delivered exactly once`);

    // The raw primitive: the same kind of signed POST, straight to the receiver.
    const raw = await rawSignedPosts(receiver.url, hook.secret, receiver.received[0]?.body ?? '{}', expected);
    const delivery = summarize(latencies);
    const rawSummary = summarize(raw);
    return {
      changes: expected,
      delivery,
      fromCommit: summarize(fromCommit),
      raw: rawSummary,
      ratio: summarize(fromCommit).p95 / Math.max(rawSummary.p95, 0.001),
      targetP95Ms: 2000,
      ...counts,
    };
  } finally {
    await notifier.close();
    await node.close();
    await receiver.close();
  }
}

export function renderWebhooksBench(r: WebhooksBenchResult): string {
  const f = (n: number) => n.toFixed(1);
  return [
    '',
    `Webhooks: ${r.changes} booking changes → a local receiver (commit → delivery)`,
    `  command sent → delivery  p50 ${f(r.delivery.p50)} ms  p95 ${f(r.delivery.p95)} ms  max ${f(r.delivery.max)} ms  `,
    `  commit → delivery  p50 ${f(r.fromCommit.p50)} ms  p95 ${f(r.fromCommit.p95)} ms  max ${f(r.fromCommit.max)} ms` +
      `  (target p95 ≤ ${r.targetP95Ms} ms)`,
    `  delivered exactly once ${r.exactlyOnce} of ${r.changes}, missed ${r.missed}, duplicates ${r.duplicates}`,
    `  raw POST  p50 ${f(r.raw.p50)} ms  p95 ${f(r.raw.p95)} ms  max ${f(r.raw.max)} ms`,
    `  ratio (p95 commit → delivery ÷ p95 raw POST) ${r.ratio.toFixed(1)}×  ${r.fromCommit.p95 <= r.targetP95Ms ? 'OK' : 'OVER TARGET'}`,
  ].join('\n');
}

if (require.main === module) {
  void (async () => {
    const mongo = process.env.MONGO_URL ? null : await startMongo();
    const redis = process.env.REDIS_URL ? null : await startRedis();
    try {
      const result = await runWebhooksBench({
        mongoUrl: process.env.MONGO_URL ?? mongo?.url ?? '',
        redisUrl: process.env.REDIS_URL ?? redis?.url ?? '',
        changes: process.env.BENCH_SIZE === 'tiny' ? 200 : 1000,
        log: (line) => process.stdout.write(`bench: ${line}\n`),
      });
      process.stdout.write(`${renderWebhooksBench(result)}\n`);
    } finally {
      await redis?.stop();
      await mongo?.stop();
    }
    process.exit(0);
  })().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
