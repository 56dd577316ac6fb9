/**
 * The only code that touches the `bookingEvents` collection (the booking audit log). A booking's
 * first event (its create, hold or request) is stored in the booking's own document
 * (`BookingDoc.firstEvent`, written in the same insert); `of` answers it merged with the
 * collection's events, in the order the collection alone would (documents from before keep their
 * first event in the collection).
 */
import { Types } from 'mongoose';
import type { ClientSession } from 'mongoose';
import type { Actor, BookingEvent } from '@booking/shared';
import { objectIdOrNull } from '../infra/ids';
import type { BookingEventDoc, BookingEventModel } from './booking-history.model';
import type { BookingDoc, BookingModel } from './booking.model';

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

type StoredEvent = Omit<BookingEventDoc, '_id' | 'bookingId'>;

const toWire = (d: StoredEvent): BookingEvent => ({
  at: d.at.toISOString(),
  action: d.action,
  actor: d.actor ? { id: d.actor.id.toHexString(), name: d.actor.name, role: d.actor.role } : null,
  start: d.start.toISOString(),
  end: d.end.toISOString(),
  status: d.status,
});

/**
 * The embedded first event among the collection's, by (`at`, `_id`) as the collection is sorted:
 * its id is the booking's, made before any event of it (an event written with the insert had a
 * later id).
 */
export function mergeFirst(
  bookingId: Types.ObjectId,
  first: StoredEvent | undefined,
  later: BookingEventDoc[],
  limit: number,
): StoredEvent[] {
  if (!first) return later;
  const t = first.at.getTime();
  const at = later.findIndex(
    (e) => e.at.getTime() > t || (e.at.getTime() === t && e._id.toHexString() > bookingId.toHexString()),
  );
  const merged: StoredEvent[] = at < 0 ? [...later, first] : [...later.slice(0, at), first, ...later.slice(at)];
  return merged.slice(0, limit);
}

export function createBookingHistoryStore(events: BookingEventModel, bookings: BookingModel): BookingHistoryStore {
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
      const [docs, booking] = await Promise.all([
        events.find({ bookingId: _id }).sort({ at: 1, _id: 1 }).limit(limit).lean<BookingEventDoc[]>(),
        bookings.collection.findOne<Pick<BookingDoc, 'firstEvent'>>({ _id }, { projection: { _id: 0, firstEvent: 1 } }),
      ]);
      return mergeFirst(_id, booking?.firstEvent ?? undefined, docs, limit).map(toWire);
    },
  };
}
