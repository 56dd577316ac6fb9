import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';
import { BOOKING_RULES } from '@booking/shared';
import type { CancelReason } from '@booking/shared';
import { registerBookingEventModel } from './booking-history.model';
import type { BookingEventDoc } from './booking-history.model';

/**
 * Stored statuses; `completed` is derived when an active booking's end has passed. (v3) `held`
 * occupies its units until `expiresAt` and is free from that instant on in every read (the
 * `holding` filter of booking.store.ts), before the expiry timer stores `expired`. A `pending`
 * request does the same until it is decided (`active` or `declined`) or its `expiresAt` passes.
 */
export type StoredStatus = 'active' | 'cancelled' | 'held' | 'expired' | 'pending' | 'declined';

/** The statuses that may occupy units (`held` and `pending` ones only before their `expiresAt`). */
export const HOLDING_STATUSES = ['active', 'held', 'pending'] as const satisfies readonly StoredStatus[];

/** (v3) The statuses that run out at `expiresAt`: a hold or offer, and an undecided request. */
export const EXPIRING_STATUSES = ['held', 'pending'] as const satisfies readonly StoredStatus[];

/**
 * The bookings that occupy units at `now`: active ones, and held or pending ones before their
 * `expiresAt` (an active booking has none). Every read that decides or shows occupancy uses it, so a hold is
 * free from its `expiresAt` on, on every node, whatever the expiry timer does.
 */
export function holdingAt(now: Date) {
  return { status: { $in: [...HOLDING_STATUSES] }, expiresAt: { $not: { $lte: now } } };
}

/**
 * The bookings whose interval meets `[from, to)`. A booking lasts at most `maxBookingMs` (7 days:
 * longer is a shape error), so none that starts earlier than that before `from` can reach it: the
 * lower bound on `start` keeps the index scan to the weeks around the range instead of the
 * resource's (or person's) whole history, which grows for as long as the organisation books.
 */
/**
 * The indexes the booking path's reads name (`hint`): the planner otherwise picks by a trial on
 * whatever the collection holds at the time and caches the pick, and an index on `{start, end}`
 * or `{status, end, start}` wins that trial while the collection is small and then walks every
 * room's bookings as it grows. These two bound each read to one room's (or person's) holding
 * bookings. Both are created at start (infra/mongo.ts) before a node serves.
 */
export const BY_RESOURCE = { resourceId: 1, status: 1, start: 1, end: 1 } as const;
export const BY_PERSON_HOLDING = { userId: 1, status: 1, end: 1 } as const;

export function meeting(from: Date, to: Date) {
  return { start: { $lt: to, $gt: new Date(from.getTime() - BOOKING_RULES.maxBookingMs) }, end: { $gt: from } };
}

export interface BookingDoc {
  _id: Types.ObjectId;
  resourceId: Types.ObjectId;
  userId: Types.ObjectId;
  start: Date;
  end: Date;
  status: StoredStatus;
  /** Units it takes; documents from before v3 have none and take 1. */
  quantity?: number;
  idempotencyKey?: string;
  /** The series this booking is an occurrence of. */
  seriesId?: Types.ObjectId;
  /** The occurrence's start as the series first booked it (the calendar's RECURRENCE-ID; a move keeps it). */
  recurrenceId?: Date;
  /** When the owner checked in (`booking:checkIn`); a checked-in booking is never released as a no-show. */
  checkedInAt?: Date;
  /** Why it was cancelled: by its owner, by staff, or released because nobody checked in. */
  cancelReason?: CancelReason;
  /**
   * The start its reminder was recorded for (the `booking.reminder` outbox entry is written in
   * the same transaction): a repeated or stale reminder job finds it and does nothing; a move
   * changes the start, so the new time is reminded once more.
   */
  remindedFor?: Date;
  /** (v3) A hold or waitlist offer: it occupies its units until this instant (kept once expired). */
  expiresAt?: Date;
  /** (v3) The waitlist entry this held booking was offered for. */
  waitlistEntryId?: Types.ObjectId;
  /** (v3) Made or moved as a request for approval (kept once decided or expired). */
  requested?: boolean;
  /** (v3) The approver who approved or declined the request. */
  decidedBy?: Types.ObjectId;
  /** (v3) Why the request was declined, when the approver said. */
  declineReason?: string;
  /** (v3) What it is for (at most 120 characters); who sees it is the readers' question (docs/protocol.md). */
  title?: string;
  /**
   * The audit event of the change that created it (create, hold or request), written with the
   * document instead of as a `bookingEvents` document (one write fewer in the booking's
   * transaction); its later events are in `bookingEvents`. Documents from before have none: their
   * first event is in `bookingEvents` too. `booking:history` answers both the same way.
   */
  firstEvent?: Omit<BookingEventDoc, '_id' | 'bookingId'>;
  createdAt: Date;
  updatedAt: Date;
}

const firstEventSchema = new Schema(
  {
    at: Date,
    action: String,
    actor: {
      type: new Schema({ id: Schema.Types.ObjectId, name: String, role: String }, { _id: false }),
      default: null,
    },
    start: Date,
    end: Date,
    status: String,
  },
  { _id: false },
);

const bookingSchema = new Schema<BookingDoc>(
  {
    resourceId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    status: {
      type: String,
      enum: ['active', 'cancelled', 'held', 'expired', 'pending', 'declined'],
      required: true,
      default: 'active',
    },
    quantity: { type: Number, default: 1 },
    idempotencyKey: { type: String },
    seriesId: { type: Schema.Types.ObjectId },
    recurrenceId: { type: Date },
    checkedInAt: { type: Date },
    cancelReason: { type: String, enum: ['user', 'staff', 'no-show'] },
    remindedFor: { type: Date },
    expiresAt: { type: Date },
    waitlistEntryId: { type: Schema.Types.ObjectId },
    requested: { type: Boolean },
    decidedBy: { type: Schema.Types.ObjectId },
    declineReason: { type: String },
    title: { type: String },
    firstEvent: { type: firstEventSchema, default: undefined },
  },
  { timestamps: true, collection: 'bookings' },
);
// The overlap check inside the booking transaction (hinted: `BY_RESOURCE`).
bookingSchema.index(BY_RESOURCE);
// A repeated idempotency key returns the first result instead of booking twice.
bookingSchema.index(
  { userId: 1, idempotencyKey: 1 },
  { unique: true, partialFilterExpression: { idempotencyKey: { $exists: true } } },
);
bookingSchema.index({ userId: 1, start: -1 });
// A person's bookings that count against their quota (holding, not over): the count reads the few
// future ones, not their whole history of past and cancelled bookings.
bookingSchema.index(BY_PERSON_HOLDING);
bookingSchema.index({ start: 1, end: 1 });
// The scheduler's reconciler: active bookings not over yet, by start.
bookingSchema.index({ status: 1, end: 1, start: 1 });
// The scheduler's reconciler: holds by when they run out.
bookingSchema.index({ status: 1, expiresAt: 1 }, { partialFilterExpression: { status: 'held' } });
// (v3) The reconciler's scan of holds and undecided requests together, by when they run out, and
// the approvals list (pending ones, oldest first). Only documents with an expiry are indexed.
bookingSchema.index({ status: 1, expiresAt: 1, _id: 1 }, { partialFilterExpression: { expiresAt: { $exists: true } } });
bookingSchema.index({ status: 1, createdAt: 1 }, { partialFilterExpression: { status: 'pending' } });
// A series' occurrences from a date on (cancelSeries, the replay of createSeries).
bookingSchema.index({ seriesId: 1, start: 1 }, { partialFilterExpression: { seriesId: { $exists: true } } });

export type BookingModel = Model<BookingDoc>;

/** Registers the bookings and, with them, their audit log (created at start with the others). */
export function registerBookingModel(conn: Connection): BookingModel {
  registerBookingEventModel(conn);
  return conn.models.Booking ? (conn.models.Booking as BookingModel) : conn.model<BookingDoc>('Booking', bookingSchema);
}
