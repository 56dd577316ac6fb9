/**
 * (v3) Entries of the API registry for webhooks (engineer B's part of issue 28): the `/admin`
 * `webhook:*` commands (staff only; managers FORBIDDEN).
 */
import { z } from 'zod';
import * as S from '@booking/shared';
import type { RouteDoc } from './api.routes';
import type { CommandDoc } from './api.v3-commands';
import * as O from './wire.schemas';

const WebhookOut = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(S.WebhookEventSchema),
  description: z.string(),
  createdAt: z.string(),
  disabledAt: z.string().optional(),
  failingSince: z.string().optional(),
});

const DeliveryOut = z.object({
  webhookId: z.string(),
  type: S.WebhookEventSchema,
  attempt: z.number().int(),
  at: z.string(),
  status: z.number().int().nullable(),
  error: z.string().optional(),
  durationMs: z.number(),
});

/** A webhook id for the examples; the contract test swaps in a real one. */
export const EXAMPLE_WEBHOOK_ID = '665f1c2e8b3a4d0012345608';

export const webhookCommands = {
  'webhook:create': {
    summary:
      'Registers an endpoint (`https://`, not resolving to a loopback, private or link-local address unless ' +
      '`WEBHOOK_ALLOW_PRIVATE=1`); `secret` (`whsec_…`) signs every delivery and is in this answer only.',
    payload: S.WebhookCreate,
    data: z.object({ webhook: WebhookOut, secret: z.string() }),
    errors: ['FORBIDDEN'],
    example: {
      url: 'https://203.0.113.10/hooks/booking',
      events: ['booking.created', 'booking.cancelled'],
      description: 'HR',
    },
  },
  'webhook:list': {
    summary: 'Every endpoint, oldest first, with `failingSince` and `disabledAt` (failing every attempt for 24 h).',
    payload: S.WebhookList,
    data: z.object({ webhooks: z.array(WebhookOut) }),
    errors: ['FORBIDDEN'],
    example: {},
  },
  'webhook:delete': {
    summary: 'Deletes an endpoint; its undelivered events are dropped.',
    payload: S.WebhookDelete,
    data: O.EmptyOut,
    errors: ['FORBIDDEN', 'NOT_FOUND'],
    example: { id: EXAMPLE_WEBHOOK_ID },
  },
  'webhook:deliveries': {
    summary: 'The endpoint’s delivery attempts, newest first (`status` null when no answer came; limit default 50).',
    payload: S.WebhookDeliveries,
    data: z.object({ deliveries: z.array(DeliveryOut) }),
    errors: ['FORBIDDEN', 'NOT_FOUND'],
    example: { id: EXAMPLE_WEBHOOK_ID, limit: 20 },
  },
  'webhook:replay': {
    summary: 'Sends again every event of the endpoint since `since`, in order, with their original `webhook-id`s.',
    payload: S.WebhookReplay,
    data: z.object({ queued: z.number().int() }),
    errors: ['FORBIDDEN', 'NOT_FOUND'],
    example: { id: EXAMPLE_WEBHOOK_ID, since: '2026-12-01T00:00:00Z' },
  },
} as const satisfies Record<string, CommandDoc>;

const who = 'Staff, or an API key with `webhooks:manage`.';

/** (v3) The HTTP form of the webhook commands (`api.routes.ts` spreads them). */
export const webhookRoutes: readonly RouteDoc[] = [
  {
    method: 'post',
    path: '/api/webhooks',
    summary: `Registers an endpoint as \`webhook:create\`; \`secret\` is in this answer only. ${who}`,
    auth: 'staff',
    body: S.WebhookCreate,
    ok: { status: 201, schema: z.object({ webhook: WebhookOut, secret: z.string() }), description: 'created' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'FORBIDDEN'],
  },
  {
    method: 'get',
    path: '/api/webhooks',
    summary: `Every endpoint, as \`webhook:list\`. ${who}`,
    auth: 'staff',
    ok: { status: 200, schema: z.object({ webhooks: z.array(WebhookOut) }), description: 'the endpoints' },
    errors: ['UNAUTHORIZED', 'FORBIDDEN'],
  },
  {
    method: 'delete',
    path: '/api/webhooks/:id',
    summary: `Deletes an endpoint, as \`webhook:delete\`. ${who}`,
    auth: 'staff',
    ok: { status: 204, schema: null, description: 'deleted' },
    errors: ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/webhooks/:id/deliveries',
    summary: `The endpoint's attempts, newest first (\`?limit\`), as \`webhook:deliveries\`. ${who}`,
    auth: 'staff',
    ok: { status: 200, schema: z.object({ deliveries: z.array(DeliveryOut) }), description: 'the attempts' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/webhooks/:id/replay',
    summary: `Sends again every event since \`since\` with their original \`webhook-id\`s, as \`webhook:replay\`. ${who}`,
    auth: 'staff',
    body: z.object({ since: z.string() }),
    ok: { status: 200, schema: z.object({ queued: z.number().int() }), description: 'how many events go again' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND'],
  },
];
