/** The only code that touches the `bookingSeries` collection. */
import type { ClientSession } from 'mongoose';
import { objectIdOrNull } from '../infra/ids';
import type { SeriesDoc, SeriesModel } from './series.model';

export type NewSeries = Omit<SeriesDoc, '_id' | 'resourceId' | 'userId'> & { resourceId: string; userId: string };

export interface SeriesStore {
  /** Inside the series' transaction; answers the new id. */
  insert(series: NewSeries, session: ClientSession): Promise<string>;
  findById(id: string, session?: ClientSession): Promise<SeriesDoc | null>;
  findByKey(userId: string, idempotencyKey: string, session?: ClientSession): Promise<SeriesDoc | null>;
}

export function createSeriesStore(series: SeriesModel): SeriesStore {
  return {
    async insert(s, session) {
      const [created] = await series.create(
        [{ ...s, resourceId: objectIdOrNull(s.resourceId), userId: objectIdOrNull(s.userId) }],
        { session },
      );
      if (!created) throw new Error('insert returned nothing');
      return created._id.toHexString();
    },
    async findById(id, session) {
      const _id = objectIdOrNull(id);
      if (!_id) return null;
      const q = series.findById(_id);
      return (session ? q.session(session) : q).lean<SeriesDoc>();
    },
    async findByKey(userId, idempotencyKey, session) {
      const uid = objectIdOrNull(userId);
      if (!uid) return null;
      const q = series.findOne({ userId: uid, idempotencyKey });
      return (session ? q.session(session) : q).lean<SeriesDoc>();
    },
  };
}
