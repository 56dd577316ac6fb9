/**
 * What the admin namespace needs from the notification queue: `stats.queue` counts, the failed
 * list for the dashboard, and `notifications:retry`. It opens its own Queue handle (no worker),
 * so a server node can use it without running the notifier.
 */
import type { Job } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { ErrorCode } from '@booking/shared';
import type { FailedJob, QueueCounts } from '@booking/shared';
import { AppError } from '../infra/errors';
import { NOTIFICATIONS_QUEUE } from '../infra/channels';
import type { RedisNames } from '../infra/channels';
import { openQueue } from '../infra/queue';
import { NotificationJobData } from './notification.job';

export interface NotificationAdmin {
  counts(): Promise<QueueCounts>;
  /** Failed jobs, newest first. */
  failedJobs(limit?: number): Promise<FailedJob[]>;
  /** Sends a failed job again with fresh attempts: NOT_FOUND if unknown, INVALID_STATE unless failed. */
  retry(jobId: string): Promise<void>;
  close(): Promise<void>;
}

export function createNotificationAdmin(opts: { connection: RedisOptions; names: RedisNames }): NotificationAdmin {
  const queue = openQueue<NotificationJobData>({ name: NOTIFICATIONS_QUEUE, connection: opts.connection, names: opts.names });
  return {
    async counts() {
      const c = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
      return { waiting: c.waiting ?? 0, active: c.active ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0, delayed: c.delayed ?? 0 };
    },
    async failedJobs(limit = 50) {
      const jobs = await queue.getFailed(0, Math.max(0, limit - 1));
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
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
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
