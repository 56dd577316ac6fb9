/**
 * One bootstrap for every process that talks to the stores (server node, notifier, seed script):
 * MongoDB with the given collections registered, created and indexed, and the three Redis
 * connections, behind one `close()`.
 *
 * Order: MongoDB first (collections and indexes must exist before any transaction: MongoDB 4.0
 * cannot create them inside one), then Redis. MongoDB is required; Redis is not: this waits for
 * each Redis connection to be ready or to fail its first attempt, and then goes on either way, so
 * a process starts while Redis is away (a node answers 503 on /healthz until it is back) and the
 * clients keep reconnecting by themselves. Subscriptions made before Redis is ready wait in the
 * subscriber's offline queue, which ioredis sends only once the connection is ready. `close()`
 * first lets the running transactions end (and starts no new one: `settleTransactions`), then
 * closes Redis, then MongoDB.
 */
import type { Connection } from 'mongoose';
import { redisNames } from './channels';
import type { RedisNames } from './channels';
import type { Config } from './config';
import type { Logger } from './logger';
import { connectMongo } from './mongo';
import { connectRedis, redisSettled } from './redis';
import type { RedisConnections } from './redis';
import { settleTransactions } from './transactions';

/** How long a closing process waits for its running transactions (one attempt each: none is retried). */
const SETTLE_MS = 3000;

export interface Stores<C> {
  conn: Connection;
  /** What `register` returned: the collections' models, for the root to hand to each capability. */
  collections: C;
  redis: RedisConnections;
  names: RedisNames;
  close(): Promise<void>;
}

export interface OpenStoresOptions<C> {
  config: Pick<Config, 'mongoUrl' | 'redis' | 'redisPrefix'>;
  logger: Logger;
  /** Shown by MongoDB and Redis next to this process's connections. */
  appName: string;
  /** Registers the models this process uses (the capabilities' own registration functions). */
  register: (conn: Connection) => C;
  /** Database name when the URL names none. */
  dbName?: string;
  /** Aborts the opening (a signal during start-up): what was opened is closed, and it rejects. */
  signal?: AbortSignal;
}

/** The MongoDB half: connection, registered models, collections and indexes. */
export async function openDatabase<C>(
  opts: Omit<OpenStoresOptions<C>, 'config'> & { config: Pick<Config, 'mongoUrl'> },
): Promise<{ conn: Connection; collections: C }> {
  let collections: C | undefined;
  const conn = await connectMongo({
    url: opts.config.mongoUrl,
    ...(opts.dbName ? { dbName: opts.dbName } : {}),
    appName: opts.appName,
    logger: opts.logger,
    register: (c) => {
      collections = opts.register(c);
    },
  });
  if (collections === undefined) throw new Error('collections were not registered');
  return { conn, collections };
}

export async function openStores<C>(opts: OpenStoresOptions<C>): Promise<Stores<C>> {
  const { conn, collections } = await openDatabase(opts);
  const redis = connectRedis({ target: opts.config.redis, logger: opts.logger, name: opts.appName });
  const close = async () => {
    const left = await settleTransactions(conn, SETTLE_MS);
    if (left > 0) opts.logger.warn({ transactions: left }, 'closing MongoDB with transactions still running');
    await redis.close();
    await conn.close();
  };
  try {
    opts.signal?.throwIfAborted();
    const ready = await Promise.all(
      [redis.cmd, redis.pub, redis.sub].map((client) => redisSettled(client, opts.signal)),
    );
    if (!ready.every(Boolean)) opts.logger.warn('starting without Redis; its clients keep reconnecting');
  } catch (err) {
    await close();
    throw err;
  }
  return { conn, collections, redis, names: redisNames(opts.config.redisPrefix), close };
}
