import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';

/** What a feed shows: the owner's bookings, or one resource's busy times. */
export type FeedScope = 'mine' | 'resource';

/**
 * One calendar feed URL. Only the SHA-256 of its token is stored: a copy of the database (or a
 * log line) cannot be turned back into a working URL.
 */
export interface CalendarFeedDoc {
  _id: Types.ObjectId;
  tokenHash: string;
  userId: Types.ObjectId;
  scope: FeedScope;
  resourceId?: Types.ObjectId;
  createdAt: Date;
}

const feedSchema = new Schema<CalendarFeedDoc>(
  {
    tokenHash: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    scope: { type: String, enum: ['mine', 'resource'], required: true },
    resourceId: { type: Schema.Types.ObjectId },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'calendar_feeds' },
);
feedSchema.index({ tokenHash: 1 }, { unique: true });
// Revoking all of a user's feeds at once.
feedSchema.index({ userId: 1 });

export type CalendarFeedModel = Model<CalendarFeedDoc>;

export function registerCalendarFeedModel(conn: Connection): CalendarFeedModel {
  return conn.models.CalendarFeed
    ? (conn.models.CalendarFeed as CalendarFeedModel)
    : conn.model<CalendarFeedDoc>('CalendarFeed', feedSchema);
}
