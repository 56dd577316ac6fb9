/**
 * The outbox relay: moves committed outbox entries into the `notifications` queue.
 *
 * Every pass reads entries not yet handed over (oldest first), adds them as jobs whose id is the
 * outbox id, and only then stamps `handedOverAt`. A crash between the two leaves entries that the
 * next pass adds again, and BullMQ ignores an add whose job id exists: nothing is lost, nothing
 * doubled. Passes run when a server node publishes on `names.outboxWake` after a commit, at
 * start (entries a crash left behind), and every `sweepIntervalMs` (a wake lost during a Redis
 * blip). Passes never overlap; a wake during a pass makes one more pass afterwards.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RedisNames } from '../infra/channels';
import type { Logger } from '../infra/logger';
import { jobDataFromOutbox } from './notification.job';
import type { NotificationJobData, RetryPolicy } from './notification.job';
import type { OutboxStore } from './outbox.store';

export interface OutboxRelay {
  /** Subscribes to the wake channel and runs the first pass; resolves once that pass is done. */
  start(): Promise<void>;
  /** One pass now (coalesced with a running one); resolves with the entries handed over. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export interface RelayOptions {
  outbox: Pick<OutboxStore, 'pending' | 'markHandedOver'>;
  queue: Queue<NotificationJobData>;
  /** A dedicated subscriber connection (it enters subscriber mode). */
  sub: Redis;
  names: RedisNames;
  retry: RetryPolicy;
  logger: Logger;
  /** Safety-net pass interval (default 5 s). */
  sweepIntervalMs?: number;
  /** Entries per batch (default 500). */
  batchSize?: number;
  /** How long completed jobs stay in the queue (their ids keep deduplicating re-adds). */
  keepCompletedSec?: number;
}

export function createOutboxRelay(opts: RelayOptions): OutboxRelay {
  const log = opts.logger.child({ part: 'relay' });
  const batchSize = opts.batchSize ?? 500;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = false;

  async function passOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const entries = await opts.outbox.pending(batchSize);
      if (entries.length === 0) return total;
      await opts.queue.addBulk(
        entries.map((doc) => ({
          name: doc.type,
          data: jobDataFromOutbox(doc),
          opts: {
            jobId: doc._id.toHexString(),
            attempts: opts.retry.attempts,
            backoff: { type: 'exponential', delay: opts.retry.backoffMs },
            removeOnComplete: { age: opts.keepCompletedSec ?? 7 * 24 * 3600, count: 50_000 },
            // Failed jobs stay until staff retry them (or a later cleanup); they are the dashboard's list.
            removeOnFail: false,
          },
        })),
      );
      await opts.outbox.markHandedOver(
        entries.map((doc) => doc._id.toHexString()),
        new Date(),
      );
      total += entries.length;
      log.debug({ count: entries.length }, 'outbox entries handed over');
      if (entries.length < batchSize || stopped) return total;
    }
  }

  function sweep(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    const run = (async () => {
      let total = 0;
      do {
        again = false;
        total += await passOnce();
      } while (again && !stopped);
      return total;
    })();
    running = run;
    void run.finally(() => {
      if (running === run) running = null;
    }).catch(() => undefined);
    return run;
  }

  const sweepLogged = (why: string) => {
    if (stopped) return;
    sweep().catch((err: unknown) => log.warn({ err, why }, 'relay pass failed; the next one retries'));
  };

  const onMessage = (channel: string) => {
    if (channel === opts.names.outboxWake) sweepLogged('wake');
  };

  return {
    async start() {
      opts.sub.on('message', onMessage);
      // Resubscribes by itself after a reconnect (ioredis autoResubscribe); a pass covers the gap.
      opts.sub.on('ready', () => sweepLogged('reconnect'));
      await opts.sub.subscribe(opts.names.outboxWake);
      timer = setInterval(() => sweepLogged('interval'), opts.sweepIntervalMs ?? 5000);
      const count = await sweep();
      log.info({ handedOver: count }, 'relay started');
    },
    sweep,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      opts.sub.off('message', onMessage);
      await running?.catch(() => undefined);
    },
  };
}

/**
 * The relay-wake after-commit effect of a server node: tells the relay (in whichever notifier
 * process) that the outbox has a new entry. A lost wake costs at most one sweep interval.
 */
export async function wakeRelay(pub: Redis, names: RedisNames): Promise<void> {
  await pub.publish(names.outboxWake, '1');
}
