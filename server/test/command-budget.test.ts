/**
 * One user's command budget is counted cluster-wide (issue 22, item 7; docs/protocol.md v3): the
 * user's connections on two nodes share one budget, on one Redis and on a Redis Cluster; each
 * connection keeps its own local budget; the refusal is RATE_LIMITED with `retryAfterMs`. While
 * Redis is away (not connected, or connected and silent) the per-user budget is counted in memory
 * and commands keep their answers.
 *
 * The windows are a minute long so the whole burst lands in one window however slow the machine.
 */
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket as NetSocket } from 'node:net';
import Redis from 'ioredis';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { startRedisCluster } from '../../scripts/lib/embedded-redis-cluster';
import type { EmbeddedRedisCluster } from '../../scripts/lib/embedded-redis-cluster';
import { redisNames } from '../src/infra/channels';
import { createCommandLimits, REDIS_BUDGET_TIMEOUT_MS } from '../src/transport/command-budget';
import { testUrls } from '../../test/support/env';
import { connectClient, registerUser, send, startHarness } from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';

const PER_SOCKET = 40;
const PER_USER = 100;

describe.each([{ mode: 'single' as const }, { mode: 'cluster' as const }])(
  'per-user budget on Redis ($mode)',
  ({ mode }) => {
    let cluster: EmbeddedRedisCluster | null = null;
    let h: Harness;
    const sockets: ClientSocket[] = [];

    beforeAll(async () => {
      cluster = mode === 'cluster' ? await startRedisCluster() : null;
      h = await startHarness({
        label: `budget-${mode}`,
        count: 2,
        ...(cluster ? { env: { REDIS_URL: cluster.url } } : {}),
        node: {
          rateLimit: { points: PER_SOCKET, durationSec: 60 },
          userRateLimit: { points: PER_USER, durationSec: 60 },
        },
      });
    }, 120_000);
    afterAll(async () => {
      for (const s of sockets) s.close();
      await h?.close();
      await cluster?.stop();
    }, 60_000);

    test('three connections on each of two nodes share one budget of the user; each connection has its own', async () => {
      const user = await registerUser(h.node.url, `budget${mode}`);
      for (const node of h.nodes)
        for (let i = 0; i < 3; i += 1) sockets.push(await connectClient(node.url, user.token));
      // 6 × 40 = 240 commands, each connection within its own 40: only the user's 100 may pass.
      const acks = await Promise.all(
        sockets.flatMap((s) => Array.from({ length: PER_SOCKET }, () => send(s, 'resources:list', {}))),
      );
      const ok = acks.filter((a) => a.ok).length;
      const limited = acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED');
      expect({ ok, limited: limited.length }).toEqual({ ok: PER_USER, limited: 6 * PER_SOCKET - PER_USER });
      const first = limited[0];
      const details: unknown = first && !first.ok ? first.error.details : undefined;
      expect(details).toEqual({ retryAfterMs: expect.any(Number) });

      // Another user on the same nodes is untouched; one connection stops at its own 40.
      const other = await connectClient(
        h.nodes[1]?.url ?? '',
        (await registerUser(h.node.url, `budget${mode}b`)).token,
      );
      sockets.push(other);
      const own = await Promise.all(Array.from({ length: PER_SOCKET + 5 }, () => send(other, 'resources:list', {})));
      expect(own.filter((a) => a.ok)).toHaveLength(PER_SOCKET);
    }, 60_000);
  },
);

describe('while Redis is away the per-user budget is counted on the node', () => {
  const names = redisNames('budget-away:');
  let silent: Server;
  const held: NetSocket[] = [];
  const clients: Redis[] = [];

  /** Once set, the fake Redis below stops answering: a Redis that hangs after the handshake. */
  let hang = false;

  beforeAll(async () => {
    // Answers +OK to every command (enough for ioredis' handshake) until `hang`.
    silent = createServer((c) => {
      held.push(c);
      c.on('data', (chunk: Buffer) => {
        if (hang) return;
        const commands = chunk.toString('latin1').match(/(?:^|\r\n)\*\d+\r\n/g)?.length ?? 0;
        c.write('+OK\r\n'.repeat(commands));
      });
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    for (const c of held) c.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  async function spend(
    limits: ReturnType<typeof createCommandLimits>,
    n: number,
  ): Promise<{ ok: number; limited: number; slowestMs: number }> {
    let ok = 0;
    let limited = 0;
    let slowestMs = 0;
    for (let i = 0; i < n; i += 1) {
      const started = performance.now();
      try {
        await limits.perUser.consume('user-1');
        ok += 1;
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        limited += 1;
      }
      slowestMs = Math.max(slowestMs, performance.now() - started);
    }
    return { ok, limited, slowestMs };
  }

  test('not connected: answered at once from memory, the budget still holds', async () => {
    // Nothing listens on the port once the server above is closed; no offline queue, as the node's client.
    const gone = new Redis({
      port: 1,
      host: '127.0.0.1',
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    clients.push(gone);
    const limits = createCommandLimits({ redis: { client: gone, names }, perUser: { points: 10, durationSec: 60 } });
    const got = await spend(limits, 15);
    expect({ ok: got.ok, limited: got.limited }).toEqual({ ok: 10, limited: 5 });
    expect(got.slowestMs).toBeLessThan(REDIS_BUDGET_TIMEOUT_MS);
  });

  test('connected and silent: each command waits at most the timeout, then memory counts', async () => {
    const port = (silent.address() as AddressInfo).port;
    const hung = new Redis({
      port,
      host: '127.0.0.1',
      enableReadyCheck: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    clients.push(hung);
    await new Promise<void>((resolve) => (hung.status === 'ready' ? resolve() : hung.once('ready', () => resolve())));
    hang = true;
    const limits = createCommandLimits({ redis: { client: hung, names }, perUser: { points: 3, durationSec: 60 } });
    const got = await spend(limits, 5);
    expect({ ok: got.ok, limited: got.limited }).toEqual({ ok: 3, limited: 2 });
    expect(got.slowestMs).toBeLessThan(REDIS_BUDGET_TIMEOUT_MS + 250);
  });
});

describe('a late event loop is not a silent Redis', () => {
  test('commands whose answers arrived during a stall of this process are still counted cluster-wide', async () => {
    const names = redisNames(`budget-late-${Date.now()}:`);
    const redis = new Redis(testUrls().redis, { enableOfflineQueue: false });
    try {
      await new Promise<void>((resolve) =>
        redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve()),
      );
      // Two nodes' limits on one Redis, 5 a minute for the user.
      const nodes = [0, 1].map(() =>
        createCommandLimits({ redis: { client: redis, names }, perUser: { points: 5, durationSec: 60 } }),
      );
      const pending = nodes.flatMap((n) =>
        Array.from({ length: 4 }, () =>
          n.perUser.consume('user-1').then(
            () => 'ok' as const,
            () => 'limited' as const,
          ),
        ),
      );
      // The process is busy past the deadline right after sending (a burst, a starved CPU): the
      // answers arrive meanwhile and must win over the timer that fired on the late loop.
      const until = performance.now() + REDIS_BUDGET_TIMEOUT_MS + 300;
      while (performance.now() < until) {
        // busy: this is the stall under test
      }
      const outcomes = await Promise.all(pending);
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(5);
    } finally {
      redis.disconnect();
    }
  });
});
