/**
 * The webhook sender's place in the notifier (`npm run notifier`): the collections, the sender
 * (SSRF policy from `WEBHOOK_ALLOW_PRIVATE`) and the dispatcher, whose `fanOut` the outbox relay
 * calls for every entry it hands over. Started before the relay's first pass, stopped after it.
 */
import type { Connection } from 'mongoose';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { Lifecycle } from '../../infra/process';
import { createWebhookDispatcher } from './webhook.dispatcher';
import type { WebhookDispatcher, WebhookDispatcherOptions } from './webhook.dispatcher';
import { registerWebhookModels } from './webhook.model';
import { createWebhookSender } from './webhook.sender';
import { targetPolicyFromEnv } from './webhook.ssrf';
import { createWebhookStore } from './webhook.store';

export type WebhookTuning = Partial<
  Pick<WebhookDispatcherOptions, 'leaseMs' | 'pollMs' | 'retryWindowMs' | 'concurrency'>
> & {
  /** Overrides `WEBHOOK_ALLOW_PRIVATE` (tests). */
  allowPrivate?: boolean;
  /** The attempt timeout (default 10 s). */
  timeoutMs?: number;
};

export async function startWebhookDelivery(ctx: {
  conn: Connection;
  clock: Clock;
  logger: Logger;
  lifecycle: Lifecycle;
  tuning?: WebhookTuning;
}): Promise<WebhookDispatcher> {
  const { tuning = {} } = ctx;
  // The collections and their indexes were built when the connection opened (registerCollections
  // in data.ts, then connectMongo): `Model.init()` builds nothing with autoIndex off.
  const store = createWebhookStore(registerWebhookModels(ctx.conn));
  const policy = { allowPrivate: tuning.allowPrivate ?? targetPolicyFromEnv().allowPrivate };
  const dispatcher = createWebhookDispatcher({
    store,
    sender: createWebhookSender({ policy, ...(tuning.timeoutMs ? { timeoutMs: tuning.timeoutMs } : {}) }),
    clock: ctx.clock,
    logger: ctx.logger,
    ...(tuning.leaseMs ? { leaseMs: tuning.leaseMs } : {}),
    ...(tuning.pollMs ? { pollMs: tuning.pollMs } : {}),
    ...(tuning.retryWindowMs ? { retryWindowMs: tuning.retryWindowMs } : {}),
    ...(tuning.concurrency ? { concurrency: tuning.concurrency } : {}),
  });
  ctx.lifecycle.onStop('webhook dispatcher', () => dispatcher.stop());
  await dispatcher.start();
  return dispatcher;
}
