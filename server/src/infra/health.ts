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
import type { RedisConnections } from './redis';

/** True while MongoDB answers a ping and Redis does on every connection, each within `timeoutMs`. */
export async function storesHealthy(stores: { conn: Connection; redis: Pick<RedisConnections, 'cmd' | 'pub' | 'sub'> }, timeoutMs = 1000): Promise<boolean> {
  const [mongoOk, redisOk] = await Promise.all([pingMongo(stores.conn, timeoutMs), redisHealthy(stores.redis, timeoutMs)]);
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
