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
import { createBookingCore } from './booking-core';
import { createNodeMetrics } from './node/node-metrics';
import { bookingAfterCommit } from './booking-effects';
import { timedWithAfterCommit } from './booking/booking.effects';
import { createFeedInvalidation } from './calendar/calendar.invalidation';
import { systemClock } from './infra/clock';
import type { Clock } from './infra/clock';
import { NOTIFICATIONS_QUEUE, TIMERS_QUEUE } from './infra/channels';
import { listenHealth, startHealthProbe, storesHealthy } from './infra/health';
import { emitterSlotBroadcast } from './transport/slot.broadcast';
import type { TimerJobData } from './notifications/timer.job';
import { createTimerScheduler } from './notifications/timer.scheduler';
import type { TimerScheduler } from './notifications/timer.scheduler';
import { createTimerWorker } from './notifications/timer.worker';
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
import { redactUrl, timerLockSettings } from './notifier.options';
import { createEmailVerificationStore } from './auth/email-verification.store';
import { startVerificationMailer } from './notifications/email-verification.mailer';
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
  /** Where the scheduler and the no-show rules take time from (tests inject one). */
  clock?: Clock;
  /** The scheduler's reconciler interval (default 60 s). */
  reconcileIntervalMs?: number;
}

export interface Notifier {
  relay: OutboxRelay;
  scheduler: TimerScheduler;
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

  const { stores, data } = await openData({
    config,
    logger,
    appName: `${config.nodeId}:notifier`,
    lifecycle,
    ...(opts.dbName ? { dbName: opts.dbName } : {}),
  });
  const { redis, names } = stores;

  const mailer = createSmtpMailer({
    url: config.smtpUrl,
    from: config.mailFrom,
    logger,
    maxConnections: opts.worker?.sendConcurrency ?? 1,
  });
  lifecycle.onStop('mailer', () => mailer.close());
  const queue = openQueue<NotificationJobData>({ name: NOTIFICATIONS_QUEUE, connection: redis.bullmqOptions, names });
  queue.on('error', (err) => logger.warn({ err: err.message }, 'queue error'));
  lifecycle.onStop('queue', () => queue.close());
  const clock = opts.clock ?? systemClock;
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
    clock,
    ...opts.worker,
  });
  lifecycle.onStop('worker', () => worker.close());

  // Time-driven work: the booking service on the same stores, its effects, the timers.
  const emitter = createSocketEmitter({ redis, names, logger });
  const timerQueue = openQueue<TimerJobData>({ name: TIMERS_QUEUE, connection: redis.bullmqOptions, names });
  timerQueue.on('error', (err) => logger.warn({ err: err.message }, 'timer queue error'));
  lifecycle.onStop('timer queue', () => timerQueue.close());
  const scheduler = createTimerScheduler({
    queue: timerQueue,
    bookings: data.bookings,
    resources: data.resources,
    reminderMs: config.reminderMs,
    clock,
    logger,
    ...(opts.reconcileIntervalMs ? { reconcileIntervalMs: opts.reconcileIntervalMs } : {}),
  });
  const { availability, bookingService } = createBookingCore({
    config,
    stores,
    data,
    clock,
    logger,
    counters: createNodeMetrics(),
  });

  const relay = createOutboxRelay({
    clock,
    outbox: data.outbox,
    queue,
    sub: redis.sub,
    names,
    retry,
    logger,
    ...(opts.sweepIntervalMs ? { sweepIntervalMs: opts.sweepIntervalMs } : {}),
    ...(opts.rehandAfterMs ? { rehandAfterMs: opts.rehandAfterMs } : {}),
    timers: scheduler,
  });
  // After a release commits, as on a node (a subscribed calendar drops the booking on its next poll).
  const commands = timedWithAfterCommit(
    bookingService,
    bookingAfterCommit(
      {
        availability,
        relay: {
          name: 'relay pass',
          run: () => void relay.sweep().catch((err: unknown) => logger.warn({ err }, 'relay pass failed')),
        },
        feeds: createFeedInvalidation({ redis: redis.cmd, names, logger }),
        broadcast: emitterSlotBroadcast(emitter, clock),
      },
      { logger },
    ),
  );
  const timers = createTimerWorker({
    connection: redis.bullmqOptions,
    names,
    commands,
    relay,
    logger,
    clock,
    ...timerLockSettings(opts.worker),
  });
  lifecycle.onStop('timer worker', () => timers.close());
  lifecycle.onStop('relay', () => relay.stop());
  await relay.start();
  lifecycle.onStop('scheduler', () => scheduler.stop());
  await scheduler.start();
  // Verification links (EMAIL_VERIFICATION): requests wait in MongoDB, so this only polls them.
  const verificationMailer = startVerificationMailer({
    verification: createEmailVerificationStore(stores.collections.User),
    mailer,
    publicUrl: config.publicUrl,
    clock,
    logger,
  });
  lifecycle.onStop('verification mailer', () => verificationMailer.stop());
  if (config.healthPort !== null) {
    const probe = await startHealthProbe({ check: (timeoutMs) => storesHealthy(stores, timeoutMs), logger });
    lifecycle.onStop('health probe', () => probe.stop());
    const health = await listenHealth({
      port: config.healthPort,
      host: config.host,
      nodeId: config.nodeId,
      healthy: async () => probe.healthy(),
      logger,
    });
    lifecycle.onStop('health listener', () => health.close());
  }
  logger.info({ smtp: redactUrl(config.smtpUrl), retry, healthPort: config.healthPort }, 'notifier ready');

  return { relay, scheduler, worker, stores, models: stores.collections, close: () => lifecycle.close() };
}
