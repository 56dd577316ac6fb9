/** The only code that touches the `bookingEvents` collection (the booking audit log). */
import { Types } from 'mongoose';
import type { ClientSession } from 'mongoose';
import type { Actor, BookingEvent } from '@booking/shared';
import { objectIdOrNull } from '../infra/ids';
import type { BookingEventDoc, BookingEventModel } from './booking-history.model';

export interface NewBookingEvent {
  bookingId: string;
  at: Date;
  action: BookingEvent['action'];
  actor: Actor | null;
  start: Date;
  end: Date;
  status: BookingEvent['status'];
}

export interface BookingHistoryStore {
  /** Inside the change's transaction. */
  append(event: NewBookingEvent, session: ClientSession): Promise<void>;
  /** Several events in one write (a series' occurrences), inside the change's transaction. */
  appendMany(events: NewBookingEvent[], session: ClientSession): Promise<void>;
  /** Every event of one booking, oldest first (empty for an id that names nothing). */
  of(bookingId: string, limit: number): Promise<BookingEvent[]>;
}

function stored(e: NewBookingEvent) {
  const actor = e.actor ? { id: objectIdOrNull(e.actor.id), name: e.actor.name, role: e.actor.role } : null;
  return { ...e, bookingId: objectIdOrNull(e.bookingId), actor };
}

export function createBookingHistoryStore(events: BookingEventModel): BookingHistoryStore {
  return {
    async append(e, session) {
      // The driver's insertOne (see BookingStore.insert): no Document to hydrate on the hot path.
      await events.collection.insertOne(
        { _id: new Types.ObjectId(), ...stored(e) },
        { session, ignoreUndefined: true },
      );
    },
    async appendMany(list, session) {
      if (list.length > 0)
        await events.collection.insertMany(
          list.map((e) => ({ _id: new Types.ObjectId(), ...stored(e) })),
          { session, ignoreUndefined: true },
        );
    },
    async of(bookingId, limit) {
      const _id = objectIdOrNull(bookingId);
      if (!_id) return [];
      const docs = await events.find({ bookingId: _id }).sort({ at: 1, _id: 1 }).limit(limit).lean<BookingEventDoc[]>();
      return docs.map((d) => ({
        at: d.at.toISOString(),
        action: d.action,
        actor: d.actor ? { id: d.actor.id.toHexString(), name: d.actor.name, role: d.actor.role } : null,
        start: d.start.toISOString(),
        end: d.end.toISOString(),
        status: d.status,
      }));
    },
  };
}
