/**
 * Runs the scheduler's timers when they fire: a reminder records its `booking.reminder` outbox
 * entry (then the relay hands it to the notification worker, which sends the email and the live
 * notice); a no-show release cancels the booking through the booking service's guarded path and
 * runs the notifier's after-commit effects (cache, `slot:changed` on every node, relay wake,
 * calendar feeds).
 *
 * A job that finds its timer no longer applies completes without doing anything. One that fired
 * before its moment (Redis' clock a little ahead of ours) or failed (MongoDB away) throws and is
 * tried again after the job's backoff; a crash mid-job leaves it active until its lock expires,
 * then it runs again and finds its work done (or not yet done) in the database.
 */
import { UnrecoverableError, Worker } from 'bullmq';
import type { ConnectionOptions, Job } from 'bullmq';
import type { TimedCommands } from '../booking/booking.effects';
import type { TimerOutcome } from '../booking/booking.attendance';
import { TIMERS_QUEUE } from '../infra/channels';
import type { RedisNames } from '../infra/channels';
import type { Logger } from '../infra/logger';
import type { OutboxRelay } from './notification.relay';
import { TimerJobData } from './timer.job';
import { TUNABLES } from '../infra/tunables';
import { systemClock } from '../infra/clock';
import type { Clock } from '../infra/clock';

/** How far ahead of its moment a fired timer waits in place instead of being retried after its backoff. */
const EARLY_WAIT_MS = 2000;

export interface TimerWorkerOptions {
  connection: ConnectionOptions;
  names: RedisNames;
  commands: TimedCommands;
  /** A recorded reminder is handed over at once instead of at the next sweep. */
  relay: Pick<OutboxRelay, 'sweep'>;
  logger: Logger;
  /** Where "now" comes from (how late a timer fired, for the log). */
  clock?: Clock;
  /** Timers run at once (default 8). */
  concurrency?: number;
  /** As the notification worker's: bounds how long a crash delays the jobs it held. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface TimerWorker {
  worker: Worker<TimerJobData, TimerOutcome>;
  close(): Promise<void>;
}

export function createTimerWorker(opts: TimerWorkerOptions): TimerWorker {
  const log = opts.logger.child({ part: 'timers' });

  const clock = opts.clock ?? systemClock;
  const run = (t: TimerJobData): Promise<TimerOutcome> => {
    switch (t.kind) {
      case 'reminder':
        return opts.commands.remind({ bookingId: t.bookingId, start: new Date(t.key) });
      case 'release':
        return opts.commands.releaseNoShow({ bookingId: t.bookingId, deadline: new Date(t.key) });
      case 'expire':
        return opts.commands.expireHold({ bookingId: t.bookingId, expiresAt: new Date(t.key) });
    }
  };

  async function process(job: Job<TimerJobData>): Promise<TimerOutcome> {
    const parsed = TimerJobData.safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(`invalid timer data: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
    const t = parsed.data;
    let outcome = await run(t);
    // Redis' clock a little ahead of ours: wait out the difference here rather than a whole
    // backoff, so a hold's expiry is broadcast within its 2 seconds.
    const ahead = Date.parse(t.at) - clock.now().getTime();
    if (outcome === 'early' && ahead <= EARLY_WAIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(ahead, 0) + 5));
      outcome = await run(t);
    }
    if (outcome === 'early') throw new Error('timer fired before its moment; trying again');
    if (outcome === 'done' && t.kind === 'reminder') {
      opts.relay
        .sweep()
        .catch((err: unknown) => log.warn({ err }, 'relay pass after a reminder failed; the sweep retries'));
    }
    log.info(
      {
        jobId: job.id,
        bookingId: t.bookingId,
        kind: t.kind,
        outcome,
        lateMs: clock.now().getTime() - Date.parse(t.at),
      },
      'timer fired',
    );
    return outcome;
  }

  const worker = new Worker<TimerJobData, TimerOutcome>(TIMERS_QUEUE, process, {
    connection: opts.connection,
    prefix: opts.names.bull,
    concurrency: opts.concurrency ?? 8,
    lockDuration: opts.lockDurationMs ?? TUNABLES.jobLockDurationMs,
    stalledInterval: opts.stalledIntervalMs ?? TUNABLES.jobStalledIntervalMs,
    // A timer may be caught by several crashes in a row; it must run again each time.
    maxStalledCount: 100,
  });
  worker.on('error', (err) => log.warn({ err: err.message }, 'timer worker error'));
  worker.on('failed', (job, err) => log.warn({ jobId: job?.id, err: err.message }, 'timer attempt failed'));

  return {
    worker,
    async close() {
      await worker.close();
    },
  };
}
