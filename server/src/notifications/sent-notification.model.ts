import { Schema } from 'mongoose';
import type { Connection, Model } from 'mongoose';

/**
 * One document per outbox entry whose email the SMTP server accepted; `_id` is the outbox id, so
 * the unique primary key makes "already sent" a single lookup and a racing second insert a no-op.
 * Records expire `SENT_RETENTION_SEC` after `sentAt` (a TTL index): by then no copy of the job can
 * still be in Redis (completed jobs are removed after 7 days, failed ones after 30).
 */
export interface SentNotificationDoc {
  _id: string;
  bookingId: string;
  to: string;
  messageId: string;
  sentAt: Date;
}

/** How long the record of a sent mail is kept (30 days). */
export const SENT_RETENTION_SEC = 30 * 24 * 3600;

const sentNotificationSchema = new Schema<SentNotificationDoc>(
  {
    _id: { type: String, required: true },
    bookingId: { type: String, required: true },
    to: { type: String, required: true },
    messageId: { type: String, required: true },
    sentAt: { type: Date, required: true },
  },
  { collection: 'sentNotifications', versionKey: false },
);
sentNotificationSchema.index({ bookingId: 1 });
sentNotificationSchema.index({ sentAt: 1 }, { expireAfterSeconds: SENT_RETENTION_SEC });

export type SentNotificationModel = Model<SentNotificationDoc>;

export function registerSentNotificationModel(conn: Connection): SentNotificationModel {
  return conn.models.SentNotification
    ? (conn.models.SentNotification as SentNotificationModel)
    : conn.model<SentNotificationDoc>('SentNotification', sentNotificationSchema);
}
