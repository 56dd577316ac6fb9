import { Cluster, Redis } from 'ioredis';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'bullmq';
import type { RedisTarget } from './config';
import type { Logger } from './logger';
import { withDeadline } from './mongo';

/**
 * A connection to one Redis or to a Redis Cluster. Every caller uses commands both have, with
 * keys from `redisNames` (hash-tagged where one command touches several keys).
 */
export type RedisClient = Redis | Cluster;

/** Running totals of Redis work that was given up on (exported by /metrics). */
export interface RedisFaults {
  /** Publishes (Socket.IO adapter broadcasts, relay wakes) that Redis did not take. */
  publishFailures: number;
}

export interface RedisConnections {
  /**
   * `single`: the classic Socket.IO adapter and emitter (PUBLISH). `cluster`: the sharded adapter
   * and emitter (SPUBLISH / SSUBSCRIBE, Redis 7 sharded pub/sub), BullMQ on a Cluster client.
   */
  mode: RedisTarget['kind'];
  /**
   * Commands: cache, locks, rate limits. No offline queue: while Redis is away a command fails at
   * once (its caller degrades) instead of stalling a booking behind reconnect attempts.
   */
  cmd: RedisClient;
  /**
   * Publisher for the Socket.IO adapter and emitter. Its `publish` and `spublish` never reject:
   * the adapter publishes without catching (an unhandled rejection per broadcast while Redis is
   * away), so a failed publish is logged, counted in `faults` and answered 0 receivers. Clients
   * resync on the version gap.
   */
  pub: RedisClient;
  /**
   * Subscriber for the adapter and the relay; it queues its subscriptions until Redis is there.
   * On a cluster it keeps one sharded subscriber per master (ioredis `shardedSubscribers`), so
   * SSUBSCRIBE reaches the node that owns each channel's slot.
   */
  sub: RedisClient;
  /**
   * What BullMQ connects with: options on a single Redis (BullMQ opens and closes its own
   * connections), a Cluster client of its own on a cluster (BullMQ takes no cluster options; it
   * duplicates the client for its blocking connections and leaves closing it to `close()`).
   */
  bullmqOptions: ConnectionOptions;
  faults: RedisFaults;
  close(): Promise<void>;
}

type PublishFailure = (err: unknown) => void;

/**
 * A publisher whose `publish` and `spublish` report a failure instead of rejecting (see
 * `RedisConnections.pub`). Subclasses rather than wrapper objects: the adapter also calls other
 * commands on it, and tells a cluster by `isCluster`.
 */
class GuardedPublisher extends Redis {
  onPublishFailure: PublishFailure = () => undefined;

  override publish(channel: string | Buffer, message: string | Buffer): Promise<number> {
    return super.publish(channel, message).catch((err: unknown) => {
      this.onPublishFailure(err);
      return 0;
    });
  }

  override spublish(channel: string | Buffer, message: string | Buffer): Promise<unknown> {
    return super.spublish(channel, message).catch((err: unknown) => {
      this.onPublishFailure(err);
      return 0;
    });
  }
}

class GuardedClusterPublisher extends Cluster {
  onPublishFailure: PublishFailure = () => undefined;

  override publish(channel: string | Buffer, message: string | Buffer): Promise<number> {
    return super.publish(channel, message).catch((err: unknown) => {
      this.onPublishFailure(err);
      return 0;
    });
  }

  override spublish(channel: string | Buffer, message: string | Buffer): Promise<unknown> {
    return super.spublish(channel, message).catch((err: unknown) => {
      this.onPublishFailure(err);
      return 0;
    });
  }
}

// Reconnect forever, backing off up to 1 s: Redis restarts must heal without a node restart.
const backoff = (times: number): number => Math.min(times * 100, 1000);

/**
 * The three clients of one role set, for one Redis or one cluster. Cluster clients: slots
 * refreshed on MOVED, reconnecting with the same backoff; auth and TLS from the URL go to every
 * node connection.
 */
function clientFactory(target: RedisTarget) {
  if (target.kind === 'single') {
    const parsed = new URL(target.url);
    return {
      plain: (opts: RedisOptions) => new Redis(target.url, { retryStrategy: backoff, ...opts }),
      guarded: (opts: RedisOptions) => new GuardedPublisher(target.url, { retryStrategy: backoff, ...opts }),
      bullmq: (): ConnectionOptions => ({
        retryStrategy: backoff,
        maxRetriesPerRequest: null,
        host: parsed.hostname,
        port: Number(parsed.port || 6379),
        ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
        ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
        ...(parsed.pathname.length > 1 ? { db: Number(parsed.pathname.slice(1)) } : {}),
        ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
      }),
    };
  }
  const nodeOptions = (opts: RedisOptions): RedisOptions => ({
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
    ...opts,
  });
  const clusterOptions = (opts: RedisOptions, extra: ClusterOptions = {}): ClusterOptions => ({
    clusterRetryStrategy: backoff,
    // A node that restarts without a slot change must be reconnected to as well.
    clusterNodeRetryStrategy: backoff,
    ...(opts.enableOfflineQueue === false ? { enableOfflineQueue: false } : {}),
    ...(opts.enableAutoPipelining ? { enableAutoPipelining: true } : {}),
    redisOptions: nodeOptions(opts),
    ...extra,
  });
  return {
    plain: (opts: RedisOptions, extra?: ClusterOptions) => new Cluster(target.nodes, clusterOptions(opts, extra)),
    guarded: (opts: RedisOptions) => new GuardedClusterPublisher(target.nodes, clusterOptions(opts)),
    bullmq: (): ConnectionOptions => new Cluster(target.nodes, clusterOptions({ maxRetriesPerRequest: null })),
  };
}

/** Separate connections per role, so a blocking or subscribed connection never delays a command. */
export function connectRedis(opts: { target: RedisTarget; logger: Logger; name: string }): RedisConnections {
  const faults: RedisFaults = { publishFailures: 0 };
  const watch = <R extends RedisClient>(role: string, client: R): R => {
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
  const make = clientFactory(opts.target);
  // No CLIENT SETNAME on the subscriber: after a reconnect it would be sent in subscriber mode.
  const named = (role: string): RedisOptions => ({ connectionName: `${opts.name}:${role}` });
  // Auto-pipelining: what one tick sends (a booking's cache write, relay wake and feed counters;
  // a broadcast's publishes) goes out in one write and one round trip.
  const cmd = watch(
    'cmd',
    make.plain({ maxRetriesPerRequest: 1, enableOfflineQueue: false, enableAutoPipelining: true, ...named('cmd') }),
  );
  const pub = watch(
    'pub',
    make.guarded({ maxRetriesPerRequest: 1, enableOfflineQueue: false, enableAutoPipelining: true, ...named('pub') }),
  );
  const sub = watch('sub', make.plain({ maxRetriesPerRequest: null }, { shardedSubscribers: true }));
  let lastLogged = 0;
  pub.onPublishFailure = (err) => {
    faults.publishFailures += 1;
    // One line per second at most: a storm during an outage would otherwise log every broadcast.
    const now = Date.now();
    if (now - lastLogged < 1000) return;
    lastLogged = now;
    opts.logger.warn(
      { err: err instanceof Error ? err.message : String(err), failures: faults.publishFailures },
      'redis publish failed; going on',
    );
  };
  const bullmqOptions = make.bullmq();
  const owned: RedisClient[] = [cmd, pub, sub];
  if (bullmqOptions instanceof Cluster) owned.push(watch('bullmq', bullmqOptions));
  return {
    mode: opts.target.kind,
    cmd,
    pub,
    sub,
    faults,
    bullmqOptions,
    async close() {
      // QUIT needs a live connection (cmd and pub have no offline queue); disconnect ends the rest.
      await Promise.allSettled(owned.map((c) => (c.status === 'ready' ? c.quit() : Promise.resolve('OK'))));
      for (const c of owned) c.disconnect();
    },
  };
}

/**
 * Deletes every key matching `pattern`. SCAN walks one server's keyspace, so on a cluster it runs
 * on every master; keys are deleted one command each (they may sit in different slots).
 */
export async function deleteMatching(client: RedisClient, pattern: string): Promise<void> {
  const servers: Redis[] = client instanceof Cluster ? client.nodes('master') : [client];
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await Promise.all(keys.map((k) => client.unlink(k)));
    } while (cursor !== '0');
  }
}

export async function pingRedis(client: RedisClient, timeoutMs: number): Promise<boolean> {
  if (client.status !== 'ready') return false;
  return withDeadline(
    client.ping().then((r) => r === 'PONG'),
    timeoutMs,
    false,
  );
}

/** Whether every connection of the set is ready and Redis answers a PING in time. */
export async function redisHealthy(
  redis: Pick<RedisConnections, 'cmd' | 'pub' | 'sub'>,
  timeoutMs: number,
): Promise<boolean> {
  if (redis.pub.status !== 'ready' || redis.sub.status !== 'ready') return false;
  return pingRedis(redis.cmd, timeoutMs);
}

/**
 * Resolves `true` once the client is ready, `false` at its first failed connection attempt (Redis
 * away: the caller goes on without it and the client keeps reconnecting) or after the deadline;
 * rejects only when `signal` aborts.
 */
export function redisSettled(client: RedisClient, signal?: AbortSignal, timeoutMs = 5000): Promise<boolean> {
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
