import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { Logger } from './logger';
import { withDeadline } from './mongo';

/** Running totals of Redis work that was given up on (exported by /metrics). */
export interface RedisFaults {
  /** Publishes (Socket.IO adapter broadcasts, relay wakes) that Redis did not take. */
  publishFailures: number;
}

export interface RedisConnections {
  /**
   * Commands: cache, locks, rate limits. No offline queue: while Redis is away a command fails at
   * once (its caller degrades) instead of stalling a booking behind reconnect attempts.
   */
  cmd: Redis;
  /**
   * Publisher for the Socket.IO adapter. Its `publish` never rejects: the adapter publishes
   * without catching (an unhandled rejection per broadcast while Redis is away), so a failed
   * publish is logged, counted in `faults` and answered 0 receivers. Clients resync on the
   * version gap.
   */
  pub: Redis;
  /** Subscriber for the adapter and the relay; it queues its subscriptions until Redis is there. */
  sub: Redis;
  /** Options BullMQ connections are built from (BullMQ wants maxRetriesPerRequest: null). */
  bullmqOptions: RedisOptions;
  faults: RedisFaults;
  close(): Promise<void>;
}

/**
 * A publisher whose `publish` reports a failure instead of rejecting (see `RedisConnections.pub`).
 * A subclass rather than a wrapper object: the adapter also calls other commands on it.
 */
class GuardedPublisher extends Redis {
  onPublishFailure: (err: unknown) => void = () => undefined;

  override publish(channel: string | Buffer, message: string | Buffer): Promise<number> {
    return super.publish(channel, message).catch((err: unknown) => {
      this.onPublishFailure(err);
      return 0;
    });
  }
}

/** Separate connections per role, so a blocking or subscribed connection never delays a command. */
export function connectRedis(opts: { url: string; logger: Logger; name: string }): RedisConnections {
  const base: RedisOptions = {
    // Reconnect forever, backing off up to 1 s: Redis restarts must heal without a node restart.
    retryStrategy: (times) => Math.min(times * 100, 1000),
  };
  const faults: RedisFaults = { publishFailures: 0 };
  const watch = <R extends Redis>(role: string, client: R): R => {
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
  // No CLIENT SETNAME on the subscriber: after a reconnect it would be sent in subscriber mode.
  const named = (role: string): RedisOptions => ({ connectionName: `${opts.name}:${role}` });
  const cmd = watch('cmd', new Redis(opts.url, { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false, ...named('cmd') }));
  const pub = watch('pub', new GuardedPublisher(opts.url, { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false, ...named('pub') }));
  const sub = watch('sub', new Redis(opts.url, { ...base, maxRetriesPerRequest: null }));
  let lastLogged = 0;
  pub.onPublishFailure = (err) => {
    faults.publishFailures += 1;
    // One line per second at most: a storm during an outage would otherwise log every broadcast.
    const now = Date.now();
    if (now - lastLogged < 1000) return;
    lastLogged = now;
    opts.logger.warn({ err: err instanceof Error ? err.message : String(err), failures: faults.publishFailures }, 'redis publish failed; going on');
  };
  const bullmqOptions: RedisOptions = { ...base, maxRetriesPerRequest: null };
  const parsed = new URL(opts.url);
  return {
    cmd,
    pub,
    sub,
    faults,
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
      // QUIT needs a live connection (cmd and pub have no offline queue); disconnect ends the rest.
      await Promise.allSettled([cmd, pub, sub].map((c) => (c.status === 'ready' ? c.quit() : Promise.resolve('OK'))));
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

/** Whether every connection of the set is ready and Redis answers a PING in time. */
export async function redisHealthy(redis: Pick<RedisConnections, 'cmd' | 'pub' | 'sub'>, timeoutMs: number): Promise<boolean> {
  if (redis.pub.status !== 'ready' || redis.sub.status !== 'ready') return false;
  return pingRedis(redis.cmd, timeoutMs);
}

/**
 * Resolves `true` once the client is ready, `false` at its first failed connection attempt (Redis
 * away: the caller goes on without it and the client keeps reconnecting) or after the deadline;
 * rejects only when `signal` aborts.
 */
export function redisSettled(client: Redis, signal?: AbortSignal, timeoutMs = 5000): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve, reject) => {
    const done = (outcome: boolean | Error) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onError);
      client.off('reconnecting', onError);
      signal?.removeEventListener('abort', onAbort);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onReady = () => done(true);
    const onError = () => done(false);
    const onAbort = () => done(new Error('aborted while waiting for redis'));
    // A Redis that neither answers nor refuses (a black hole) counts as away too.
    const timer = setTimeout(() => done(false), timeoutMs);
    client.once('ready', onReady);
    client.once('error', onError);
    client.once('reconnecting', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
