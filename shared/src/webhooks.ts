/**
 * (v3) Webhooks (docs/protocol.md "Webhooks (v3)"): endpoints staff register, the events they
 * subscribe to, and the delivery log. Deliveries are signed with the Standard Webhooks scheme;
 * the secret (`whsec_<base64>`) is in the create answer only.
 */
import { z } from 'zod';
import { Id, Instant } from './schemas';

export const WEBHOOK_EVENTS = [
  'booking.created',
  'booking.cancelled',
  'booking.modified',
  'booking.checkedIn',
  'booking.released',
  'booking.requested',
  'booking.approved',
  'booking.declined',
  'booking.expired',
  'waitlist.offered',
  'resource.updated',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const WebhookEventSchema = z.enum(WEBHOOK_EVENTS);

/** The prefix of every webhook signing secret (Standard Webhooks). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** An endpoint as `webhook:list` shows it (never its secret). Times are ISO UTC. */
export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  description: string;
  createdAt: string;
  /** Set when it failed every attempt for 24 hours: nothing more is sent to it. */
  disabledAt?: string;
  /** The first failed attempt since its last success. */
  failingSince?: string;
}

/** One attempt of one event to one endpoint (`webhook:deliveries`, newest first). */
export interface WebhookDelivery {
  /** The event's `webhook-id` header: the same on every attempt and replay of one event. */
  webhookId: string;
  type: WebhookEvent;
  attempt: number;
  at: string;
  /** The HTTP status answered, or null when none came (refused, timed out, unreachable). */
  status: number | null;
  error?: string;
  durationMs: number;
}

/** `webhook:create` (admin, staff only) and `POST /api/webhooks`. */
export const WebhookCreate = z.object({
  url: z.url().max(2000),
  events: z.array(WebhookEventSchema).min(1).max(WEBHOOK_EVENTS.length),
  description: z.string().trim().max(200).optional(),
});
export type WebhookCreate = z.infer<typeof WebhookCreate>;

export const WebhookList = z.strictObject({});
export const WebhookDelete = z.object({ id: Id });
export const WebhookDeliveries = z.object({ id: Id, limit: z.number().int().min(1).max(1000).optional() });
export const WebhookReplay = z.object({ id: Id, since: Instant });
