/**
 * (v3) `POST/GET/DELETE /api/webhooks` (plus an endpoint's deliveries and replay): staff people,
 * or API keys with `webhooks:manage`. The same service and answers as the `/admin` commands.
 */
import { Router } from 'express';
import type { RequestHandler } from 'express';
import { ErrorCode, Id, WebhookCreate, WebhookDeliveries, WebhookReplay } from '@booking/shared';
import { AppError } from '../../infra/errors';
import { parseOrThrow, principalOf } from '../../infra/http-kit';
import { requireCaller, requireScope } from '../api-access';
import type { ApiAccessDeps } from '../api-access';
import type { WebhookService } from './webhook.service';

export interface WebhookRouterDeps {
  access: ApiAccessDeps;
  webhooks: WebhookService;
}

const staffOnly: RequestHandler = (_req, res, next) => {
  if (principalOf(res).role !== 'staff') throw new AppError(ErrorCode.FORBIDDEN, 'staff only');
  next();
};

export function webhookRouter(deps: WebhookRouterDeps): Router {
  const router = Router();
  const { webhooks } = deps;
  const manage = [requireCaller(deps.access), requireScope('webhooks:manage'), staffOnly];
  const id = (raw: unknown) => parseOrThrow(Id, raw);

  router.post('/api/webhooks', ...manage, async (req, res) => {
    res.status(201).json(await webhooks.create(parseOrThrow(WebhookCreate, req.body)));
  });
  router.get('/api/webhooks', ...manage, async (_req, res) => {
    res.json({ webhooks: await webhooks.list() });
  });
  router.delete('/api/webhooks/:id', ...manage, async (req, res) => {
    await webhooks.remove(id(req.params.id));
    res.status(204).end();
  });
  router.get('/api/webhooks/:id/deliveries', ...manage, async (req, res) => {
    const limit = typeof req.query.limit === 'string' ? Number(req.query.limit) : undefined;
    const d = parseOrThrow(WebhookDeliveries, { id: req.params.id, ...(limit !== undefined ? { limit } : {}) });
    res.json({ deliveries: await webhooks.deliveries(d.id, d.limit) });
  });
  router.post('/api/webhooks/:id/replay', ...manage, async (req, res) => {
    const d = parseOrThrow(WebhookReplay, { ...(typeof req.body === 'object' ? req.body : {}), id: req.params.id });
    res.json({ queued: await webhooks.replay(d.id, d.since) });
  });
  return router;
}
