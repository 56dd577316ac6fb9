/**
 * What the admin namespace needs from the notification queue: `stats.queue` counts, the failed
 * list for the dashboard, and `notifications:retry`. It opens its own Queue handle (no worker),
 * so a server node can use it without running the notifier.
 *
 * Redis may be away: the handle never throws an unhandled 'error' (it logs it), and the figures
 * (`counts`, `failedJobs`) give up after `answerWithinMs` instead of waiting for Redis to return
 * (BullMQ connections queue commands until it does), so stats and /metrics keep answering.
 */
import type { Job } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import { ErrorCode } from '@booking/shared';
import type { FailedJob, QueueCounts } from '@booking/shared';
import { AppError } from '../infra/errors';
import type { Logger } from '../infra/logger';
import { NOTIFICATIONS_QUEUE } from '../infra/channels';
import type { RedisNames } from '../infra/channels';
import { openQueue } from '../infra/queue';
import { NotificationJobData } from './notification.job';
import { TUNABLES } from '../infra/tunables';

export interface NotificationAdmin {
  counts(): Promise<QueueCounts>;
  /** Failed jobs, newest first. */
  failedJobs(limit?: number): Promise<FailedJob[]>;
  /** Sends a failed job again with fresh attempts: NOT_FOUND if unknown, INVALID_STATE unless failed. */
  retry(jobId: string): Promise<void>;
  /** Sends every failed job again with fresh attempts; resolves with how many. */
  retryAll(): Promise<number>;
  close(): Promise<void>;
}

/** Failed jobs retried per page by `retryAll`, and the most it retries in one call. */
const RETRY_PAGE = 100;
const RETRY_ALL_MAX = 10_000;

export function createNotificationAdmin(opts: {
  connection: ConnectionOptions;
  names: RedisNames;
  logger?: Logger;
  answerWithinMs?: number;
}): NotificationAdmin {
  const queue = openQueue<NotificationJobData>({
    name: NOTIFICATIONS_QUEUE,
    connection: opts.connection,
    names: opts.names,
  });
  // Without a listener, an 'error' (Redis away) would be thrown as an uncaught exception.
  let lastError = '';
  queue.on('error', (err) => {
    if (err.message !== lastError) opts.logger?.warn({ err: err.message }, 'notification queue error');
    lastError = err.message;
  });
  const answerWithinMs = opts.answerWithinMs ?? TUNABLES.queueCountsWithinMs;
  const inTime = <T>(what: string, p: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`notification queue: no answer to ${what} within ${answerWithinMs} ms`)),
        answerWithinMs,
      );
    });
    return Promise.race([p, late]).finally(() => clearTimeout(timer));
  };
  const retryOne = async (job: Job<NotificationJobData>): Promise<void> => {
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  };
  return {
    async counts() {
      const c = await inTime('counts', queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed'));
      return {
        waiting: c.waiting ?? 0,
        active: c.active ?? 0,
        completed: c.completed ?? 0,
        failed: c.failed ?? 0,
        delayed: c.delayed ?? 0,
      };
    },
    async failedJobs(limit = 50) {
      const jobs = await inTime('the failed list', queue.getFailed(0, Math.max(0, limit - 1)));
      return jobs.flatMap((job) => {
        const failed = toFailedJob(job);
        return failed ? [failed] : [];
      });
    },
    async retry(jobId) {
      const job = await queue.getJob(jobId);
      if (!job) throw new AppError(ErrorCode.NOT_FOUND, 'no such notification job');
      const state = await job.getState();
      if (state !== 'failed') throw new AppError(ErrorCode.INVALID_STATE, `the job is ${state}, not failed`);
      await retryOne(job);
    },
    async retryAll() {
      // Page through the failed set from its head: each retried job leaves it. A job seen once
      // (retried, or retried meanwhile by someone else) is not tried again in this call, even if
      // it failed again at once and came back.
      const seen = new Set<string>();
      let retried = 0;
      for (;;) {
        const page = (await queue.getFailed(0, RETRY_PAGE - 1 + seen.size)).filter(
          (job) => job.id !== undefined && !seen.has(job.id),
        );
        if (page.length === 0 || seen.size >= RETRY_ALL_MAX) return retried;
        for (const job of page) {
          seen.add(job.id ?? '');
          const ok = await retryOne(job).then(
            () => true,
            () => false,
          );
          if (ok) retried += 1;
        }
      }
    },
    async close() {
      await queue.close();
    },
  };
}

function toFailedJob(job: Job<NotificationJobData>): FailedJob | null {
  const parsed = NotificationJobData.safeParse(job.data);
  if (!parsed.success || job.id === undefined) return null;
  return {
    jobId: job.id,
    bookingId: parsed.data.bookingId,
    type: parsed.data.type,
    failedReason: job.failedReason ?? '',
    attemptsMade: job.attemptsMade,
    at: new Date(job.finishedOn ?? job.processedOn ?? job.timestamp).toISOString(),
  };
}
