/**
 * (v3) `GET /api/reports/bookings.csv`: every booking of the resources that starts in
 * `[from, to)`, whatever its status, streamed. A MongoDB aggregation cursor (the owner's email
 * joined by `_id`, batches of 500) is piped through a CSV transform into the response with
 * `stream.pipeline`, so a slow reader pauses the cursor (backpressure) and a year of bookings
 * never sits in memory; a client that goes away destroys the cursor.
 */
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { BOOKINGS_CSV_COLUMNS, localParts } from '@booking/shared';
import { Types } from 'mongoose';
import type { BookingModel } from '../booking/booking.model';
import { csvLine } from './csv';
import type { ReportResource } from './report.time';

interface CsvRow {
  _id: Types.ObjectId;
  resourceId: Types.ObjectId;
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

/** `YYYY-MM-DDTHH:mm` of an instant in a zone. */
export function localStamp(at: Date, zone: string): string {
  const p = localParts(at.getTime(), zone);
  const hh = String(Math.floor(p.minute / 60)).padStart(2, '0');
  const mm = String(p.minute % 60).padStart(2, '0');
  return `${p.date}T${hh}:${mm}`;
}

function lineOf(row: CsvRow, resource: ReportResource | undefined, now: Date): string {
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

/** Writes the CSV of the bookings to `out`, resolving when it is all written (rejects if `out` closes early). */
export async function streamBookingsCsv(
  bookings: BookingModel,
  out: Writable,
  q: { resources: readonly ReportResource[]; from: Date; to: Date; now: Date },
): Promise<void> {
  const byId = new Map(q.resources.map((r) => [r.id, r]));
  const cursor = bookings
    .aggregate<CsvRow>([
      {
        $match: {
          resourceId: { $in: q.resources.map((r) => new Types.ObjectId(r.id)) },
          start: { $gte: q.from, $lt: q.to },
        },
      },
      { $sort: { start: 1, _id: 1 } },
      { $lookup: { from: 'users', localField: 'userId', foreignField: '_id', as: 'owner' } },
      {
        $project: {
          resourceId: 1,
          start: 1,
          end: 1,
          status: 1,
          quantity: 1,
          cancelReason: 1,
          checkedInAt: 1,
          title: 1,
          email: { $arrayElemAt: ['$owner.email', 0] },
        },
      },
    ])
    .allowDiskUse(true)
    .cursor({ batchSize: BATCH });
  let header = false;
  const toCsv = new Transform({
    writableObjectMode: true,
    writableHighWaterMark: BATCH,
    transform(row: CsvRow, _enc, done) {
      const line = lineOf(row, byId.get(row.resourceId.toHexString()), q.now);
      if (!header) {
        header = true;
        done(null, csvLine(BOOKINGS_CSV_COLUMNS) + line);
      } else done(null, line);
    },
    flush(done) {
      done(null, header ? '' : csvLine(BOOKINGS_CSV_COLUMNS));
    },
  });
  await pipeline(cursor, toCsv, out);
}
