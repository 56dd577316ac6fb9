import type { Connection } from 'mongoose';
import { ErrorCode } from '@booking/shared';
import type { Resource, ResourceCreate, ResourceUpdate } from '@booking/shared';
import { AppError } from '../infra/errors';
import { objectIdOrNull } from '../infra/ids';
import { inTransaction } from '../infra/transactions';
import type { TxCounters } from '../infra/transactions';
import type { BookingModel } from '../booking/booking.model';
import type { ResourceDoc, ResourceModel } from './resource.model';

export function toWireResource(doc: Pick<ResourceDoc, '_id' | 'name' | 'type' | 'description'>): Resource {
  return { id: doc._id.toHexString(), name: doc.name, type: doc.type, description: doc.description ?? '' };
}

export interface ResourceService {
  list(): Promise<Resource[]>;
  create(input: ResourceCreate): Promise<Resource>;
  update(input: ResourceUpdate): Promise<Resource>;
  /** INVALID_STATE while the resource has active bookings that have not ended. */
  remove(id: string, now: Date): Promise<void>;
}

export function createResourceService(deps: {
  conn: Connection;
  resources: ResourceModel;
  bookings: BookingModel;
  counters: TxCounters;
  /** Called after a resource is removed, so caches can forget it. */
  onRemoved?: (id: string) => Promise<void>;
}): ResourceService {
  const { resources, bookings } = deps;
  return {
    async list() {
      const docs = await resources.find({}, { name: 1, type: 1, description: 1 }).sort({ type: 1, name: 1 }).lean<ResourceDoc[]>();
      return docs.map(toWireResource);
    },
    async create(input) {
      const doc = await resources.create({ name: input.name, type: input.type, description: input.description ?? '' });
      return toWireResource(doc);
    },
    async update(input) {
      const _id = objectIdOrNull(input.id);
      const set: Partial<Pick<ResourceDoc, 'name' | 'type' | 'description'>> = {};
      if (input.name !== undefined) set.name = input.name;
      if (input.type !== undefined) set.type = input.type;
      if (input.description !== undefined) set.description = input.description;
      const doc = _id ? await resources.findOneAndUpdate({ _id }, { $set: set }, { new: true }).lean<ResourceDoc>() : null;
      if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      return toWireResource(doc);
    },
    async remove(id, now) {
      const _id = objectIdOrNull(id);
      if (!_id) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      // Bumping the fence in the same transaction makes a concurrent booking of this resource
      // conflict with the delete: either the booking commits first (and we refuse) or it finds
      // no resource.
      await inTransaction(deps.conn, deps.counters, async (session) => {
        const fenced = await resources.findOneAndUpdate({ _id }, { $inc: { version: 1 } }, { session, new: true });
        if (!fenced) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
        const future = await bookings.exists({ resourceId: _id, status: 'active', end: { $gt: now } }).session(session);
        if (future) throw new AppError(ErrorCode.INVALID_STATE, 'the resource has future active bookings');
        await resources.deleteOne({ _id }, { session });
      });
      await deps.onRemoved?.(id);
    },
  };
}
