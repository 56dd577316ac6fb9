/**
 * What staff do with webhook endpoints (the `/admin` `webhook:*` commands and `/api/webhooks`):
 * register one (its URL checked against the SSRF rules, a new secret shown once), list, delete,
 * read its delivery log, replay its events since an instant. Delivery itself is the notifier's
 * (webhook.dispatcher.ts); a replay only marks events pending again and the dispatcher's next poll
 * (at most a second later) sends them.
 */
import { ErrorCode } from '@booking/shared';
import type { Webhook, WebhookCreate, WebhookDelivery } from '@booking/shared';
import type { Clock } from '../../infra/clock';
import { AppError } from '../../infra/errors';
import { newSecret } from './webhook.sign';
import { checkTargetResolves, checkTargetUrl } from './webhook.ssrf';
import type { TargetPolicy } from './webhook.ssrf';
import { toWebhook } from './webhook.store';
import type { WebhookStore } from './webhook.store';

export interface WebhookService {
  create(input: WebhookCreate): Promise<{ webhook: Webhook; secret: string }>;
  list(): Promise<Webhook[]>;
  remove(id: string): Promise<void>;
  deliveries(id: string, limit?: number): Promise<WebhookDelivery[]>;
  replay(id: string, since: Date): Promise<number>;
  /** Endpoints failing or disabled (the dashboard's `webhooksFailing`). */
  failing(): Promise<number>;
}

export function createWebhookService(deps: {
  store: WebhookStore;
  clock: Clock;
  policy: TargetPolicy;
}): WebhookService {
  const { store, clock, policy } = deps;
  const existing = async (id: string) => {
    const doc = await store.get(id);
    if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such webhook');
    return doc;
  };
  return {
    async create(input) {
      const url = checkTargetUrl(input.url, policy);
      await checkTargetResolves(url, policy);
      const secret = newSecret();
      const doc = await store.create({
        url: url.toString(),
        events: [...new Set(input.events)],
        description: input.description ?? '',
        secret,
        at: clock.now(),
      });
      return { webhook: toWebhook(doc), secret };
    },
    list: async () => (await store.list()).map(toWebhook),
    async remove(id) {
      if (!(await store.remove(id))) throw new AppError(ErrorCode.NOT_FOUND, 'no such webhook');
    },
    async deliveries(id, limit) {
      await existing(id);
      return store.deliveries(id, limit ?? 50);
    },
    async replay(id, since) {
      await existing(id);
      return store.replay(id, since, clock.now());
    },
    failing: () => store.failingCount(),
  };
}
