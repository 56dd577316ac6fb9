import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';
import type { NotificationType } from '@booking/shared';

/**
 * One entry per committed booking change, written in the booking's own transaction, so a
 * committed change always has its notification recorded. The notification relay hands entries
 * to BullMQ (jobId = outbox id) and stamps `handedOverAt`.
 */
export interface OutboxDoc {
  _id: Types.ObjectId;
  type: NotificationType;
  bookingId: Types.ObjectId;
  userId: Types.ObjectId;
  resourceId: Types.ObjectId;
  start: Date;
  end: Date;
  previous?: { start: Date; end: Date };
  /** The resource version the change produced. */
  version: number;
  createdAt: Date;
  handedOverAt: Date | null;
}

const outboxSchema = new Schema<OutboxDoc>(
  {
    type: { type: String, enum: ['booking.confirmed', 'booking.cancelled', 'booking.modified'], required: true },
    bookingId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    resourceId: { type: Schema.Types.ObjectId, required: true },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    previous: { type: new Schema({ start: Date, end: Date }, { _id: false }), required: false },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    handedOverAt: { type: Date, default: null },
  },
  { collection: 'outbox', versionKey: false },
);
outboxSchema.index({ handedOverAt: 1, createdAt: 1 });
outboxSchema.index({ bookingId: 1, createdAt: 1 });

export type OutboxModel = Model<OutboxDoc>;

export function registerOutboxModel(conn: Connection): OutboxModel {
  return conn.models.Outbox ? (conn.models.Outbox as OutboxModel) : conn.model<OutboxDoc>('Outbox', outboxSchema);
}
