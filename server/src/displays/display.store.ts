/** (v3) Reads and writes of the `displays` collection. */
import { Types } from 'mongoose';
import type { Display } from '@booking/shared';
import { objectIdOrNull } from '../infra/ids';
import type { DisplayDoc, DisplayModel } from './display.model';

/** At most this many displays are listed (newest first, the ones still working before the revoked). */
const LIST_LIMIT = 500;

export interface DisplayStore {
  insert(d: Omit<DisplayDoc, '_id' | 'lastSeenAt' | 'revokedAt'> & { _id: Types.ObjectId }): Promise<DisplayDoc>;
  byTokenHash(tokenHash: string): Promise<DisplayDoc | null>;
  byId(id: string): Promise<DisplayDoc | null>;
  list(): Promise<DisplayDoc[]>;
  /** Stamps `revokedAt` once (a repeat keeps the first); null when there is no such display. */
  revoke(id: string, at: Date): Promise<DisplayDoc | null>;
  /** Revokes every display of a resource (it was deleted); answers their ids. */
  revokeForResource(resourceId: string, at: Date): Promise<string[]>;
  touch(id: string, at: Date): Promise<void>;
  /** Of `ids`, those revoked or gone. */
  revokedAmong(ids: readonly string[]): Promise<Set<string>>;
}

export function toWireDisplay(doc: DisplayDoc): Display {
  return {
    id: doc._id.toHexString(),
    resourceId: doc.resourceId.toHexString(),
    name: doc.name,
    createdAt: doc.createdAt.toISOString(),
    ...(doc.lastSeenAt ? { lastSeenAt: doc.lastSeenAt.toISOString() } : {}),
    ...(doc.revokedAt ? { revokedAt: doc.revokedAt.toISOString() } : {}),
  };
}

export function createDisplayStore(model: DisplayModel): DisplayStore {
  return {
    async insert(d) {
      const doc = await model.create(d);
      return doc.toObject();
    },
    byTokenHash: (tokenHash) => model.findOne({ tokenHash }).lean<DisplayDoc>(),
    async byId(id) {
      const oid = objectIdOrNull(id);
      return oid ? model.findById(oid).lean<DisplayDoc>() : null;
    },
    async list() {
      // Working ones first (no `revokedAt` sorts first ascending), newest first within each.
      return model.find({}).sort({ revokedAt: 1, createdAt: -1, _id: -1 }).limit(LIST_LIMIT).lean<DisplayDoc[]>();
    },
    async revoke(id, at) {
      const oid = objectIdOrNull(id);
      if (!oid) return null;
      const stamped = await model
        .findOneAndUpdate({ _id: oid, revokedAt: { $exists: false } }, { $set: { revokedAt: at } }, { new: true })
        .lean<DisplayDoc>();
      return stamped ?? model.findById(oid).lean<DisplayDoc>();
    },
    async revokeForResource(resourceId, at) {
      const oid = objectIdOrNull(resourceId);
      if (!oid) return [];
      const docs = await model
        .find({ resourceId: oid, revokedAt: { $exists: false } }, { _id: 1 })
        .lean<DisplayDoc[]>();
      if (docs.length === 0) return [];
      await model.updateMany(
        { _id: { $in: docs.map((d) => d._id) }, revokedAt: { $exists: false } },
        { $set: { revokedAt: at } },
      );
      return docs.map((d) => d._id.toHexString());
    },
    async touch(id, at) {
      const oid = objectIdOrNull(id);
      if (oid) await model.updateOne({ _id: oid }, { $set: { lastSeenAt: at } });
    },
    async revokedAmong(ids) {
      const oids = ids.flatMap((id) => {
        const oid = objectIdOrNull(id);
        return oid ? [oid] : [];
      });
      const working = await model
        .find({ _id: { $in: oids }, revokedAt: { $exists: false } }, { _id: 1 })
        .lean<Array<Pick<DisplayDoc, '_id'>>>();
      const alive = new Set(working.map((d) => d._id.toHexString()));
      return new Set(ids.filter((id) => !alive.has(id)));
    },
  };
}
