/**
 * (v3) `GET /api/bookings`: one page of bookings overlapping `[from, to)`, in the stable order
 * (start, _id), after an opaque cursor. Keyset paging: each page asks for what sorts after the
 * last one handed out, so a booking that exists throughout the paging (and is not moved) comes
 * exactly once however many bookings are added or cancelled meanwhile; one added behind the
 * cursor is not seen (it was not there when that part was read).
 */
import { Types } from 'mongoose';
import type { FilterQuery } from 'mongoose';
import { ErrorCode } from '@booking/shared';
import type { Booking, BookingStatus } from '@booking/shared';
import type { BookingDoc, BookingModel } from '../../booking/booking.model';
import { toWireBooking } from '../../booking/booking.store';
import { AppError } from '../../infra/errors';
import { objectIdOrNull } from '../../infra/ids';

export interface PageQuery {
  from: Date;
  to: Date;
  resourceId?: string;
  status?: BookingStatus;
  /** Only this user's bookings (a person's own); absent: everyone's (staff, keys). */
  userId?: string;
  cursor?: string;
  limit: number;
}

interface CursorAt {
  start: Date;
  id: Types.ObjectId;
}

export function encodeCursor(doc: Pick<BookingDoc, 'start' | '_id'>): string {
  return Buffer.from(`${doc.start.getTime()}.${doc._id.toHexString()}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorAt {
  const bad = () =>
    new AppError(ErrorCode.VALIDATION_ERROR, 'invalid cursor', {
      details: [{ path: 'cursor', message: 'invalid cursor' }],
    });
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,15})\.([0-9a-f]{24})$/.exec(text);
  if (!match?.[1] || !match[2]) throw bad();
  return { start: new Date(Number(match[1])), id: new Types.ObjectId(match[2]) };
}

/** What a wire status is stored as (`completed` is an active booking that has ended; `expired` may still read held/pending). */
function storedStatuses(status: BookingStatus): string[] {
  if (status === 'completed') return ['active'];
  if (status === 'expired') return ['expired', 'held', 'pending'];
  return [status];
}

/**
 * One page and the cursor of the next (null on the last page). With a `status` filter a page may
 * hold fewer than `limit` bookings while more follow: the cursor is that of the last booking read.
 */
export async function bookingPage(
  model: BookingModel,
  q: PageQuery,
  now: Date,
): Promise<{ bookings: Booking[]; nextCursor: string | null }> {
  const filter: FilterQuery<BookingDoc> = { start: { $lt: q.to }, end: { $gt: q.from } };
  if (q.resourceId) filter.resourceId = objectIdOrNull(q.resourceId) ?? new Types.ObjectId('000000000000000000000000');
  if (q.userId) filter.userId = objectIdOrNull(q.userId) ?? new Types.ObjectId('000000000000000000000000');
  if (q.status) filter.status = { $in: storedStatuses(q.status) };
  if (q.cursor) {
    const at = decodeCursor(q.cursor);
    filter.$or = [{ start: { $gt: at.start } }, { start: at.start, _id: { $gt: at.id } }];
  }
  const docs = await model.find(filter).sort({ start: 1, _id: 1 }).limit(q.limit).lean<BookingDoc[]>();
  const last = docs[docs.length - 1];
  const bookings = docs.map((d) => toWireBooking(d, now)).filter((b) => !q.status || b.status === q.status);
  return { bookings, nextCursor: docs.length === q.limit && last ? encodeCursor(last) : null };
}
