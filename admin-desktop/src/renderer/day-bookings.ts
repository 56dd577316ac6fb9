/**
 * One UTC day of bookings as `dashboard:snapshot` lists them, moved forward by one
 * `slot:changed` at a time, so the timeline follows live changes without re-reading the day.
 * The result is what a snapshot taken after the event would show: a booking that starts,
 * ends or moves within the day is listed; a released one stays, marked cancelled.
 */
import type { AdminBooking, SlotChanged } from '@booking/shared';

const DAY_MS = 86_400_000;

function touchesDay(date: string, interval: { start: string; end: string }): boolean {
  const from = Date.parse(`${date}T00:00:00Z`);
  return Date.parse(interval.start) < from + DAY_MS && Date.parse(interval.end) > from;
}

/** Whether an event concerns the day at all (its interval now, or before a move). */
export function eventTouchesDay(date: string, event: SlotChanged): boolean {
  return touchesDay(date, event) || (event.previous !== undefined && touchesDay(date, event.previous));
}

/**
 * The day's bookings after `event` (which the caller has checked is the next version).
 * `userName` names the owner of a booking that enters the day; the caller fills in a name it
 * does not have yet later, through `renameUser`.
 */
export function applyToDay(opts: { date: string; bookings: AdminBooking[]; event: SlotChanged; userName: string }): AdminBooking[] {
  const { date, bookings, event } = opts;
  const existing = bookings.find((b) => b.id === event.bookingId);
  const rest = bookings.filter((b) => b.id !== event.bookingId);
  const inDay = touchesDay(date, event);
  let next: AdminBooking | null;
  if (event.change === 'released') {
    next = existing ? { ...existing, status: 'cancelled', updatedAt: event.at } : null;
  } else if (!inDay) {
    // Booked on, or moved to, another day: the snapshot of this day no longer lists it.
    next = null;
  } else if (existing) {
    next = { ...existing, start: event.start, end: event.end, status: 'active', updatedAt: event.at };
  } else {
    next = {
      id: event.bookingId,
      resourceId: event.resourceId,
      userId: event.userId ?? '',
      userName: opts.userName,
      start: event.start,
      end: event.end,
      status: 'active',
      createdAt: event.at,
      updatedAt: event.at,
    };
  }
  if (!next) return rest;
  return [...rest, next].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/** The bookings with a newly learnt owner name filled in. */
export function renameUser(bookings: AdminBooking[], userId: string, userName: string): AdminBooking[] {
  return bookings.map((b) => (b.userId === userId && b.userName !== userName ? { ...b, userName } : b));
}
