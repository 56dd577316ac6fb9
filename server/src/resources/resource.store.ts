/**
 * The only code that touches the `resources` collection, including the fence: every transaction
 * that changes a resource's bookings bumps its `version` through `fence`, so two such
 * transactions always write the same document and cannot both commit on one snapshot.
 */
import type { ClientSession } from 'mongoose';
import type { Resource, ResourceCreate } from '@booking/shared';
import { objectIdOrNull } from '../infra/ids';
import type { ResourceDoc, ResourceModel } from './resource.model';

export function toWireResource(doc: Pick<ResourceDoc, '_id' | 'name' | 'type' | 'description'>): Resource {
  return { id: doc._id.toHexString(), name: doc.name, type: doc.type, description: doc.description ?? '' };
}

export type ResourceFields = Partial<Pick<ResourceDoc, 'name' | 'type' | 'description'>>;

export interface ResourceStore {
  list(): Promise<Resource[]>;
  insert(input: ResourceCreate): Promise<Resource>;
  /** Null when there is no such resource. */
  update(id: string, set: ResourceFields): Promise<Resource | null>;
  /** Inside a transaction: bumps the fence and returns the new version; null when there is no such resource. */
  fence(id: string, session: ClientSession): Promise<number | null>;
  /** Inside a transaction (after `fence`). */
  delete(id: string, session: ClientSession): Promise<void>;
  /** The committed version, or null when there is no such resource. */
  version(id: string): Promise<number | null>;
  /** Names by resource id; ids that name nothing are left out. */
  names(ids: string[]): Promise<Map<string, string>>;
  ids(): Promise<string[]>;
}

export function createResourceStore(resources: ResourceModel): ResourceStore {
  return {
    async list() {
      const docs = await resources.find({}, { name: 1, type: 1, description: 1 }).sort({ type: 1, name: 1 }).lean<ResourceDoc[]>();
      return docs.map(toWireResource);
    },
    async insert(input) {
      const doc = await resources.create({ name: input.name, type: input.type, description: input.description ?? '' });
      return toWireResource(doc);
    },
    async update(id, set) {
      const _id = objectIdOrNull(id);
      const doc = _id ? await resources.findOneAndUpdate({ _id }, { $set: set }, { new: true }).lean<ResourceDoc>() : null;
      return doc ? toWireResource(doc) : null;
    },
    async fence(id, session) {
      const _id = objectIdOrNull(id);
      if (!_id) return null;
      const doc = await resources.findOneAndUpdate({ _id }, { $inc: { version: 1 } }, { session, new: true, projection: { version: 1 } }).lean<Pick<ResourceDoc, 'version'>>();
      return doc ? doc.version : null;
    },
    async delete(id, session) {
      await resources.deleteOne({ _id: objectIdOrNull(id) }, { session });
    },
    async version(id) {
      const _id = objectIdOrNull(id);
      const doc = _id ? await resources.findById(_id, { version: 1 }).lean<Pick<ResourceDoc, 'version'>>() : null;
      return doc ? doc.version : null;
    },
    async names(ids) {
      const oids = ids.flatMap((id) => {
        const oid = objectIdOrNull(id);
        return oid ? [oid] : [];
      });
      const docs = await resources.find({ _id: { $in: oids } }, { name: 1 }).lean<Array<Pick<ResourceDoc, '_id' | 'name'>>>();
      return new Map(docs.map((r) => [r._id.toHexString(), r.name]));
    },
    async ids() {
      const docs = await resources.find({}, { _id: 1 }).lean<Array<Pick<ResourceDoc, '_id'>>>();
      return docs.map((d) => d._id.toHexString());
    },
  };
}
