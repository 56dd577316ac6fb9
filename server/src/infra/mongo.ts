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
  await checkTransactionLifetime(conn, opts.logger);
  return conn;
}

/**
 * The `transactionLifetimeLimitSeconds` every MongoDB member should run with (docs/operations.md).
 * A node killed in the middle of a booking transaction leaves it open, holding the resource's
 * fence: every other node's booking of that resource meets a WriteConflict, and answers BUSY,
 * until MongoDB aborts it when it is this old (plus up to a second of its reaper's period).
 * Nothing else ends it: MongoDB ties a transaction to its logical session, not to the dead
 * node's connections. MongoDB's default is 60 s; 3 s (with the resource lock's 3 s lease) makes
 * a crashed node's resources bookable again within 5 s. It also bounds every transaction: one
 * running longer is aborted and retried (then BUSY after `TX_RETRY_BUDGET_MS`); the longest
 * here, a series of 100 occurrences, was acked within 1 s under a 40-client storm on a loaded
 * 2-core machine (crash-recovery.test.ts measures it on every run).
 */
export const RECOMMENDED_TX_LIFETIME_SECONDS = 3;

/**
 * Says at start (a warning) when the connected primary lets a dead node's transaction live
 * longer than recommended. Only a check: the setting is per member and not replicated, so it
 * belongs to the deployment (mongod's `--setParameter`), not to a node that sees one member.
 */
async function checkTransactionLifetime(conn: Connection, logger: Logger): Promise<void> {
  const db = conn.db;
  if (!db) return;
  let seconds: unknown;
  try {
    const res = await db.admin().command({ getParameter: 1, transactionLifetimeLimitSeconds: 1 });
    seconds = res.transactionLifetimeLimitSeconds;
  } catch (err) {
    // A managed service may refuse getParameter to this user: nothing to learn, nothing broken.
    logger.info(
      { err: err instanceof Error ? err.message : String(err) },
      'could not read transactionLifetimeLimitSeconds',
    );
    return;
  }
  if (typeof seconds === 'number' && seconds > RECOMMENDED_TX_LIFETIME_SECONDS) {
    logger.warn(
      { transactionLifetimeLimitSeconds: seconds, recommended: RECOMMENDED_TX_LIFETIME_SECONDS },
      `MongoDB keeps a crashed node's open transaction, and the resource it was booking BUSY, up to ${seconds} s; ` +
        `set transactionLifetimeLimitSeconds=${RECOMMENDED_TX_LIFETIME_SECONDS} on every member (docs/operations.md)`,
    );
  }
}

/** Resolves true when the server answers a ping within the deadline. */
export async function pingMongo(conn: Connection, timeoutMs: number): Promise<boolean> {
  const db = conn.db;
  if (!db || conn.readyState !== 1) return false;
  return withDeadline(
    db
      .admin()
      .ping()
      .then(() => true),
    timeoutMs,
    false,
  );
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
