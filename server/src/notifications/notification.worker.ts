/**
 * The notification worker: one BullMQ job per outbox entry → email over SMTP + live `notification`
 * to the owner's sockets on every node (through @socket.io/redis-emitter into `userRoom(id)`).
 *
 * Delivery is at-least-once and duplicates are made harmless: before sending, the worker looks up
 * the sent record of this outbox id and skips when it exists; after SMTP accepted the message it
 * writes that record and stamps the outbox entry sent (a skipped copy stamps it too, so an entry
 * whose stamp a crash lost stops being handed over again). Only a crash between SMTP's acceptance
 * and the record can repeat a mail.
 * The send → notify → record step runs under a small per-process semaphore (`sendConcurrency`,
 * default 1), so one crash can leave at most that many messages sent but unrecorded; lookups
 * and rendering still run `concurrency` jobs at a time.
 *
 * Failures: a 5xx SMTP answer or a vanished user is permanent (the job fails at once and waits
 * for a staff retry); anything else (connection refused, 4xx, MongoDB away) is retried with the
 * policy's capped exponential backoff until its attempts are used up (at least 24 hours by
 * default), and only then parks in the failed set. A parked job's outbox entry is stamped failed,
 * so the relay does not hand it over again behind the staff's back.
 */
import { UnrecoverableError, Worker } from 'bullmq';
import type { ConnectionOptions, Job } from 'bullmq';
import type { UserStore } from '../auth/user.store';
import { NOTIFICATIONS_QUEUE, userRoom } from '../infra/channels';
import type { RedisNames } from '../infra/channels';
import type { Logger } from '../infra/logger';
import { isPermanentSmtpError } from '../infra/mailer';
import type { Mailer } from '../infra/mailer';
import type { SocketEmitter } from '../infra/socket-emitter';
import type { ResourceStore } from '../resources/resource.store';
import { serverTranslator } from '../i18n';
import { renderNotification } from './notification.email';
import { backoffDelay, NotificationJobData } from './notification.job';
import { notificationPayload } from './notification.payload';
import type { RetryPolicy } from './notification.job';
import type { OutboxStore } from './outbox.store';
import type { SentNotificationStore } from './sent-notification.store';
import { TUNABLES } from '../infra/tunables';
import { systemClock } from '../infra/clock';
import type { Clock } from '../infra/clock';

export interface WorkerOptions {
  connection: ConnectionOptions;
  names: RedisNames;
  users: Pick<UserStore, 'contact'>;
  resources: Pick<ResourceStore, 'get'>;
  sent: SentNotificationStore;
  outbox: Pick<OutboxStore, 'markSent' | 'markFailed'>;
  /** The delays between attempts (`backoffDelay`); the attempts themselves are set per job. */
  retry: Pick<RetryPolicy, 'backoffMs' | 'maxBackoffMs'>;
  mailer: Mailer;
  /**
   * Reaches the owner's sockets on every node (infra/socket-emitter.ts: classic or sharded
   * pub/sub, matching the nodes' adapter; a failed publish is logged there and never rejects).
   */
  emitter: SocketEmitter;
  mailFrom: string;
  /** The booking page's address (`PUBLIC_URL`): a waitlist offer's mail links to the page opened on the offer. */
  publicUrl: string;
  logger: Logger;
  /** Jobs processed at once (default 8). */
  concurrency?: number;
  /** Messages in the send-and-record step at once (default 1); bounds duplicates per crash. */
  sendConcurrency?: number;
  /**
   * How long a job's lock lasts without renewal (default 5 s). After a crash, its active jobs go
   * back to waiting once the lock expired and a stalled check ran, so this bounds the delay.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Where the worker takes "now" from (sent and failed stamps, notification times, latency). */
  clock?: Clock;
}

export interface NotificationWorker {
  worker: Worker<NotificationJobData>;
  close(): Promise<void>;
}

/** Outcome of one job, kept as the job's return value. */
export interface JobResult {
  sent: boolean;
  latencyMs?: number;
}

/** Addresses under the reserved top-level domain `.invalid` can never be delivered (RFC 2606). */
export function isUndeliverable(email: string): boolean {
  return email.toLowerCase().endsWith('.invalid');
}

export function createNotificationWorker(opts: WorkerOptions): NotificationWorker {
  const log = opts.logger.child({ part: 'worker' });
  const { emitter } = opts;
  const clock = opts.clock ?? systemClock;
  const sendSlot = createSemaphore(opts.sendConcurrency ?? 1);

  async function process(job: Job<NotificationJobData>): Promise<JobResult> {
    const parsed = NotificationJobData.safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(`invalid job data: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
    const data = parsed.data;
    const jlog = log.child({ jobId: job.id, bookingId: data.bookingId, type: data.type });

    if (await opts.sent.wasSent(data.outboxId)) {
      jlog.info('already sent; skipping');
      await opts.outbox.markSent(data.outboxId, clock.now());
      return { sent: false };
    }
    // (v3) A request goes to an approver (`recipientId`), naming the person who asked.
    const recipientId = data.recipientId ?? data.userId;
    const [user, resource, owner] = await Promise.all([
      opts.users.contact(recipientId),
      opts.resources.get(data.resourceId),
      data.recipientId ? opts.users.contact(data.userId) : Promise.resolve(null),
    ]);
    if (!user) throw new UnrecoverableError('the recipient no longer exists');
    if (isUndeliverable(user.email)) {
      // A service account (a room display's walk-ins) has an address under the reserved `.invalid`
      // domain (RFC 2606): there is nobody to tell, so nothing is sent and nothing fails.
      jlog.info('recipient has no deliverable address; nothing to send');
      await opts.outbox.markSent(data.outboxId, clock.now());
      return { sent: false };
    }
    // Every mail and live message in the recipient's language (`contact` carries it).
    const rendered = renderNotification({
      job: data,
      user: { name: user.name, email: user.email, locale: user.locale },
      resourceName: resource?.name ?? serverTranslator(user.locale).t('mail.removedResource'),
      timeZone: resource?.timeZone ?? 'UTC',
      from: opts.mailFrom,
      now: clock.now(),
      publicUrl: opts.publicUrl,
      ...(owner ? { ownerName: owner.name } : {}),
    });

    const result = await sendSlot(async (): Promise<JobResult> => {
      let messageId: string;
      try {
        ({ messageId } = await opts.mailer.send(rendered.mail));
      } catch (err) {
        if (isPermanentSmtpError(err)) {
          jlog.warn({ err: errorText(err) }, 'SMTP refused the message permanently');
          throw new UnrecoverableError(`SMTP refused: ${errorText(err)}`);
        }
        jlog.warn({ err: errorText(err), attempt: job.attemptsMade + 1 }, 'sending failed; will retry');
        throw err;
      }
      const latencyMs = clock.now().getTime() - Date.parse(data.createdAt);
      emitter.to(userRoom(recipientId)).emit('notification', notificationPayload(data, rendered.message, clock.now()));
      await opts.sent.record({
        _id: data.outboxId,
        bookingId: data.bookingId,
        to: user.email,
        messageId,
        sentAt: clock.now(),
      });
      jlog.info({ latencyMs }, 'notification sent');
      return { sent: true, latencyMs };
    });
    // Outside the send slot: the record above already keeps a copy from sending again, so the
    // stamp need not hold up the next message.
    await opts.outbox.markSent(data.outboxId, clock.now());
    return result;
  }

  const worker = new Worker<NotificationJobData, JobResult>(NOTIFICATIONS_QUEUE, process, {
    connection: opts.connection,
    prefix: opts.names.bull,
    concurrency: opts.concurrency ?? 8,
    lockDuration: opts.lockDurationMs ?? TUNABLES.jobLockDurationMs,
    stalledInterval: opts.stalledIntervalMs ?? TUNABLES.jobStalledIntervalMs,
    // A job may be caught by several crashes in a row; it must be retried, not failed, each time.
    maxStalledCount: 100,
    settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(opts.retry, attemptsMade) },
  });
  worker.on('error', (err) => log.warn({ err: err.message }, 'worker error'));
  worker.on('failed', (job, err) => {
    if (!job || !(err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1))) return;
    log.error({ jobId: job.id, err: err.message }, 'notification parked in the failed set');
    const parsed = NotificationJobData.safeParse(job.data);
    if (parsed.success) {
      opts.outbox
        .markFailed(parsed.data.outboxId, clock.now())
        .catch((e: unknown) => log.warn({ err: e, jobId: job.id }, 'could not stamp the outbox entry failed'));
    }
  });

  return {
    worker,
    async close() {
      await worker.close();
    },
  };
}

/** At most `permits` callers run at once; the rest wait in order. */
function createSemaphore(permits: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let free = permits;
  const waiting: Array<() => void> = [];
  return async (fn) => {
    if (free > 0) free -= 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    }
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
