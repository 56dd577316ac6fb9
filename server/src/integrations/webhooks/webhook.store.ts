/** The only code that touches the webhook collections (webhook.model.ts). */
import { Types } from 'mongoose';
import type { Webhook, WebhookDelivery, WebhookEvent } from '@booking/shared';
import { objectIdOrNull } from '../../infra/ids';
import type { WebhookAttemptDoc, WebhookEndpointDoc, WebhookEventDoc, WebhookModels } from './webhook.model';

export type NewWebhookEvent = Pick<
  WebhookEventDoc,
  '_id' | 'endpointId' | 'resourceId' | 'version' | 'eventAt' | 'type' | 'messageId' | 'body'
>;

export interface WebhookStore {
  create(e: {
    url: string;
    events: WebhookEvent[];
    description: string;
    secret: string;
    at: Date;
  }): Promise<WebhookEndpointDoc>;
  list(): Promise<WebhookEndpointDoc[]>;
  get(id: string): Promise<WebhookEndpointDoc | null>;
  /** The endpoint and every event not delivered yet; false when there was none. */
  remove(id: string): Promise<boolean>;
  /** Endpoints that are not disabled. */
  active(): Promise<WebhookEndpointDoc[]>;
  /** Writes events not written yet (a repeated fan-out is a no-op); resolves with how many were new. */
  addEvents(events: NewWebhookEvent[], at: Date): Promise<number>;
  /** The first pending event of every stream whose turn it is (due, not held by a live lease), on active endpoints. */
  dueHeads(now: Date, limit: number): Promise<WebhookEventDoc[]>;
  /** Takes an event for `leaseMs` (null when another dispatcher has it or it is no longer pending). */
  claim(id: string, now: Date, leaseMs: number): Promise<WebhookEventDoc | null>;
  delivered(id: string, attempts: number, at: Date): Promise<void>;
  retryLater(id: string, attempts: number, firstAttemptAt: Date, next: Date): Promise<void>;
  failed(id: string, attempts: number, firstAttemptAt: Date, at: Date): Promise<void>;
  logAttempt(a: Omit<WebhookAttemptDoc, '_id'>): Promise<void>;
  /** A success: the endpoint is not failing. */
  succeeded(endpointId: Types.ObjectId): Promise<void>;
  /** A failure: `failingSince` set if unset; disabled once it is `disableAfterMs` old. Resolves with the endpoint. */
  failedAttempt(endpointId: Types.ObjectId, at: Date, disableAfterMs: number): Promise<WebhookEndpointDoc | null>;
  deliveries(id: string, limit: number): Promise<WebhookDelivery[]>;
  /** Every event of the endpoint since `since` goes again (original ids); resolves with how many. */
  replay(id: string, since: Date, at: Date): Promise<number>;
  /** Endpoints disabled, and failing now (the dashboard's figure). */
  failingCount(): Promise<number>;
}

export function toWebhook(doc: WebhookEndpointDoc): Webhook {
  return {
    id: doc._id.toHexString(),
    url: doc.url,
    events: doc.events,
    description: doc.description,
    createdAt: doc.createdAt.toISOString(),
    ...(doc.disabledAt ? { disabledAt: doc.disabledAt.toISOString() } : {}),
    ...(doc.failingSince ? { failingSince: doc.failingSince.toISOString() } : {}),
  };
}

export function createWebhookStore(m: WebhookModels): WebhookStore {
  const { endpoints, events, attempts } = m;
  const done = (id: string, state: 'delivered' | 'failed', n: number, at: Date, first?: Date) =>
    events.updateOne(
      { _id: id },
      { $set: { state, attempts: n, doneAt: at, lockedUntil: null, ...(first ? { firstAttemptAt: first } : {}) } },
    );
  return {
    async create(e) {
      const doc = await endpoints.create({ ...e, createdAt: e.at, disabledAt: null, failingSince: null });
      return doc.toObject<WebhookEndpointDoc>();
    },
    list: () => endpoints.find().sort({ createdAt: 1 }).lean<WebhookEndpointDoc[]>(),
    async get(id) {
      const oid = objectIdOrNull(id);
      return oid ? endpoints.findById(oid).lean<WebhookEndpointDoc>() : null;
    },
    async remove(id) {
      const oid = objectIdOrNull(id);
      if (!oid) return false;
      const res = await endpoints.deleteOne({ _id: oid });
      await events.deleteMany({ endpointId: oid, state: 'pending' });
      return res.deletedCount > 0;
    },
    active: () => endpoints.find({ disabledAt: null }).lean<WebhookEndpointDoc[]>(),
    async addEvents(list, at) {
      if (list.length === 0) return 0;
      const res = await events.bulkWrite(
        list.map((e) => ({
          updateOne: {
            filter: { _id: e._id },
            update: {
              $setOnInsert: {
                ...e,
                state: 'pending',
                attempts: 0,
                firstAttemptAt: null,
                nextAttemptAt: at,
                lockedUntil: null,
                doneAt: null,
              },
            },
            upsert: true,
          },
        })),
        { ordered: false },
      );
      return res.upsertedCount;
    },
    async dueHeads(now, limit) {
      const live = (await endpoints.find({ disabledAt: null }, { _id: 1 }).lean<Array<{ _id: Types.ObjectId }>>()).map(
        (e) => e._id,
      );
      if (live.length === 0) return [];
      return events.aggregate<WebhookEventDoc>([
        { $match: { state: 'pending', endpointId: { $in: live } } },
        { $sort: { state: 1, endpointId: 1, resourceId: 1, version: 1, eventAt: 1, _id: 1 } },
        { $group: { _id: { e: '$endpointId', r: '$resourceId' }, head: { $first: '$$ROOT' } } },
        { $replaceRoot: { newRoot: '$head' } },
        { $match: { nextAttemptAt: { $lte: now }, $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] } },
        { $sort: { eventAt: 1 } },
        { $limit: limit },
      ]);
    },
    claim: (id, now, leaseMs) =>
      events
        .findOneAndUpdate(
          { _id: id, state: 'pending', $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] },
          { $set: { lockedUntil: new Date(now.getTime() + leaseMs) } },
          { new: true },
        )
        .lean<WebhookEventDoc>(),
    async delivered(id, n, at) {
      await done(id, 'delivered', n, at);
    },
    async retryLater(id, n, first, next) {
      await events.updateOne(
        { _id: id },
        { $set: { attempts: n, firstAttemptAt: first, nextAttemptAt: next, lockedUntil: null } },
      );
    },
    async failed(id, n, first, at) {
      await done(id, 'failed', n, at, first);
    },
    async logAttempt(a) {
      await attempts.collection.insertOne({ _id: new Types.ObjectId(), ...a }, { ignoreUndefined: true });
    },
    async succeeded(endpointId) {
      await endpoints.updateOne({ _id: endpointId, failingSince: { $ne: null } }, { $set: { failingSince: null } });
    },
    async failedAttempt(endpointId, at, disableAfterMs) {
      await endpoints.updateOne({ _id: endpointId, failingSince: null }, { $set: { failingSince: at } });
      const cutoff = new Date(at.getTime() - disableAfterMs);
      return endpoints
        .findOneAndUpdate(
          { _id: endpointId, disabledAt: null, failingSince: { $lte: cutoff } },
          { $set: { disabledAt: at } },
          { new: true },
        )
        .lean<WebhookEndpointDoc>();
    },
    async deliveries(id, limit) {
      const oid = objectIdOrNull(id);
      if (!oid) return [];
      const rows = await attempts
        .find({ endpointId: oid })
        .sort({ at: -1, _id: -1 })
        .limit(limit)
        .lean<WebhookAttemptDoc[]>();
      return rows.map((r) => ({
        webhookId: r.messageId,
        type: r.type,
        attempt: r.attempt,
        at: r.at.toISOString(),
        status: r.status ?? null,
        ...(r.error ? { error: r.error } : {}),
        durationMs: r.durationMs,
      }));
    },
    async replay(id, since, at) {
      const oid = objectIdOrNull(id);
      if (!oid) return 0;
      const res = await events.updateMany(
        { endpointId: oid, eventAt: { $gte: since }, state: { $ne: 'pending' } },
        {
          $set: {
            state: 'pending',
            attempts: 0,
            firstAttemptAt: null,
            nextAttemptAt: at,
            lockedUntil: null,
            doneAt: null,
          },
        },
      );
      const pending = await events.countDocuments({ endpointId: oid, eventAt: { $gte: since }, state: 'pending' });
      return Math.max(pending, res.modifiedCount);
    },
    failingCount: () =>
      endpoints.countDocuments({ $or: [{ disabledAt: { $ne: null } }, { failingSince: { $ne: null } }] }),
  };
}
