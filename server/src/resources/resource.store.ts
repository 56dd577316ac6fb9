/**
 * The only code that touches the `resources` collection, including the fence: every transaction
 * that changes a resource's bookings bumps its `version` through `fence`, so two such
 * transactions always write the same document and cannot both commit on one snapshot.
 */
import type { ClientSession } from 'mongoose';
import { policyOrDefault } from '@booking/shared';
import type { Policy, Resource, ResourceAccess } from '@booking/shared';
import { objectIdOrNull } from '../infra/ids';
import type { ResourceDoc, ResourceModel } from './resource.model';

type WireFields = Pick<
  ResourceDoc,
  '_id' | 'name' | 'type' | 'description' | 'timeZone' | 'policy' | 'capacity' | 'seats' | 'access'
>;

export function toWireResource(doc: WireFields): Resource {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    type: doc.type,
    description: doc.description ?? '',
    timeZone: doc.timeZone ?? 'UTC',
    policy: policyOrDefault(doc.policy),
    capacity: doc.capacity ?? 1,
    seats: doc.seats ?? null,
    access: doc.access ?? null,
  };
}

/** What a new resource is made of (policy whole, already validated). */
export interface NewResource {
  name: string;
  type: string;
  description: string;
  timeZone: string;
  policy: Policy;
  capacity: number;
  seats: number | null;
  access: ResourceAccess | null;
}

export type ResourceFields = Partial<NewResource>;

/** What the booking rules need of a resource, as one transaction's snapshot sees it. */
export interface ResourceRules {
  timeZone: string;
  policy: Policy;
  /** Units that can be booked at once. */
  capacity: number;
  /** (v3) Who may view, book and manage it: its managers approve its requests. */
  access: ResourceAccess | null;
}

type RulesFields = Partial<Pick<ResourceDoc, 'timeZone' | 'policy' | 'capacity' | 'access'>>;
const RULES_PROJECTION = { timeZone: 1, policy: 1, capacity: 1, access: 1 } as const;
const rulesOf = (doc: RulesFields): ResourceRules => ({
  timeZone: doc.timeZone ?? 'UTC',
  policy: policyOrDefault(doc.policy),
  capacity: doc.capacity ?? 1,
  access: doc.access ?? null,
});

const WIRE_PROJECTION = {
  name: 1,
  type: 1,
  description: 1,
  timeZone: 1,
  policy: 1,
  capacity: 1,
  seats: 1,
  access: 1,
} as const;

export interface ResourceStore {
  list(): Promise<Resource[]>;
  /** One resource, or null. */
  get(id: string): Promise<Resource | null>;
  /** Inside a transaction: the zone and policy as its snapshot sees them; null when there is no such resource. */
  rules(id: string, session: ClientSession): Promise<ResourceRules | null>;
  insert(input: NewResource): Promise<Resource>;
  /** Null when there is no such resource; in a transaction when `session` is given. */
  update(id: string, set: ResourceFields, session?: ClientSession): Promise<Resource | null>;
  /**
   * Inside a transaction: bumps the fence (by `by`, default 1: one step per broadcast change, so
   * a series of n occurrences moves the version by n in one write) and returns the new version;
   * null when there is no such resource.
   */
  fence(id: string, session: ClientSession, by?: number): Promise<number | null>;
  /**
   * `fence` that also answers the zone and policy of the document it bumped: what the
   * transaction's snapshot holds (a concurrent settings change writes the same document, so it
   * conflicts with the bump). Saves a booking its separate read of the rules.
   */
  fenceWithRules(id: string, session: ClientSession): Promise<{ version: number; rules: ResourceRules } | null>;
  /**
   * (v3) Inside a transaction: writes the resource document without moving its version (a
   * waitlist counter), answering the snapshot's rules. A waitlist join and any change that frees
   * units both write the document, so they conflict and run one after the other: an entry never
   * starts waiting on a slot that a concurrent cancel has just freed.
   */
  touch(id: string, session: ClientSession): Promise<ResourceRules | null>;
  /** Inside a transaction (after `fence`). */
  delete(id: string, session: ClientSession): Promise<void>;
  /** The committed version, or null when there is no such resource. */
  version(id: string): Promise<number | null>;
  /** Every resource's id and its units (capacity). */
  capacities(): Promise<Map<string, number>>;
}

export function createResourceStore(resources: ResourceModel): ResourceStore {
  return {
    async list() {
      const docs = await resources.find({}, WIRE_PROJECTION).sort({ type: 1, name: 1 }).lean<WireFields[]>();
      return docs.map(toWireResource);
    },
    async get(id) {
      const _id = objectIdOrNull(id);
      const doc = _id ? await resources.findById(_id, WIRE_PROJECTION).lean<WireFields>() : null;
      return doc ? toWireResource(doc) : null;
    },
    async rules(id, session) {
      const _id = objectIdOrNull(id);
      // The driver directly, like `fence`: read in every booking transaction.
      const doc = _id
        ? await resources.collection.findOne<RulesFields>({ _id }, { session, projection: RULES_PROJECTION })
        : null;
      return doc ? rulesOf(doc) : null;
    },
    async insert(input) {
      return toWireResource((await resources.create(input)).toObject());
    },
    async update(id, set, session) {
      const _id = objectIdOrNull(id);
      const doc = _id
        ? await resources
            .findOneAndUpdate(
              { _id },
              { $set: set },
              { new: true, projection: WIRE_PROJECTION, session: session ?? null },
            )
            .lean<WireFields>()
        : null;
      return doc ? toWireResource(doc) : null;
    },
    async fence(id, session, by = 1) {
      const _id = objectIdOrNull(id);
      if (!_id) return null;
      // The driver directly: no mongoose query to build and cast on every booking's fence.
      const doc = await resources.collection.findOneAndUpdate(
        { _id },
        { $inc: { version: by } },
        { session, returnDocument: 'after', projection: { version: 1 } },
      );
      const version: unknown = doc?.version;
      return typeof version === 'number' ? version : null;
    },
    async fenceWithRules(id, session) {
      const _id = objectIdOrNull(id);
      if (!_id) return null;
      const doc = await resources.collection.findOneAndUpdate(
        { _id },
        { $inc: { version: 1 } },
        { session, returnDocument: 'after', projection: { version: 1, ...RULES_PROJECTION } },
      );
      if (!doc) return null;
      const fields = doc as RulesFields & Partial<Pick<ResourceDoc, 'version'>>;
      if (typeof fields.version !== 'number') return null;
      return { version: fields.version, rules: rulesOf(fields) };
    },
    async touch(id, session) {
      const _id = objectIdOrNull(id);
      if (!_id) return null;
      const doc = await resources.collection.findOneAndUpdate(
        { _id },
        { $inc: { waitlistSeq: 1 } },
        { session, returnDocument: 'after', projection: RULES_PROJECTION },
      );
      return doc ? rulesOf(doc as RulesFields) : null;
    },
    async delete(id, session) {
      await resources.deleteOne({ _id: objectIdOrNull(id) }, { session });
    },
    async version(id) {
      const _id = objectIdOrNull(id);
      const doc = _id ? await resources.findById(_id, { version: 1 }).lean<Pick<ResourceDoc, 'version'>>() : null;
      return doc ? doc.version : null;
    },
    async capacities() {
      const docs = await resources
        .find({}, { _id: 1, capacity: 1 })
        .lean<Array<Pick<ResourceDoc, '_id' | 'capacity'>>>();
      return new Map(docs.map((d) => [d._id.toHexString(), d.capacity ?? 1]));
    },
  };
}
