/**
 * BullMQ plumbing shared by the notifier (relay + worker) and the admin side (counts, retry).
 * Keys live under the deployment's `names.bull` (`<prefix>bull`), so the prefix that isolates a
 * deployment or a test suite isolates its queues too.
 */
import { Queue } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import type { RedisNames } from './channels';

export function openQueue<Data>(opts: { name: string; connection: ConnectionOptions; names: RedisNames }): Queue<Data> {
  return new Queue<Data>(opts.name, { connection: opts.connection, prefix: opts.names.bull });
}
