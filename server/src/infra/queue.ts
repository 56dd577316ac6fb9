/**
 * BullMQ plumbing shared by the notifier (relay + worker) and the admin side (counts, retry).
 * Keys live under `<keyPrefix>bull:`, so the key prefix that isolates a deployment or a test
 * suite isolates its queues too.
 */
import { Queue } from 'bullmq';
import type { RedisOptions } from 'ioredis';

/** The one queue of the notification service. */
export const NOTIFICATIONS_QUEUE = 'notifications';

/** BullMQ's own prefix for a deployment's key prefix (`bk:` → `bk:bull`). */
export function bullPrefix(keyPrefix: string): string {
  return `${keyPrefix}bull`;
}

export function openQueue<Data>(opts: { name: string; connection: RedisOptions; keyPrefix: string }): Queue<Data> {
  return new Queue<Data>(opts.name, { connection: opts.connection, prefix: bullPrefix(opts.keyPrefix) });
}
