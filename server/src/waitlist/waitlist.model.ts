import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';
import type { WaitlistStatus } from '@booking/shared';

/**
 * One person's wish for `[start, end)` (and `quantity` units) of a resource that was full when they
 * asked (docs/protocol.md "Waitlist"). Stored statuses: `waiting` until a freeing change offers it
 * (`offered`, with the held booking's id), then `booked` when the offer is confirmed or `expired`
 * when it runs out or is cancelled; `left` when the person leaves. A waiting entry whose start has
 * passed reads as `expired` (derived, like a booking's `completed`): nothing needs to store it.
 */
export interface WaitlistDoc {
  _id: Types.ObjectId;
  resourceId: Types.ObjectId;
  userId: Types.ObjectId;
  start: Date;
  end: Date;
  quantity: number;
  status: WaitlistStatus;
  /** The offer (a held booking), once made. */
  bookingId?: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const waitlistSchema = new Schema<WaitlistDoc>(
  {
    resourceId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    quantity: { type: Number, required: true, default: 1 },
    status: { type: String, enum: ['waiting', 'offered', 'booked', 'left', 'expired'], required: true },
    bookingId: { type: Schema.Types.ObjectId },
  },
  { timestamps: true, collection: 'waitlist' },
);
// Promotion: a resource's waiting entries near a freed span, in join order.
waitlistSchema.index({ resourceId: 1, status: 1, start: 1 });
// `waitlist:mine` and the person's quota.
waitlistSchema.index({ userId: 1, status: 1, createdAt: -1 });
// The dashboard's queue lengths.
waitlistSchema.index({ status: 1, start: 1 });

export type WaitlistModel = Model<WaitlistDoc>;

export function registerWaitlistModel(conn: Connection): WaitlistModel {
  return conn.models.WaitlistEntry
    ? (conn.models.WaitlistEntry as WaitlistModel)
    : conn.model<WaitlistDoc>('WaitlistEntry', waitlistSchema);
}
