/**
 * One bootstrap for every process that talks to the stores (server node, notifier, seed script):
 * MongoDB with the given collections registered, created and indexed, and the three Redis
 * connections awaited ready, behind one `close()`.
 *
 * Order: MongoDB first (collections and indexes must exist before any transaction: MongoDB 4.0
 * cannot create them inside one), then Redis. The Redis connections are all awaited before this
 * resolves: a subscription queued on a connection that is still starting puts it into subscriber
 * mode before ioredis' ready check, which then fails (the Socket.IO adapter and the relay both
 * subscribe). `close()` closes Redis, then MongoDB.
 */
import type { Connection } from 'mongoose';
import { redisNames } from './channels';
import type { RedisNames } from './channels';
import type { Config } from './config';
import type { Logger } from './logger';
import { connectMongo } from './mongo';
import { connectRedis, redisReady } from './redis';
import type { RedisConnections } from './redis';

export interface Stores<C> {
  conn: Connection;
  /** What `register` returned: the collections' models, for the root to hand to each capability. */
  collections: C;
  redis: RedisConnections;
  names: RedisNames;
  close(): Promise<void>;
}

export interface OpenStoresOptions<C> {
  config: Pick<Config, 'mongoUrl' | 'redisUrl' | 'redisPrefix'>;
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
export async function openDatabase<C>(opts: Omit<OpenStoresOptions<C>, 'config'> & { config: Pick<Config, 'mongoUrl'> }): Promise<{ conn: Connection; collections: C }> {
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
  const redis = connectRedis({ url: opts.config.redisUrl, logger: opts.logger, name: opts.appName });
  const close = async () => {
    await redis.close();
    await conn.close();
  };
  try {
    opts.signal?.throwIfAborted();
    await Promise.all([redisReady(redis.cmd, opts.signal), redisReady(redis.pub, opts.signal), redisReady(redis.sub, opts.signal)]);
  } catch (err) {
    await close();
    throw err;
  }
  return { conn, collections, redis, names: redisNames(opts.config.redisPrefix), close };
}
