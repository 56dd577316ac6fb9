import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';
import { BOOKING_EVENT_ACTIONS } from '@booking/shared';
import type { BookingEvent, Role } from '@booking/shared';
import type { StoredStatus } from './booking.model';

/**
 * One document per committed change of a booking, written in the change's own transaction (so
 * history and booking never disagree), with who made it: the audit log behind `booking:history`.
 * Kept apart from the outbox, whose entries expire once their mail is sent.
 */
export interface BookingEventDoc {
  _id: Types.ObjectId;
  bookingId: Types.ObjectId;
  at: Date;
  action: BookingEvent['action'];
  /** Null for the system (no-show release). */
  actor: { id: Types.ObjectId; name: string; role: Role } | null;
  start: Date;
  end: Date;
  status: StoredStatus;
}

const actorSchema = new Schema({ id: Schema.Types.ObjectId, name: String, role: String }, { _id: false });

const bookingEventSchema = new Schema<BookingEventDoc>(
  {
    bookingId: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
    action: {
      type: String,
      enum: [...BOOKING_EVENT_ACTIONS],
      required: true,
    },
    actor: { type: actorSchema, default: null },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    status: { type: String, enum: ['active', 'cancelled', 'held', 'expired', 'pending', 'declined'], required: true },
  },
  { collection: 'bookingEvents', versionKey: false },
);
bookingEventSchema.index({ bookingId: 1, at: 1, _id: 1 });

export type BookingEventModel = Model<BookingEventDoc>;

export function registerBookingEventModel(conn: Connection): BookingEventModel {
  return conn.models.BookingEvent
    ? (conn.models.BookingEvent as BookingEventModel)
    : conn.model<BookingEventDoc>('BookingEvent', bookingEventSchema);
}
