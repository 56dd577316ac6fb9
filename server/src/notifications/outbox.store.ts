/**
 * The only code that touches the `outbox` collection. The booking service appends an entry in
 * its own transaction (so a committed change always has its notification recorded, with its
 * version); the relay reads the entries not yet handed over and stamps them.
 */
import type { ClientSession } from 'mongoose';
import type { NotificationType } from '@booking/shared';
import { objectIdOrNull } from '../infra/ids';
import type { OutboxDoc, OutboxModel } from './outbox.model';

export interface OutboxEntry {
  type: NotificationType;
  bookingId: string;
  userId: string;
  resourceId: string;
  start: Date;
  end: Date;
  previous?: { start: Date; end: Date };
  /** The resource version the change produced. */
  version: number;
  createdAt: Date;
}

export interface OutboxStore {
  /** Inside the change's transaction. */
  append(entry: OutboxEntry, session: ClientSession): Promise<void>;
  /** Entries not handed over yet, oldest first. */
  pending(limit: number): Promise<OutboxDoc[]>;
  markHandedOver(ids: string[], at: Date): Promise<void>;
}

export function createOutboxStore(outbox: OutboxModel): OutboxStore {
  return {
    async append(entry, session) {
      await outbox.create(
        [
          {
            ...entry,
            bookingId: objectIdOrNull(entry.bookingId),
            userId: objectIdOrNull(entry.userId),
            resourceId: objectIdOrNull(entry.resourceId),
            handedOverAt: null,
          },
        ],
        { session },
      );
    },
    pending: (limit) => outbox.find({ handedOverAt: null }).sort({ createdAt: 1 }).limit(limit).lean<OutboxDoc[]>(),
    async markHandedOver(ids, at) {
      const oids = ids.flatMap((id) => {
        const oid = objectIdOrNull(id);
        return oid ? [oid] : [];
      });
      await outbox.updateMany({ _id: { $in: oids }, handedOverAt: null }, { $set: { handedOverAt: at } });
    },
  };
}
