/**
 * The notification service's composition root (what `npm run notifier` runs): outbox relay +
 * worker + SMTP mailer in one process.
 *
 * Start order: MongoDB (its models plus `sentNotifications`) → Redis → worker → relay (its first
 * pass hands over whatever a crash left behind). Stop order: relay first (no new jobs), then the
 * worker (waits for the jobs in hand), then the queue, mailer, Redis and MongoDB.
 */
import type { Connection } from 'mongoose';
import type { Config } from '../infra/config';
import { createLogger } from '../infra/logger';
import type { Logger } from '../infra/logger';
import { createSmtpMailer } from '../infra/mailer';
import type { Mailer } from '../infra/mailer';
import { registerModels } from '../infra/models';
import type { Models } from '../infra/models';
import { connectMongo } from '../infra/mongo';
import { NOTIFICATIONS_QUEUE, openQueue } from '../infra/queue';
import { connectRedis, redisReady } from '../infra/redis';
import type { RedisConnections } from '../infra/redis';
import { defaultRetryPolicy } from './notification.job';
import type { NotificationJobData, RetryPolicy } from './notification.job';
import { createOutboxRelay } from './notification.relay';
import type { OutboxRelay } from './notification.relay';
import { createNotificationWorker } from './notification.worker';
import type { NotificationWorker, WorkerOptions } from './notification.worker';
import { registerSentNotificationModel } from './sent-notification.model';
import type { SentNotificationModel } from './sent-notification.model';

export interface NotifierOptions {
  config: Config;
  logger?: Logger;
  /** Prefix of every Redis key and channel (must match the server nodes'; default `bk:`). */
  keyPrefix?: string;
  /** Database name when the URL names none. */
  dbName?: string;
  /** Retry policy for new jobs (default 8 attempts, backoff from 2 s). */
  retry?: Partial<RetryPolicy>;
  /** Replaces the SMTP mailer built from SMTP_URL / MAIL_FROM. */
  mailer?: Mailer;
  sweepIntervalMs?: number;
  worker?: Pick<WorkerOptions, 'concurrency' | 'sendConcurrency' | 'lockDurationMs' | 'stalledIntervalMs'>;
}

export interface Notifier {
  relay: OutboxRelay;
  worker: NotificationWorker;
  conn: Connection;
  models: Models & { SentNotification: SentNotificationModel };
  redis: RedisConnections;
  close(): Promise<void>;
}

export async function startNotificationService(opts: NotifierOptions): Promise<Notifier> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger({ level: config.logLevel, nodeId: config.nodeId, name: 'notifier' });
  const prefix = opts.keyPrefix ?? 'bk:';
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...opts.retry };

  let models: (Models & { SentNotification: SentNotificationModel }) | undefined;
  const conn = await connectMongo({
    url: config.mongoUrl,
    ...(opts.dbName ? { dbName: opts.dbName } : {}),
    appName: `${config.nodeId}:notifier`,
    logger,
    register: (c) => {
      models = { ...registerModels(c), SentNotification: registerSentNotificationModel(c) };
    },
  });
  if (!models) throw new Error('models were not registered');
  const m = models;
  const redis = connectRedis({ url: config.redisUrl, logger, name: `${config.nodeId}:notifier` });
  await redisReady(redis.cmd);

  const mailer = opts.mailer ?? createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom, logger, maxConnections: opts.worker?.sendConcurrency ?? 1 });
  const queue = openQueue<NotificationJobData>({ name: NOTIFICATIONS_QUEUE, connection: redis.bullmqOptions, keyPrefix: prefix });
  queue.on('error', (err) => logger.warn({ err: err.message }, 'queue error'));
  const worker = createNotificationWorker({
    connection: redis.bullmqOptions,
    keyPrefix: prefix,
    users: m.User,
    resources: m.Resource,
    sent: m.SentNotification,
    mailer,
    pub: redis.pub,
    mailFrom: config.mailFrom,
    logger,
    ...opts.worker,
  });
  const relay = createOutboxRelay({
    outbox: m.Outbox,
    queue,
    sub: redis.sub,
    wakeChannel: `${prefix}outbox:wake`,
    retry,
    logger,
    ...(opts.sweepIntervalMs ? { sweepIntervalMs: opts.sweepIntervalMs } : {}),
  });
  await relay.start();
  logger.info({ smtp: redactUrl(config.smtpUrl), retry }, 'notifier ready');

  let closing: Promise<void> | null = null;
  return {
    relay,
    worker,
    conn,
    models: m,
    redis,
    close() {
      closing ??= (async () => {
        logger.info('notifier stopping');
        await relay.stop();
        await worker.close();
        await queue.close();
        mailer.close();
        await redis.close();
        await conn.close();
        logger.info('notifier stopped');
      })();
      return closing;
    },
  };
}

function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = 'redacted';
  return u.toString();
}
