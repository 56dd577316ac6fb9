/** (v3) The only code that touches the `groups` collection (people's memberships are in `users`). */
import mongoose from 'mongoose';
import { ErrorCode } from '@booking/shared';
import type { Group } from '@booking/shared';
import { AppError } from '../infra/errors';
import { objectIdOrNull } from '../infra/ids';
import type { GroupDoc, GroupModel } from './group.model';

export function toWireGroup(doc: Pick<GroupDoc, '_id' | 'name' | 'externalId'>): Group {
  return { id: doc._id.toHexString(), name: doc.name, ...(doc.externalId ? { externalId: doc.externalId } : {}) };
}

export interface GroupStore {
  /** INVALID_STATE when another group has that `externalId`. */
  create(input: { name: string; externalId?: string }): Promise<Group>;
  /** `externalId: null` removes it. NOT_FOUND when there is no such group; INVALID_STATE on a taken `externalId`. */
  update(id: string, patch: { name?: string; externalId?: string | null }): Promise<Group>;
  /** False when there is no such group. */
  remove(id: string): Promise<boolean>;
  list(): Promise<Group[]>;
  /** The groups among these ids (unknown ids are left out). */
  byIds(ids: string[]): Promise<Group[]>;
  /** Every group that has an `externalId` (the ones a sign-in sets). */
  external(): Promise<Group[]>;
}

const taken = (err: unknown): never => {
  if (err instanceof mongoose.mongo.MongoServerError && err.code === 11000) {
    throw new AppError(ErrorCode.INVALID_STATE, 'another group has that externalId', { cause: err });
  }
  throw err;
};

export function createGroupStore(groups: GroupModel): GroupStore {
  return {
    async create(input) {
      const doc = await groups.create(input).catch(taken);
      return toWireGroup(doc);
    },
    async update(id, patch) {
      const _id = objectIdOrNull(id);
      const { externalId, name } = patch;
      const update = {
        ...(name !== undefined || typeof externalId === 'string'
          ? { $set: { ...(name !== undefined ? { name } : {}), ...(externalId ? { externalId } : {}) } }
          : {}),
        ...(externalId === null ? { $unset: { externalId: 1 } } : {}),
      };
      const doc = _id ? await groups.findByIdAndUpdate(_id, update, { new: true }).lean<GroupDoc>().catch(taken) : null;
      if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such group');
      return toWireGroup(doc);
    },
    async remove(id) {
      const _id = objectIdOrNull(id);
      return _id ? (await groups.deleteOne({ _id })).deletedCount === 1 : false;
    },
    async list() {
      return (await groups.find().sort({ name: 1 }).lean<GroupDoc[]>()).map(toWireGroup);
    },
    async byIds(ids) {
      const oids = ids.flatMap((id) => objectIdOrNull(id) ?? []);
      return (await groups.find({ _id: { $in: oids } }).lean<GroupDoc[]>()).map(toWireGroup);
    },
    async external() {
      return (await groups.find({ externalId: { $exists: true } }).lean<GroupDoc[]>()).map(toWireGroup);
    },
  };
}
