import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { Logger } from './logger';
import { withDeadline } from './mongo';

export interface RedisConnections {
  /** Commands: cache, locks, rate limits. Fails fast while Redis is away instead of queueing forever. */
  cmd: Redis;
  /** Publisher and subscriber for the Socket.IO adapter. */
  pub: Redis;
  sub: Redis;
  /** Options BullMQ connections are built from (BullMQ wants maxRetriesPerRequest: null). */
  bullmqOptions: RedisOptions;
  close(): Promise<void>;
}

/** Separate connections per role, so a blocking or subscribed connection never delays a command. */
export function connectRedis(opts: { url: string; logger: Logger; name: string }): RedisConnections {
  const base: RedisOptions = {
    // Reconnect forever, backing off up to 1 s: Redis restarts must heal without a node restart.
    retryStrategy: (times) => Math.min(times * 100, 1000),
  };
  const make = (role: string, extra: RedisOptions): Redis => {
    // No CLIENT SETNAME on the subscriber: after a reconnect it would be sent in subscriber mode.
    const named = role === 'sub' ? {} : { connectionName: `${opts.name}:${role}` };
    const client = new Redis(opts.url, { ...base, ...extra, ...named });
    let lastError = '';
    client.on('error', (err: Error) => {
      // Reconnect loops repeat the same error many times a second; log each distinct one once.
      if (err.message !== lastError) opts.logger.warn({ role, err: err.message }, 'redis error');
      lastError = err.message;
    });
    client.on('ready', () => {
      if (lastError) opts.logger.info({ role }, 'redis reconnected');
      lastError = '';
    });
    return client;
  };
  const cmd = make('cmd', { maxRetriesPerRequest: 1 });
  const pub = make('pub', { maxRetriesPerRequest: 1 });
  const sub = make('sub', { maxRetriesPerRequest: null });
  const bullmqOptions: RedisOptions = { ...base, maxRetriesPerRequest: null };
  const parsed = new URL(opts.url);
  return {
    cmd,
    pub,
    sub,
    bullmqOptions: {
      ...bullmqOptions,
      host: parsed.hostname,
      port: Number(parsed.port || 6379),
      ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
      ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
      ...(parsed.pathname.length > 1 ? { db: Number(parsed.pathname.slice(1)) } : {}),
      ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    },
    async close() {
      await Promise.allSettled([cmd.quit(), pub.quit(), sub.quit()]);
      cmd.disconnect();
      pub.disconnect();
      sub.disconnect();
    },
  };
}

export async function pingRedis(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status !== 'ready') return false;
  return withDeadline(client.ping().then((r) => r === 'PONG'), timeoutMs, false);
}

/** Resolves once the client is ready; rejects after the deadline or when `signal` aborts. */
export function redisReady(client: Redis, signal?: AbortSignal, timeoutMs = 10_000): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onReady = () => done();
    const onAbort = () => done(new Error('aborted while waiting for redis'));
    const timer = setTimeout(() => done(new Error('redis not ready in time')), timeoutMs);
    client.once('ready', onReady);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
