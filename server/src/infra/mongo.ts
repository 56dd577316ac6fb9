import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import type { Logger } from './logger';

/**
 * Opens a connection and prepares every registered model: MongoDB 4.0 cannot create a collection
 * inside a transaction, so the collections and indexes that do not exist yet are created here,
 * before any request is served (and nothing that exists is created again: see below).
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
    // Every write outside a transaction is acknowledged once a majority has it, as the booking
    // transactions are. Besides surviving a failover, that is what makes it visible to the next
    // transaction: on MongoDB 4.0 a transaction's snapshot can end before a write acknowledged
    // with w:1 while other writes are still committing, so a user registered (or a policy saved)
    // could be missing from a booking made right after the answer ("no such user" was seen in a
    // test that registers and books at once; see infra.test.ts).
    writeConcern: { w: 'majority' },
  });
  await conn.asPromise();
  opts.register(conn);
  const db = conn.db;
  if (!db) throw new Error('mongo connected without a database');
  // Only what is missing. On MongoDB 4.0 createCollection takes the database's exclusive lock
  // even when the collection exists: it queues behind every open transaction on the database (one
  // abandoned by a stopped node stays open up to transactionLifetimeLimitSeconds), and while it
  // queues, every new transaction's lock request times out. A node restarted under load would wait
  // that long and stall every other node's bookings meanwhile. Listing takes shared locks only.
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  const created: string[] = [];
  const indexed: string[] = [];
  for (const model of Object.values(conn.models)) {
    if (!existing.has(model.collection.collectionName)) {
      try {
        await model.createCollection();
        created.push(model.collection.collectionName);
      } catch (err) {
        // 48 = NamespaceExists: a second node got there first.
        if (!(err instanceof mongoose.mongo.MongoServerError && err.code === 48)) throw err;
      }
    }
    if ((await model.diffIndexes()).toCreate.length > 0) {
      await model.createIndexes();
      indexed.push(model.collection.collectionName);
    }
  }
  opts.logger.info({ models: Object.keys(conn.models), created, indexed }, 'mongo ready');
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
