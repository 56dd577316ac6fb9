import type { Connection } from 'mongoose';
import { ErrorCode } from '@booking/shared';
import type { Resource, ResourceCreate, ResourceUpdate } from '@booking/shared';
import type { AvailabilityService } from '../availability/availability.service';
import type { BookingStore } from '../booking/booking.store';
import { AppError } from '../infra/errors';
import { inTransaction } from '../infra/transactions';
import type { TxCounters } from '../infra/transactions';
import type { ResourceFields, ResourceStore } from './resource.store';

export interface ResourceService {
  list(): Promise<Resource[]>;
  create(input: ResourceCreate): Promise<Resource>;
  update(input: ResourceUpdate): Promise<Resource>;
  /** INVALID_STATE while the resource has active bookings that have not ended. */
  remove(id: string, now: Date): Promise<void>;
}

export function createResourceService(deps: {
  conn: Connection;
  resources: ResourceStore;
  bookings: Pick<BookingStore, 'hasFutureActive'>;
  availability: Pick<AvailabilityService, 'forget'>;
  counters: TxCounters;
}): ResourceService {
  const { resources } = deps;
  return {
    list: () => resources.list(),
    create: (input) => resources.insert(input),
    async update(input) {
      const set: ResourceFields = {};
      if (input.name !== undefined) set.name = input.name;
      if (input.type !== undefined) set.type = input.type;
      if (input.description !== undefined) set.description = input.description;
      const updated = await resources.update(input.id, set);
      if (!updated) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      return updated;
    },
    async remove(id, now) {
      // Bumping the fence in the same transaction makes a concurrent booking of this resource
      // conflict with the delete: either the booking commits first (and we refuse) or it finds
      // no resource.
      await inTransaction(deps.conn, deps.counters, async (session) => {
        if ((await resources.fence(id, session)) === null) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
        if (await deps.bookings.hasFutureActive(id, now, session)) {
          throw new AppError(ErrorCode.INVALID_STATE, 'the resource has future active bookings');
        }
        await resources.delete(id, session);
      });
      await deps.availability.forget(id);
    },
  };
}
