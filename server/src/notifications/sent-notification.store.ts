/** The only code that touches `sentNotifications`: which outbox entries' emails went out. */
import mongoose from 'mongoose';
import type { SentNotificationDoc, SentNotificationModel } from './sent-notification.model';

export interface SentNotificationStore {
  wasSent(outboxId: string): Promise<boolean>;
  /** Records a sent email; a second record of the same outbox id is a no-op. */
  record(entry: SentNotificationDoc): Promise<void>;
}

export function createSentNotificationStore(sent: SentNotificationModel): SentNotificationStore {
  return {
    async wasSent(outboxId) {
      return (await sent.exists({ _id: outboxId })) !== null;
    },
    async record(entry) {
      try {
        await sent.create(entry);
      } catch (err) {
        // 11000: a concurrent copy recorded it first; the mail went out either way.
        if (!(err instanceof mongoose.mongo.MongoServerError && err.code === 11000)) throw err;
      }
    },
  };
}
