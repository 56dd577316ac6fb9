/**
 * Reports bench (issue 28): the bookings CSV of 100,000 rows (BENCH_SIZE=tiny: 10,000), time and
 * peak memory, against the raw primitive, a mongodb driver cursor reading the same rows (no join,
 * no CSV, no HTTP). The CSV is the server's own `streamBookingsCsv` behind a plain HTTP server in
 * this process, read by an HTTP client here, so the RSS and heap figures are of one process
 * streaming a year of bookings: the peak over the baseline stays flat as the row count grows.
 *
 * `npm run bench` runs it after the other scenarios, on their MongoDB (a database of its own);
 * alone: `MONGO_URL=mongodb://… npx tsx scripts/bench/reports.ts` (an embedded mongod without it).
 */
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose, { Types } from 'mongoose';
import { MongoClient } from 'mongodb';
import { registerCollections } from '../../server/src/data';
import { streamBookingsCsv } from '../../server/src/reports/bookings-csv';
import { startMongo } from '../lib/embedded-mongo';

export interface ReportsBenchResult {
  rows: number;
  csv: { ms: number; bytes: number; peakRssDeltaMb: number; peakHeapDeltaMb: number; rowsPerSecond: number };
  raw: { ms: number; peakRssDeltaMb: number; peakHeapDeltaMb: number; rowsPerSecond: number };
  /** CSV time ÷ raw cursor time. */
  ratio: number;
}

const MB = 1024 * 1024;

/** Samples RSS and heap every 5 ms while `run` runs; the peaks over the values before it. */
async function measured<T>(run: () => Promise<T>): Promise<{ value: T; ms: number; rss: number; heap: number }> {
  global.gc?.();
  const base = process.memoryUsage();
  let rss = base.rss;
  let heap = base.heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 5);
  const t0 = performance.now();
  try {
    const value = await run();
    return { value, ms: performance.now() - t0, rss: (rss - base.rss) / MB, heap: (heap - base.heapUsed) / MB };
  } finally {
    clearInterval(timer);
  }
}

async function seed(conn: mongoose.Connection, resourceId: Types.ObjectId, rows: number): Promise<void> {
  const { User, Booking } = registerCollections(conn);
  const users = Array.from({ length: 50 }, (_, i) => ({
    _id: new Types.ObjectId(),
    name: `Bench user ${i}`,
    email: `bench-${i}@example.com`,
    passwordHash: 'x',
    role: 'user',
  }));
  await User.collection.insertMany(users);
  const t0 = Date.parse('2025-01-01T00:00:00Z');
  for (let i = 0; i < rows; i += 5000) {
    const docs = [];
    for (let j = i; j < Math.min(rows, i + 5000); j += 1) {
      const start = new Date(t0 + j * 5 * 60_000); // 100,000 rows × 5 min ≈ 347 days
      docs.push({
        resourceId,
        userId: users[j % users.length]?._id,
        start,
        end: new Date(start.getTime() + 30 * 60_000),
        status: j % 10 === 0 ? 'cancelled' : 'active',
        quantity: 1,
        ...(j % 10 === 0 ? { cancelReason: 'user' } : {}),
        createdAt: start,
        updatedAt: start,
      });
    }
    await Booking.collection.insertMany(docs, { ordered: false });
  }
}

export async function runReportsBench(opts: {
  mongoUrl: string;
  rows: number;
  log?: (line: string) => void;
}): Promise<ReportsBenchResult> {
  const log = opts.log ?? (() => undefined);
  const database = `bench_reports_${Date.now().toString(36)}`;
  const conn = await mongoose.createConnection(opts.mongoUrl, { dbName: database }).asPromise();
  const raw = new MongoClient(opts.mongoUrl);
  await raw.connect();
  const server = createServer();
  try {
    const { Booking } = registerCollections(conn);
    await Booking.createIndexes();
    const resourceId = new Types.ObjectId();
    log(`reports: seeding ${opts.rows} bookings`);
    await seed(conn, resourceId, opts.rows);
    const from = new Date('2025-01-01T00:00:00Z');
    const to = new Date('2026-01-01T00:00:00Z');
    const resource = { id: resourceId.toHexString(), name: 'Bench room, "big"', timeZone: 'Europe/Berlin' };
    server.on('request', (_req, res) => {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      streamBookingsCsv(Booking, res, { resources: [resource], from, to, now: new Date() }).catch(() => res.destroy());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const csv = await measured(
      () =>
        new Promise<number>((resolve, reject) => {
          get(`http://127.0.0.1:${port}/`, (res) => {
            let bytes = 0;
            res.on('data', (c: Buffer) => (bytes += c.length));
            res.on('end', () => resolve(bytes));
            res.on('error', reject);
          }).on('error', reject);
        }),
    );
    const rawRun = await measured(async () => {
      let n = 0;
      const cursor = raw
        .db(database)
        .collection('bookings')
        .find({ resourceId, start: { $gte: from, $lt: to } })
        .sort({ start: 1, _id: 1 })
        .batchSize(500);
      for await (const _doc of cursor) n += 1;
      return n;
    });
    if (rawRun.value !== opts.rows) throw new Error(`raw read ${rawRun.value} rows, expected ${opts.rows}`);
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      rows: opts.rows,
      csv: {
        ms: Math.round(csv.ms),
        bytes: csv.value,
        peakRssDeltaMb: round(csv.rss),
        peakHeapDeltaMb: round(csv.heap),
        rowsPerSecond: Math.round(opts.rows / (csv.ms / 1000)),
      },
      raw: {
        ms: Math.round(rawRun.ms),
        peakRssDeltaMb: round(rawRun.rss),
        peakHeapDeltaMb: round(rawRun.heap),
        rowsPerSecond: Math.round(opts.rows / (rawRun.ms / 1000)),
      },
      ratio: Math.round((csv.ms / rawRun.ms) * 100) / 100,
    };
  } finally {
    server.close();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    await raw.close();
  }
}

export function renderReportsBench(r: ReportsBenchResult): string {
  return [
    `bookings CSV, ${r.rows} rows (${(r.csv.bytes / MB).toFixed(1)} MB):`,
    `  streamed CSV over HTTP  ${r.csv.ms} ms  ${r.csv.rowsPerSecond} rows/s  peak RSS +${r.csv.peakRssDeltaMb} MB  peak heap +${r.csv.peakHeapDeltaMb} MB`,
    `  raw mongo cursor        ${r.raw.ms} ms  ${r.raw.rowsPerSecond} rows/s  peak RSS +${r.raw.peakRssDeltaMb} MB  peak heap +${r.raw.peakHeapDeltaMb} MB`,
    `  ratio (CSV ÷ raw)       ${r.ratio}×`,
  ].join('\n');
}

if (require.main === module) {
  void (async () => {
    const given = process.env.MONGO_URL;
    const mongo = given ? null : await startMongo();
    try {
      const rows = Number(process.env.REPORTS_ROWS ?? (process.env.BENCH_SIZE === 'tiny' ? 10_000 : 100_000));
      const result = await runReportsBench({
        mongoUrl: given ?? mongo?.url ?? '',
        rows,
        log: (l) => process.stdout.write(`${l}\n`),
      });
      process.stdout.write(`${renderReportsBench(result)}\n`);
    } finally {
      await mongo?.stop();
    }
  })();
}
