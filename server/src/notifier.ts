/**
 * The notification service's composition root (what `npm run notifier` runs): outbox relay,
 * BullMQ worker and SMTP mailer, and the scheduler of time-driven work (reminders, no-show
 * release) in one process. It only wires; each part lives in `notifications/`.
 *
 * Start order: stores (MongoDB with every collection, Redis if it is there) → mailer → queues →
 * notification worker → timer worker → relay (its first pass hands over whatever a crash left
 * behind and schedules those bookings' timers) → scheduler (its first reconciler pass recreates
 * every timer due soon) → the health listener, if `HEALTH_PORT` is set (so a probe sees it ready
 * only once everything above is up). Each part registers its stop in the lifecycle as it starts,
 * so stopping (or a signal during start-up) runs in reverse: the health listener (the port is
 * free again), scheduler and relay (no new jobs), then the workers (wait for the jobs in hand),
 * the queues, the mailer, Redis and MongoDB.
 *
 * The no-show release is a booking change like any other: this process builds the booking
 * service on the same stores and runs the same after-commit effects as a node
 * (`booking-effects.ts`), with a relay pass of its own and `slot:changed` through the emitter.
 */
import type { Collections } from './data';
import { openData } from './data';
import { systemClock } from './infra/clock';
import { createLogger } from './infra/logger';
import { createLifecycle } from './infra/process';
import type { Stores } from './infra/stores';
import { defaultRetryPolicy } from './notifications/notification.job';
import type { RetryPolicy } from './notifications/notification.job';
import type { OutboxRelay } from './notifications/notification.relay';
import type { TimerScheduler } from './notifications/timer.scheduler';
import type { NotificationWorker } from './notifications/notification.worker';
import { redactUrl } from './notifier.options';
import {
  createRelay,
  openTimerScheduler,
  releaseCommands,
  startMailing,
  startNotifierHealth,
  startTimeDriven,
  startVerificationMail,
} from './notifier.steps';
import { startWebhookDelivery } from './integrations/webhooks/webhook.notifier';
import type { WebhookDispatcher } from './integrations/webhooks/webhook.dispatcher';

import type { NotifierOptions } from './notifier.steps';
export type { NotifierOptions };

export interface Notifier {
  relay: OutboxRelay;
  scheduler: TimerScheduler;
  worker: NotificationWorker;
  /** (v3) The webhook dispatcher (tests run passes). */
  webhooks: WebhookDispatcher;
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
  const clock = opts.clock ?? systemClock;

  const { stores, data } = await openData({
    config,
    logger,
    appName: `${config.nodeId}:notifier`,
    lifecycle,
    ...(opts.dbName ? { dbName: opts.dbName } : {}),
  });
  const ctx = { opts, config, logger, lifecycle, clock, retry, stores, data };

  const { mailer, queue, worker } = startMailing(ctx);
  // Time-driven work: the timers, and the booking service on the same stores with its effects.
  const scheduler = openTimerScheduler(ctx);
  const { conn } = stores;
  const webhooks = await startWebhookDelivery({
    conn,
    clock,
    logger,
    lifecycle,
    ...(opts.webhooks ? { tuning: opts.webhooks } : {}),
  });
  const relay = createRelay(ctx, queue, scheduler, webhooks);
  await startTimeDriven(ctx, { commands: releaseCommands(ctx, relay), relay, scheduler });
  startVerificationMail(ctx, mailer);
  await startNotifierHealth(ctx);
  logger.info({ smtp: redactUrl(config.smtpUrl), retry, healthPort: config.healthPort }, 'notifier ready');

  return { relay, scheduler, worker, webhooks, stores, models: stores.collections, close: () => lifecycle.close() };
}
