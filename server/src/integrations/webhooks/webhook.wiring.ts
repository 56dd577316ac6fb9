/** (v3) The node's webhook parts (one call in the node's wiring): the admin service on the node's connection. */
import type { Connection } from 'mongoose';
import type { Clock } from '../../infra/clock';
import { registerWebhookModels } from './webhook.model';
import { createWebhookService } from './webhook.service';
import type { WebhookService } from './webhook.service';
import { targetPolicyFromEnv } from './webhook.ssrf';
import { createWebhookStore } from './webhook.store';

export function webhookServiceFor(conn: Connection, clock: Clock): WebhookService {
  return createWebhookService({
    store: createWebhookStore(registerWebhookModels(conn)),
    clock,
    policy: targetPolicyFromEnv(),
  });
}
