/**
 * BullMQ plumbing shared by the notifier (relay + worker) and the admin side (counts, retry).
 * Keys live under the deployment's `names.bull` (`<prefix>bull`), so the prefix that isolates a
 * deployment or a test suite isolates its queues too.
 */
import { Queue } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import type { RedisNames } from './channels';

/**
 * How many entries a queue's events stream keeps (BullMQ's default is 10,000, ~1 MB a queue).
 * Nothing here reads that stream (no QueueEvents: the workers' own events and the database are
 * what the code goes by), so it is kept short: it fills within seconds under load and stays flat.
 * BullMQ keeps the figure in the queue's meta hash, written when a `Queue` is made; a Redis that
 * lost its data gets BullMQ's default back from the next job, so the relay and the scheduler
 * write it again on their periodic passes (`capEvents`).
 */
export const EVENTS_KEPT = 1000;

/** Writes the events cap into the queue's meta hash again (one HSET). */
export async function capEvents(queue: Queue): Promise<void> {
  const meta = queue.keys.meta;
  if (meta) await (await queue.client).hset(meta, { 'opts.maxLenEvents': EVENTS_KEPT });
}

export function openQueue<Data>(opts: { name: string; connection: ConnectionOptions; names: RedisNames }): Queue<Data> {
  return new Queue<Data>(opts.name, {
    connection: opts.connection,
    prefix: opts.names.bull,
    streams: { events: { maxLen: EVENTS_KEPT } },
  });
}
