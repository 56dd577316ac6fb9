import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import type { Logger } from './logger';

/**
 * Opens a connection and prepares every registered model: MongoDB 4.0 cannot create a collection
 * inside a transaction, so collections and indexes are created here, before any request is served.
 */
export async function connectMongo(opts: {
  url: string;
  dbName?: string;
  /** Shown by MongoDB next to this process's connections. */
  appName?: string;
  logger: Logger;
  register: (conn: Connection) => void;
}): Promise<Connection> {
  const conn = mongoose.createConnection(opts.url, {
    ...(opts.dbName ? { dbName: opts.dbName } : {}),
    ...(opts.appName ? { appName: opts.appName } : {}),
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: 10_000,
    maxPoolSize: 50,
  });
  await conn.asPromise();
  opts.register(conn);
  for (const model of Object.values(conn.models)) {
    try {
      await model.createCollection();
    } catch (err) {
      // 48 = NamespaceExists: a second node or a restart got there first.
      if (!(err instanceof mongoose.mongo.MongoServerError && err.code === 48)) throw err;
    }
    await model.createIndexes();
  }
  opts.logger.info({ models: Object.keys(conn.models) }, 'mongo ready');
  return conn;
}

/** Resolves true when the server answers a ping within the deadline. */
export async function pingMongo(conn: Connection, timeoutMs: number): Promise<boolean> {
  const db = conn.db;
  if (!db || conn.readyState !== 1) return false;
  return withDeadline(db.admin().ping().then(() => true), timeoutMs, false);
}

export function withDeadline<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}
