/**
 * The raw MongoDB primitive: the booking transaction without the server around it, using the
 * mongodb driver directly on the same replica set (own database): overlap check → `$inc` fence on
 * the resource → insert booking + outbox, in one withTransaction with snapshot reads and majority
 * writes (as server/src/infra/transactions.ts). Distinct resources, closed loops.
 */
import { MongoClient, ObjectId } from 'mongodb';
import { closedLoop, summarize } from './stats';
import type { LatencySummary } from './stats';

export interface RawMongoResult {
  database: string;
  workers: number;
  committed: number;
  failed: number;
  elapsedMs: number;
  perSecond: number;
  latency: LatencySummary;
}

/** Whole-hour slot `i` hours after a fixed future hour (raw rows only need distinct times). */
function rawSlot(i: number): { start: Date; end: Date } {
  const base = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3_600_000;
  return { start: new Date(base + i * 3_600_000), end: new Date(base + (i + 1) * 3_600_000) };
}

export async function rawMongoTransactions(opts: {
  mongoUrl: string;
  database?: string;
  workers: number;
  total: number;
  maxMs: number;
  warmup?: number;
  /** Per-loop pacing (0: as fast as the loop goes). */
  minIntervalMs?: number;
}): Promise<RawMongoResult> {
  const database = opts.database ?? `bench_raw_${Date.now().toString(36)}`;
  const client = new MongoClient(opts.mongoUrl, { maxPoolSize: Math.max(10, opts.workers + 5) });
  await client.connect();
  try {
    const db = client.db(database);
    const resources = db.collection<{ _id: ObjectId; version: number }>('resources');
    const bookings = db.collection('bookings');
    const outbox = db.collection('outbox');
    // Collections and indexes exist before the run (DDL inside transactions needs MongoDB 4.4+).
    await bookings.createIndex({ resourceId: 1, status: 1, start: 1, end: 1 });
    await outbox.createIndex({ handedOverAt: 1, createdAt: 1 });
    const ids = Array.from({ length: opts.workers }, () => new ObjectId());
    await resources.insertMany(ids.map((_id) => ({ _id, version: 0 })));

    const book = async (worker: number, seq: number): Promise<boolean> => {
      const resourceId = ids[worker];
      if (!resourceId) return false;
      const { start, end } = rawSlot(seq);
      const session = client.startSession();
      try {
        let committed = false;
        await session.withTransaction(
          async () => {
            committed = false;
            const clash = await bookings.findOne(
              { resourceId, status: 'active', start: { $lt: end }, end: { $gt: start } },
              { session, projection: { _id: 1 } },
            );
            if (clash) return;
            const fenced = await resources.findOneAndUpdate(
              { _id: resourceId },
              { $inc: { version: 1 } },
              { session, returnDocument: 'after', projection: { version: 1 } },
            );
            const version = fenced?.version ?? 0;
            const now = new Date();
            const bookingId = new ObjectId();
            await bookings.insertOne(
              {
                _id: bookingId,
                resourceId,
                userId: resourceId,
                start,
                end,
                status: 'active',
                createdAt: now,
                updatedAt: now,
              },
              { session },
            );
            await outbox.insertOne(
              {
                type: 'booking.confirmed',
                bookingId,
                resourceId,
                start,
                end,
                version,
                createdAt: now,
                handedOverAt: null,
              },
              { session },
            );
            committed = true;
          },
          { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' }, readPreference: 'primary' },
        );
        return committed;
      } finally {
        await session.endSession();
      }
    };

    // Warm-up (connections, plan cache), then the measured run on fresh slots.
    const warmup = opts.warmup ?? opts.workers;
    await closedLoop({
      workers: opts.workers,
      total: warmup,
      maxMs: 10_000,
      minIntervalMs: 0,
      op: (w, s) => book(w, 100_000 + s),
    });
    const run = await closedLoop({
      workers: opts.workers,
      total: opts.total,
      maxMs: opts.maxMs,
      minIntervalMs: opts.minIntervalMs ?? 0,
      op: book,
    });
    return {
      database,
      workers: opts.workers,
      committed: run.ok,
      failed: run.failed,
      elapsedMs: Math.round(run.elapsedMs),
      perSecond: Math.round((run.ok / run.elapsedMs) * 1000 * 10) / 10,
      latency: summarize(run.latencies),
    };
  } finally {
    await client
      .db(database)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  }
}
