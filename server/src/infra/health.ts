/**
 * Whether a process's stores answer, and the bare `GET /healthz` listener of a process that serves
 * no other HTTP (the notifier, when `HEALTH_PORT` is set; a node answers /healthz in its express
 * app on the same check). Plain `node:http`: one route needs no framework.
 */
import { createServer } from 'node:http';
import type { Connection } from 'mongoose';
import type { Logger } from './logger';
import { pingMongo } from './mongo';
import { redisHealthy } from './redis';
import { TUNABLES } from './tunables';
import type { RedisConnections } from './redis';

/** True while MongoDB answers a ping and Redis does on every connection, each within `timeoutMs`. */
export async function storesHealthy(
  stores: { conn: Connection; redis: Pick<RedisConnections, 'cmd' | 'pub' | 'sub'> },
  timeoutMs = 1000,
): Promise<boolean> {
  const [mongoOk, redisOk] = await Promise.all([
    pingMongo(stores.conn, timeoutMs),
    redisHealthy(stores.redis, timeoutMs),
  ]);
  return mongoOk && redisOk;
}

export interface HealthListenerOptions {
  port: number;
  host: string;
  /** Named in every answer, as a node's /healthz does. */
  nodeId: string;
  healthy: () => Promise<boolean>;
  logger: Logger;
}

export interface HealthListener {
  /** The port it listens on (the one asked for, or the one given for 0). */
  port: number;
  /** Stops accepting and drops open (keep-alive) connections, so the port is free when it resolves. */
  close(): Promise<void>;
}

/** Answers `GET /healthz` with 200 `{ok: true, nodeId}` while `healthy()` says so, 503 `{ok: false, nodeId}` otherwise; 404 to anything else. */
export function listenHealth(opts: HealthListenerOptions): Promise<HealthListener> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (path !== '/healthz' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      send(404, { error: { code: 'NOT_FOUND', message: 'no such endpoint' } });
      return;
    }
    opts.healthy().then(
      (ok) => send(ok ? 200 : 503, { ok, nodeId: opts.nodeId }),
      (err: unknown) => {
        opts.logger.warn({ err }, 'health check failed');
        send(503, { ok: false, nodeId: opts.nodeId });
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      server.on('error', (err) => opts.logger.warn({ err }, 'health listener error'));
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : opts.port;
      opts.logger.info({ host: opts.host, port }, 'health listening');
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // A probe's keep-alive connection would hold the port (and close()) open.
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** How the background store probe runs (see `startHealthProbe`). */
export interface HealthProbeOptions {
  /** One probe of the stores: true when every store answered within `timeoutMs`. */
  check: (timeoutMs: number) => Promise<boolean>;
  logger: Logger;
  /** Pause between the end of one probe and the start of the next (default 1000 ms). */
  intervalMs?: number;
  /** How long one probe may take before it counts as failed (default 2000 ms). */
  timeoutMs?: number;
  /**
   * Consecutive failed probes before the process reports itself unhealthy (default 3). One slow
   * answer on a CPU-starved machine must not take a working node out of rotation; a store that is
   * really away fails every probe at once (no offline queues), so it shows within a few seconds.
   */
  failuresBeforeUnhealthy?: number;
}

export interface HealthProbe {
  /** The stores' state as the probe last saw it: false until the first probe succeeded. */
  healthy(): boolean;
  stop(): void;
}

/**
 * Probes the stores in the background and answers `/healthz` from what it saw, so a health check
 * never waits on MongoDB or Redis itself: a request that pinged the stores inside itself answered
 * 503 whenever the pings queued behind a busy moment (a login flood, a starved CPU), and a
 * gateway would take a working node out of rotation for it. Resolves once the first probe has
 * settled, so a node that starts with both stores up is healthy from its first request.
 */
export async function startHealthProbe(opts: HealthProbeOptions): Promise<HealthProbe> {
  const intervalMs = opts.intervalMs ?? TUNABLES.healthProbeIntervalMs;
  const timeoutMs = opts.timeoutMs ?? TUNABLES.healthProbeTimeoutMs;
  const threshold = opts.failuresBeforeUnhealthy ?? TUNABLES.healthFailuresBeforeUnhealthy;
  let ok = false;
  let failures = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const probeOnce = async (): Promise<void> => {
    const passed = await opts.check(timeoutMs).catch(() => false);
    if (passed) {
      if (!ok) opts.logger.info('stores answer: healthy');
      failures = 0;
      ok = true;
      return;
    }
    failures += 1;
    if (ok && failures >= threshold) {
      ok = false;
      opts.logger.warn({ failures }, 'stores do not answer: unhealthy');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void probeOnce().finally(schedule), intervalMs);
    timer.unref();
  };

  await probeOnce();
  schedule();
  return {
    healthy: () => ok,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
