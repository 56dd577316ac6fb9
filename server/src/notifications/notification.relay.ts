/**
 * The outbox relay: moves committed outbox entries into the `notifications` queue.
 *
 * Every pass reads entries not yet handed over (oldest first), adds them as jobs whose id is the
 * outbox id, and only then stamps `handedOverAt`. A crash between the two leaves entries that the
 * next pass adds again, and BullMQ ignores an add whose job id exists: nothing is lost, nothing
 * doubled. Passes run when a server node publishes on `names.outboxWake` after a commit, at
 * start (entries a crash left behind), and every `sweepIntervalMs` (a wake lost during a Redis
 * blip). Passes never overlap; a wake during a pass makes one more pass afterwards.
 *
 * Redis is not the only copy: an entry stays unsent in MongoDB until the worker stamps it sent
 * (or failed), and every pass also re-hands entries handed over more than `rehandAfterMs` ago
 * and still unsent (Redis restarted without its append-only file, or was flushed). A re-add
 * whose job still exists (waiting, delayed for a retry, active) is a no-op, so this costs one
 * add per stale entry and `rehandAfterMs`, never a second job.
 *
 * Every entry handed over also (re)schedules its booking's timers (reminder, no-show release)
 * with the scheduler, which is how a committed change reaches the timers (timer.scheduler.ts).
 *
 * Finished jobs expire: completed after `keepCompletedSec` or past the newest `COMPLETED_KEPT`, failed
 * after `keepFailedSec` (the dashboard's list until then). A completed job is not what keeps a
 * mail from going twice: an entry is only handed over again while it is unsent, and the worker
 * skips an outbox id it has a sent record of (notification.worker.ts), so a re-add whose completed
 * job is gone runs once more, sends nothing and stamps the entry sent.
 */
import type { Queue } from 'bullmq';
import { capEvents } from '../infra/queue';
import type { RedisClient } from '../infra/redis';
import type { RedisNames } from '../infra/channels';
import type { Logger } from '../infra/logger';
import { CAPPED_BACKOFF, jobDataFromOutbox } from './notification.job';
import type { NotificationJobData, RetryPolicy } from './notification.job';
import { isNotification } from './outbox.model';
import type { OutboxDoc } from './outbox.model';
import type { OutboxStore } from './outbox.store';
import type { TimerScheduler } from './timer.scheduler';
import { TUNABLES } from '../infra/tunables';
import { systemClock } from '../infra/clock';
import type { Clock } from '../infra/clock';

/** Completed notification jobs kept at most (~1.3 KB each in Redis): a recent history for staff. */
export const COMPLETED_KEPT = 1000;

export interface OutboxRelay {
  /** Subscribes to the wake channel and runs the first pass; resolves once that pass is done. */
  start(): Promise<void>;
  /** One pass now (coalesced with a running one); resolves with the entries handed over. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export interface RelayOptions {
  outbox: Pick<OutboxStore, 'pending' | 'markHandedOver' | 'unsent' | 'markHandedOverAgain'>;
  queue: Queue<NotificationJobData>;
  /** A dedicated subscriber connection (it enters subscriber mode). */
  sub: RedisClient;
  names: RedisNames;
  retry: RetryPolicy;
  logger: Logger;
  /** Safety-net pass interval (default 5 s). */
  sweepIntervalMs?: number;
  /** Entries per batch (default 500). */
  batchSize?: number;
  /** How long completed jobs stay in the queue (default 1 hour, at most `COMPLETED_KEPT` of them). */
  keepCompletedSec?: number;
  /** How long failed jobs stay in the queue for staff to retry (default 30 days). */
  keepFailedSec?: number;
  /** An entry handed over this long ago and still unsent is handed over again (default 10 minutes). */
  rehandAfterMs?: number;
  /** Where the relay takes "now" from (stamps, the re-hand cutoff); tests move it. */
  clock?: Clock;
  /**
   * The scheduler: every entry handed over (re)schedules its booking's timers. A failure is
   * logged and the entry still goes out; the scheduler's reconciler recreates what was missed.
   */
  timers?: Pick<TimerScheduler, 'scheduleFromOutbox'>;
  /** (v3) The webhook fan-out: awaited before the entries are stamped, so a failure or crash fans out again. */
  webhooks?: { fanOut(entries: OutboxDoc[]): Promise<unknown> };
}

export function createOutboxRelay(opts: RelayOptions): OutboxRelay {
  const log = opts.logger.child({ part: 'relay' });
  const batchSize = opts.batchSize ?? TUNABLES.relayBatchSize;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = false;

  const clock = opts.clock ?? systemClock;
  const now = () => clock.now();
  const rehandAfterMs = opts.rehandAfterMs ?? 10 * 60_000;
  const jobOpts = {
    attempts: opts.retry.attempts,
    backoff: { type: CAPPED_BACKOFF, delay: opts.retry.backoffMs },
    removeOnComplete: { age: opts.keepCompletedSec ?? 3600, count: COMPLETED_KEPT },
    removeOnFail: { age: opts.keepFailedSec ?? 30 * 24 * 3600 },
  };
  const add = async (entries: OutboxDoc[]) => {
    await opts.webhooks?.fanOut(entries);
    // A timer-only record (a hold taken) goes to the scheduler alone.
    await opts.queue.addBulk(
      entries.filter(isNotification).map((doc) => ({
        name: doc.type,
        data: jobDataFromOutbox(doc),
        // An offer is held for its person for minutes only: its notice goes to the front of the
        // queue rather than behind a backlog of confirmations (one mail is sent at a time).
        opts: { ...jobOpts, jobId: doc._id.toHexString(), ...(doc.type === 'waitlist.offered' ? { lifo: true } : {}) },
      })),
    );
    await opts.timers
      ?.scheduleFromOutbox(entries)
      .catch((err: unknown) => log.warn({ err }, 'timers not scheduled; the reconciler will'));
  };
  const ids = (entries: OutboxDoc[]) => entries.map((doc) => doc._id.toHexString());

  /** Hands over one batch of `read`'s entries and stamps them; repeats while batches are full. */
  async function drain(
    read: () => Promise<OutboxDoc[]>,
    stamp: (ids: string[], at: Date) => Promise<void>,
  ): Promise<number> {
    let total = 0;
    for (;;) {
      const entries = await read();
      if (entries.length === 0) return total;
      await add(entries);
      await stamp(ids(entries), now());
      total += entries.length;
      if (entries.length < batchSize || stopped) return total;
    }
  }

  async function passOnce(): Promise<number> {
    const handed = await drain(
      () => opts.outbox.pending(batchSize),
      (list, at) => opts.outbox.markHandedOver(list, at),
    );
    if (handed > 0) log.debug({ count: handed }, 'outbox entries handed over');
    const cutoff = new Date(now().getTime() - rehandAfterMs);
    const rehanded = await drain(
      () => opts.outbox.unsent(cutoff, batchSize),
      (list, at) => opts.outbox.markHandedOverAgain(list, at),
    );
    if (rehanded > 0) log.info({ count: rehanded }, 'unsent outbox entries handed over again');
    return handed + rehanded;
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
    void run
      .finally(() => {
        if (running === run) running = null;
      })
      .catch(() => undefined);
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
      timer = setInterval(() => {
        sweepLogged('interval');
        capEvents(opts.queue).catch((err: unknown) =>
          log.debug({ err }, 'events cap not written; the next pass retries'),
        );
      }, opts.sweepIntervalMs ?? TUNABLES.relaySweepIntervalMs);
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
export async function wakeRelay(pub: RedisClient, names: RedisNames): Promise<void> {
  await pub.publish(names.outboxWake, '1');
}
