/**
 * The webhook collections. `webhook_endpoints`: what staff registered (the secret is kept: it signs
 * every delivery). `webhook_events`: one document per (endpoint, event), written by the relay's
 * fan-out with a deterministic id, carrying its own delivery state; the events of one
 * (endpoint, resource) form a stream in commit order (resource version, then commit time), and
 * only a stream's first pending event is ever attempted. `webhook_attempts`: the delivery log.
 * Every piece of state lives here, so a `kill -9` of the notifier loses nothing.
 */
import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';
import { WEBHOOK_EVENTS } from '@booking/shared';
import type { WebhookEvent } from '@booking/shared';

export interface WebhookEndpointDoc {
  _id: Types.ObjectId;
  url: string;
  events: WebhookEvent[];
  description: string;
  secret: string;
  createdAt: Date;
  disabledAt: Date | null;
  failingSince: Date | null;
}

export type WebhookEventState = 'pending' | 'delivered' | 'failed';

export interface WebhookEventDoc {
  /** `<endpointId>:<event key>`: a fan-out repeated after a crash writes nothing new. */
  _id: string;
  endpointId: Types.ObjectId;
  /** The stream: events of one resource go to one endpoint in this order. */
  resourceId: Types.ObjectId;
  version: number;
  /** When the change committed (its outbox entry's `createdAt`). */
  eventAt: Date;
  type: WebhookEvent;
  /** The `webhook-id` header. */
  messageId: string;
  /** The JSON body, the same bytes on every attempt. */
  body: string;
  state: WebhookEventState;
  attempts: number;
  firstAttemptAt: Date | null;
  nextAttemptAt: Date;
  /** A dispatcher holds it until then (a crashed one's lease simply runs out). */
  lockedUntil: Date | null;
  doneAt: Date | null;
}

export interface WebhookAttemptDoc {
  _id: Types.ObjectId;
  endpointId: Types.ObjectId;
  messageId: string;
  type: WebhookEvent;
  attempt: number;
  at: Date;
  status: number | null;
  error?: string;
  durationMs: number;
}

/** Delivered or failed events and the log are kept 30 days. */
export const WEBHOOK_RETENTION_SEC = 30 * 24 * 3600;

const endpointSchema = new Schema<WebhookEndpointDoc>(
  {
    url: { type: String, required: true },
    events: { type: [String], enum: WEBHOOK_EVENTS, required: true },
    description: { type: String, default: '' },
    secret: { type: String, required: true },
    createdAt: { type: Date, required: true },
    disabledAt: { type: Date, default: null },
    failingSince: { type: Date, default: null },
  },
  { collection: 'webhook_endpoints', versionKey: false },
);

const eventSchema = new Schema<WebhookEventDoc>(
  {
    _id: { type: String, required: true },
    endpointId: { type: Schema.Types.ObjectId, required: true },
    resourceId: { type: Schema.Types.ObjectId, required: true },
    version: { type: Number, required: true },
    eventAt: { type: Date, required: true },
    type: { type: String, enum: WEBHOOK_EVENTS, required: true },
    messageId: { type: String, required: true },
    body: { type: String, required: true },
    state: { type: String, enum: ['pending', 'delivered', 'failed'], required: true },
    attempts: { type: Number, default: 0 },
    firstAttemptAt: { type: Date, default: null },
    nextAttemptAt: { type: Date, required: true },
    lockedUntil: { type: Date, default: null },
    doneAt: { type: Date, default: null },
  },
  { collection: 'webhook_events', versionKey: false },
);
// A stream's head: the first pending event of (endpoint, resource) in commit order.
eventSchema.index({ state: 1, endpointId: 1, resourceId: 1, version: 1, eventAt: 1, _id: 1 });
eventSchema.index({ endpointId: 1, eventAt: 1 });
eventSchema.index({ doneAt: 1 }, { expireAfterSeconds: WEBHOOK_RETENTION_SEC, name: 'doneAt_ttl' });

const attemptSchema = new Schema<WebhookAttemptDoc>(
  {
    endpointId: { type: Schema.Types.ObjectId, required: true },
    messageId: { type: String, required: true },
    type: { type: String, required: true },
    attempt: { type: Number, required: true },
    at: { type: Date, required: true },
    status: { type: Number, default: null },
    error: { type: String, required: false },
    durationMs: { type: Number, required: true },
  },
  { collection: 'webhook_attempts', versionKey: false },
);
// An endpoint's latest attempts (`webhook:deliveries`), in the read's exact order: without `_id`
// the tie-break sort read every attempt of the endpoint kept (30 days) before its limit.
attemptSchema.index({ endpointId: 1, at: -1, _id: -1 });
attemptSchema.index({ at: 1 }, { expireAfterSeconds: WEBHOOK_RETENTION_SEC, name: 'at_ttl' });

export interface WebhookModels {
  endpoints: Model<WebhookEndpointDoc>;
  events: Model<WebhookEventDoc>;
  attempts: Model<WebhookAttemptDoc>;
}

/**
 * Registers the three models on a connection (idempotent). registerCollections (data.ts) does it
 * before connectMongo builds the collections and indexes; the webhook parts get the models again.
 */
export function registerWebhookModels(conn: Connection): WebhookModels {
  const get = <T>(name: string, schema: Schema<T>): Model<T> =>
    (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema);
  return {
    endpoints: get('WebhookEndpoint', endpointSchema),
    events: get('WebhookEvent', eventSchema),
    attempts: get('WebhookAttempt', attemptSchema),
  };
}
