/**
 * The notification service's composition root (what `npm run notifier` runs): outbox relay,
 * BullMQ worker and SMTP mailer in one process. It only wires; each part lives in
 * `notifications/`.
 *
 * Start order: stores (MongoDB with every collection, Redis if it is there) → mailer → queue →
 * worker → relay (its first pass hands over whatever a crash left behind). Each part registers
 * its stop in the lifecycle as it starts, so stopping (or a signal during start-up) runs in
 * reverse: relay first (no new jobs), then the worker (waits for the jobs in hand), the queue,
 * the mailer, Redis and MongoDB.
 */
import type { Collections } from './data';
import { openData } from './data';
import { NOTIFICATIONS_QUEUE } from './infra/channels';
import type { Config } from './infra/config';
import { createLogger } from './infra/logger';
import type { Logger } from './infra/logger';
import { createSmtpMailer } from './infra/mailer';
import { createLifecycle } from './infra/process';
import type { Lifecycle } from './infra/process';
import { openQueue } from './infra/queue';
import { createSocketEmitter } from './infra/socket-emitter';
import type { Stores } from './infra/stores';
import { defaultRetryPolicy } from './notifications/notification.job';
import type { NotificationJobData, RetryPolicy } from './notifications/notification.job';
import { createOutboxRelay } from './notifications/notification.relay';
import type { OutboxRelay } from './notifications/notification.relay';
import { createNotificationWorker } from './notifications/notification.worker';
import type { NotificationWorker, WorkerOptions } from './notifications/notification.worker';

export interface NotifierOptions {
  config: Config;
  logger?: Logger;
  /** Where the parts register their stops (default: a lifecycle of its own, closed by `close()`). */
  lifecycle?: Lifecycle;
  /** Database name when the URL names none. */
  dbName?: string;
  /** Retry policy (default: backoff from 2 s doubling up to 10 minutes, for at least 24 hours). */
  retry?: Partial<RetryPolicy>;
  sweepIntervalMs?: number;
  /** An outbox entry handed over this long ago and still unsent is handed over again (default 10 minutes). */
  rehandAfterMs?: number;
  worker?: Pick<WorkerOptions, 'concurrency' | 'sendConcurrency' | 'lockDurationMs' | 'stalledIntervalMs'>;
}

export interface Notifier {
  relay: OutboxRelay;
  worker: NotificationWorker;
  stores: Stores<Collections>;
  /** The collections, for tests that inspect what was stored. */
  models: Collections;
  close(): Promise<void>;
}

export async function startNotificationService(opts: NotifierOptions): Promise<Notifier> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger({ level: config.logLevel, nodeId: config.nodeId, name: 'notifier' });
  const lifecycle = opts.lifecycle ?? createLifecycle(logger);
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...opts.retry };

  const { stores, data } = await openData({ config, logger, appName: `${config.nodeId}:notifier`, lifecycle, ...(opts.dbName ? { dbName: opts.dbName } : {}) });
  const { redis, names } = stores;

  const mailer = createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom, logger, maxConnections: opts.worker?.sendConcurrency ?? 1 });
  lifecycle.onStop('mailer', () => mailer.close());
  const queue = openQueue<NotificationJobData>({ name: NOTIFICATIONS_QUEUE, connection: redis.bullmqOptions, names });
  queue.on('error', (err) => logger.warn({ err: err.message }, 'queue error'));
  lifecycle.onStop('queue', () => queue.close());
  const worker = createNotificationWorker({
    connection: redis.bullmqOptions,
    names,
    users: data.users,
    resources: data.resources,
    sent: data.sent,
    outbox: data.outbox,
    retry,
    mailer,
    emitter: createSocketEmitter({ redis, names, logger }),
    mailFrom: config.mailFrom,
    logger,
    ...opts.worker,
  });
  lifecycle.onStop('worker', () => worker.close());
  const relay = createOutboxRelay({
    outbox: data.outbox,
    queue,
    sub: redis.sub,
    names,
    retry,
    logger,
    ...(opts.sweepIntervalMs ? { sweepIntervalMs: opts.sweepIntervalMs } : {}),
    ...(opts.rehandAfterMs ? { rehandAfterMs: opts.rehandAfterMs } : {}),
  });
  lifecycle.onStop('relay', () => relay.stop());
  await relay.start();
  logger.info({ smtp: redactUrl(config.smtpUrl), retry }, 'notifier ready');

  return { relay, worker, stores, models: stores.collections, close: () => lifecycle.close() };
}

function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = 'redacted';
  return u.toString();
}
