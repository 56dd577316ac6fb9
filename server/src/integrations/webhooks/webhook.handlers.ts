/** (v3) The `/admin` webhook commands: staff only (a manager is FORBIDDEN). */
import { WebhookCreate, WebhookDeliveries, WebhookDelete, WebhookList, WebhookReplay } from '@booking/shared';
import type { AdminCommandSet } from '../../admin/admin.handlers';
import type { WebhookService } from './webhook.service';

export function webhookCommandSet(webhooks: WebhookService): AdminCommandSet {
  return (on, scope) => {
    on('webhook:create', WebhookCreate, async (d, { principal }) => {
      scope.staffOnly(principal);
      return webhooks.create(d);
    });
    on('webhook:list', WebhookList, async (_d, { principal }) => {
      scope.staffOnly(principal);
      return { webhooks: await webhooks.list() };
    });
    on('webhook:delete', WebhookDelete, async (d, { principal }) => {
      scope.staffOnly(principal);
      await webhooks.remove(d.id);
      return {};
    });
    on('webhook:deliveries', WebhookDeliveries, async (d, { principal }) => {
      scope.staffOnly(principal);
      return { deliveries: await webhooks.deliveries(d.id, d.limit) };
    });
    on('webhook:replay', WebhookReplay, async (d, { principal }) => {
      scope.staffOnly(principal);
      return { queued: await webhooks.replay(d.id, d.since) };
    });
  };
}
