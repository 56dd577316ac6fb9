/**
 * (v3) `GET /api/reports/bookings.csv`: every booking of the resources that starts in
 * `[from, to)`, whatever its status, streamed. A lean mongoose cursor (batches of 500, in start
 * order) is piped through a CSV transform (which looks up each batch's owners' emails in one
 * query) into the response with `stream.pipeline`, so a slow reader pauses the cursor
 * (backpressure) and a year of bookings never sits in memory; a client that goes away destroys
 * the cursor.
 */
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { Collection } from 'mongoose';
import { BOOKINGS_CSV_COLUMNS, localParts } from '@booking/shared';
import { Types } from 'mongoose';
import type { BookingModel } from '../booking/booking.model';
import { csvLine } from './csv';
import type { ReportResource } from './report.time';

interface CsvRow {
  _id: Types.ObjectId;
  resourceId: Types.ObjectId;
  userId: Types.ObjectId;
  start: Date;
  end: Date;
  status: string;
  quantity?: number;
  cancelReason?: string;
  checkedInAt?: Date;
  title?: unknown;
  email?: string;
}

const BATCH = 500;
const EMAIL_CACHE = 10_000;

/** `YYYY-MM-DDTHH:mm` of an instant in a zone. */
export function localStamp(at: Date, zone: string): string {
  const p = localParts(at.getTime(), zone);
  const hh = String(Math.floor(p.minute / 60)).padStart(2, '0');
  const mm = String(p.minute % 60).padStart(2, '0');
  return `${p.date}T${hh}:${mm}`;
}

function lineOf(row: CsvRow, resource: Pick<ReportResource, 'name' | 'timeZone'> | undefined, now: Date): string {
  const zone = resource?.timeZone ?? 'UTC';
  // As the wire says: an active booking whose end has passed is `completed`.
  const status = row.status === 'active' && row.end.getTime() <= now.getTime() ? 'completed' : row.status;
  return csvLine([
    row._id.toHexString(),
    row.resourceId.toHexString(),
    resource?.name ?? '',
    row.email ?? '',
    localStamp(row.start, zone),
    localStamp(row.end, zone),
    zone,
    row.start.toISOString(),
    row.end.toISOString(),
    row.quantity ?? 1,
    status,
    row.cancelReason ?? '',
    row.checkedInAt ? row.checkedInAt.toISOString() : '',
    typeof row.title === 'string' ? row.title : '',
  ]);
}

/**
 * Owners' emails, looked up once per batch of rows (one `$in` query), kept in a map that is
 * cleared when it reaches `EMAIL_CACHE` entries, so memory stays bounded however many owners.
 */
function emailsOf(users: Collection, cache: Map<string, string>) {
  return async (rows: readonly CsvRow[]): Promise<void> => {
    const missing = [...new Set(rows.map((r) => r.userId.toHexString()).filter((id) => !cache.has(id)))];
    if (missing.length === 0) return;
    if (cache.size + missing.length > EMAIL_CACHE) cache.clear();
    const found = await users
      .find({ _id: { $in: missing.map((id) => new Types.ObjectId(id)) } }, { projection: { email: 1 } })
      .toArray();
    for (const u of found) cache.set(String(u._id), typeof u.email === 'string' ? u.email : '');
    for (const id of missing) if (!cache.has(id)) cache.set(id, '');
  };
}

/** Writes the CSV of the bookings to `out`, resolving when it is all written (rejects if `out` closes early). */
export async function streamBookingsCsv(
  bookings: BookingModel,
  out: Writable,
  q: { resources: readonly Pick<ReportResource, 'id' | 'name' | 'timeZone'>[]; from: Date; to: Date; now: Date },
): Promise<void> {
  const byId = new Map(q.resources.map((r) => [r.id, r]));
  const cursor = bookings
    .find(
      { resourceId: { $in: q.resources.map((r) => r.id) }, start: { $gte: q.from, $lt: q.to } },
      { resourceId: 1, userId: 1, start: 1, end: 1, status: 1, quantity: 1, cancelReason: 1, checkedInAt: 1, title: 1 },
    )
    .sort({ start: 1, _id: 1 })
    .lean<CsvRow>()
    .batchSize(BATCH)
    .cursor();
  const emails = new Map<string, string>();
  const fill = emailsOf(bookings.db.collection('users'), emails);
  const pending: CsvRow[] = [];
  let header = false;
  const render = (): string => {
    let text = header ? '' : csvLine(BOOKINGS_CSV_COLUMNS);
    header = true;
    for (const row of pending)
      text += lineOf(
        { ...row, email: emails.get(row.userId.toHexString()) ?? '' },
        byId.get(row.resourceId.toHexString()),
        q.now,
      );
    pending.length = 0;
    return text;
  };
  const toCsv = new Transform({
    writableObjectMode: true,
    writableHighWaterMark: BATCH,
    transform(row: CsvRow, _enc, done) {
      pending.push(row);
      if (pending.length < BATCH) return done();
      fill(pending).then(() => done(null, render()), done);
    },
    flush(done) {
      fill(pending).then(() => done(null, render()), done);
    },
  });
  await pipeline(cursor, toCsv, out);
}
