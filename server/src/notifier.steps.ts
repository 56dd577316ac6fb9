/**
 * The notifier's start-up steps, in the order `notifier.ts` runs them; each registers its stops in
 * the lifecycle as it starts, so stopping runs in reverse.
 */
import type { Collections, DataStores } from './data';
import { createBookingCore } from './booking-core';
import { createNodeMetrics } from './node/node-metrics';
import { bookingAfterCommit } from './booking-effects';
import { timedWithAfterCommit } from './booking/booking.effects';
import type { TimedCommands } from './booking/booking.effects';
import { createFeedInvalidation } from './calendar/calendar.invalidation';
import type { Clock } from './infra/clock';
import { NOTIFICATIONS_QUEUE, TIMERS_QUEUE } from './infra/channels';
import type { Config } from './infra/config';
import { listenHealth, startHealthProbe, storesHealthy } from './infra/health';
import type { Logger } from './infra/logger';
import { createSmtpMailer } from './infra/mailer';
import type { Mailer } from './infra/mailer';
import type { Lifecycle } from './infra/process';
import type { Queue } from 'bullmq';
import { openQueue } from './infra/queue';
import { createSocketEmitter } from './infra/socket-emitter';
import type { Stores } from './infra/stores';
import { emitterSlotBroadcast } from './transport/slot.broadcast';
import { createEmailVerificationStore } from './auth/email-verification.store';
import { startVerificationMailer } from './notifications/email-verification.mailer';
import type { NotificationJobData, RetryPolicy } from './notifications/notification.job';
import { createOutboxRelay } from './notifications/notification.relay';
import type { OutboxRelay } from './notifications/notification.relay';
import { createNotificationWorker } from './notifications/notification.worker';
import type { NotificationWorker, WorkerOptions } from './notifications/notification.worker';
import type { TimerJobData } from './notifications/timer.job';
import { createTimerScheduler } from './notifications/timer.scheduler';
import type { TimerScheduler } from './notifications/timer.scheduler';
import { createTimerWorker } from './notifications/timer.worker';
import { timerLockSettings } from './notifier.options';
import type { WebhookTuning } from './integrations/webhooks/webhook.notifier';
import type { WebhookDispatcher } from './integrations/webhooks/webhook.dispatcher';

/** What every step is given: the options, the opened stores and the process's shared parts. */
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
  /** (v3) Webhook delivery tuning (tests): lease, poll, retry window, SSRF override. */
  webhooks?: WebhookTuning;
}

export interface NotifierContext {
  opts: NotifierOptions;
  config: Config;
  logger: Logger;
  lifecycle: Lifecycle;
  clock: Clock;
  retry: RetryPolicy;
  stores: Stores<Collections>;
  data: DataStores;
}

/** Mailer → notification queue → notification worker. */
export function startMailing(ctx: NotifierContext): {
  mailer: Mailer;
  queue: Queue<NotificationJobData>;
  worker: NotificationWorker;
} {
  const { opts, config, logger, lifecycle, stores, data } = ctx;
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
  const worker = createNotificationWorker({
    connection: redis.bullmqOptions,
    names,
    users: data.users,
    resources: data.resources,
    sent: data.sent,
    outbox: data.outbox,
    retry: ctx.retry,
    mailer,
    emitter: createSocketEmitter({ redis, names, logger }),
    mailFrom: config.mailFrom,
    publicUrl: config.publicUrl,
    logger,
    clock: ctx.clock,
    ...opts.worker,
  });
  lifecycle.onStop('worker', () => worker.close());
  return { mailer, queue, worker };
}

/** The timer queue and its scheduler (not started yet: the relay hands it work first). */
export function openTimerScheduler(ctx: NotifierContext): TimerScheduler {
  const { opts, logger, lifecycle, stores, data } = ctx;
  const timerQueue = openQueue<TimerJobData>({
    name: TIMERS_QUEUE,
    connection: stores.redis.bullmqOptions,
    names: stores.names,
  });
  timerQueue.on('error', (err) => logger.warn({ err: err.message }, 'timer queue error'));
  lifecycle.onStop('timer queue', () => timerQueue.close());
  return createTimerScheduler({
    queue: timerQueue,
    bookings: data.bookings,
    resources: data.resources,
    reminderMs: ctx.config.reminderMs,
    clock: ctx.clock,
    logger,
    ...(opts.reconcileIntervalMs ? { reconcileIntervalMs: opts.reconcileIntervalMs } : {}),
  });
}

/** The outbox relay (not started yet), handing booking entries to the queue and their timers to the scheduler. */
export function createRelay(
  ctx: NotifierContext,
  queue: Queue<NotificationJobData>,
  scheduler: TimerScheduler,
  webhooks?: WebhookDispatcher,
): OutboxRelay {
  const { opts } = ctx;
  return createOutboxRelay({
    clock: ctx.clock,
    outbox: ctx.data.outbox,
    queue,
    sub: ctx.stores.redis.sub,
    names: ctx.stores.names,
    retry: ctx.retry,
    logger: ctx.logger,
    ...(opts.sweepIntervalMs ? { sweepIntervalMs: opts.sweepIntervalMs } : {}),
    ...(opts.rehandAfterMs ? { rehandAfterMs: opts.rehandAfterMs } : {}),
    timers: scheduler,
    ...(webhooks ? { webhooks } : {}),
  });
}

/**
 * The booking commands the timers run (the no-show release): the booking service on the same
 * stores, with the after-commit effects of a node and a relay pass of its own.
 */
export function releaseCommands(ctx: NotifierContext, relay: OutboxRelay): TimedCommands {
  const { logger, clock, config, stores, data } = ctx;
  const { redis, names } = stores;
  const core = createBookingCore({ config, stores, data, clock, logger, counters: createNodeMetrics() });
  const emitter = createSocketEmitter({ redis, names, logger });
  // After a release commits, as on a node (a subscribed calendar drops the booking on its next poll).
  return timedWithAfterCommit(
    core.bookingService,
    bookingAfterCommit(
      {
        availability: core.availability,
        relay: {
          name: 'relay pass',
          run: () => void relay.sweep().catch((err: unknown) => logger.warn({ err }, 'relay pass failed')),
        },
        feeds: createFeedInvalidation({ redis: redis.cmd, names, logger }),
        // The notifier has no directory (no node tells it of changes): each broadcast reads its
        // resource's access from the store (timers release a few bookings a minute).
        broadcast: emitterSlotBroadcast(
          emitter,
          clock,
          { peek: () => undefined, get: (id) => data.resources.get(id) },
          (err) => logger.warn({ err }, 'slot broadcast failed: its resource could not be read'),
        ),
      },
      { logger },
    ),
  );
}

/** The timer worker, then the relay and the scheduler started (their first passes run here). */
export async function startTimeDriven(
  ctx: NotifierContext,
  parts: { commands: TimedCommands; relay: OutboxRelay; scheduler: TimerScheduler },
): Promise<void> {
  const { lifecycle, opts } = ctx;
  const { relay, scheduler } = parts;
  const timers = createTimerWorker({
    connection: ctx.stores.redis.bullmqOptions,
    names: ctx.stores.names,
    commands: parts.commands,
    relay,
    logger: ctx.logger,
    clock: ctx.clock,
    ...timerLockSettings(opts.worker),
  });
  lifecycle.onStop('timer worker', () => timers.close());
  lifecycle.onStop('relay', () => relay.stop());
  await relay.start();
  lifecycle.onStop('scheduler', () => scheduler.stop());
  await scheduler.start();
}

/** Verification links (EMAIL_VERIFICATION): requests wait in MongoDB, so this only polls them. */
export function startVerificationMail(ctx: NotifierContext, mailer: Mailer): void {
  const verificationMailer = startVerificationMailer({
    verification: createEmailVerificationStore(ctx.stores.collections.User),
    mailer,
    publicUrl: ctx.config.publicUrl,
    clock: ctx.clock,
    logger: ctx.logger,
  });
  ctx.lifecycle.onStop('verification mailer', () => verificationMailer.stop());
}

/** The health listener, if `HEALTH_PORT` is set: last, so a probe sees the notifier ready only once all is up. */
export async function startNotifierHealth(ctx: NotifierContext): Promise<void> {
  const { config, logger, lifecycle, stores } = ctx;
  if (config.healthPort === null) return;
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
