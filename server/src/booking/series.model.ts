import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';
import type { Repeat, SkippedOccurrence } from '@booking/shared';

/**
 * One recurring booking as it was asked for: the rule, the first occurrence, what was skipped and
 * why, and the idempotency key of the request. Its occurrences are bookings carrying its id.
 * Written in the series' own transaction; the calendar's RRULE and EXDATEs are built from it.
 */
export interface SeriesDoc {
  _id: Types.ObjectId;
  resourceId: Types.ObjectId;
  userId: Types.ObjectId;
  /** The first occurrence as asked (DTSTART of the calendar event, even when it was skipped). */
  start: Date;
  end: Date;
  repeat: Repeat;
  onConflict: 'fail' | 'skip';
  /** Units each occurrence takes (absent on series made before capacity: 1). */
  quantity?: number;
  /** How many occurrences the rule expands to (the calendar's COUNT). */
  occurrences: number;
  skipped: Array<{ start: Date; end: Date; code: SkippedOccurrence['code']; rule?: string }>;
  idempotencyKey?: string;
  /** (v3) Every occurrence's title (compared on an idempotent repeat). */
  title?: string;
  createdAt: Date;
}

const skippedSchema = new Schema(
  {
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    code: { type: String, required: true },
    rule: { type: String },
  },
  { _id: false },
);

const seriesSchema = new Schema<SeriesDoc>(
  {
    resourceId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    repeat: { type: Schema.Types.Mixed, required: true },
    onConflict: { type: String, enum: ['fail', 'skip'], required: true },
    quantity: { type: Number },
    occurrences: { type: Number, required: true },
    skipped: { type: [skippedSchema], default: [] },
    idempotencyKey: { type: String },
    title: { type: String },
    createdAt: { type: Date, required: true },
  },
  { collection: 'bookingSeries', versionKey: false },
);
// A repeated idempotency key answers the first series instead of booking it twice.
seriesSchema.index(
  { userId: 1, idempotencyKey: 1 },
  { unique: true, partialFilterExpression: { idempotencyKey: { $exists: true } } },
);

export type SeriesModel = Model<SeriesDoc>;

/** Registered with the bookings (collections must exist before a transaction writes them on MongoDB 4.0). */
export function registerSeriesModel(conn: Connection): SeriesModel {
  return conn.models.BookingSeries
    ? (conn.models.BookingSeries as SeriesModel)
    : conn.model<SeriesDoc>('BookingSeries', seriesSchema);
}
