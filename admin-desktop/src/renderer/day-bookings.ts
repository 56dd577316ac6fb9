/**
 * The bookings of the timeline's view (the chosen date as a local day of every resource's zone,
 * together: `viewRange`) as `dashboard:snapshot` lists them, moved forward by one `slot:changed`
 * at a time, so the timeline follows live changes without re-reading the day. The result is what
 * snapshots taken after the event would show: a booking that starts, ends or moves within the
 * view is listed; a released one stays, with the status the event gives (cancelled, or v3's expired:
 * the timeline draws neither). The status and
 * the quantity are the event's: a change of units alone arrives as a `moved` to the same interval.
 */
import { localDayRange } from '@booking/shared';
import type { AdminBooking, Resource, SlotChanged } from '@booking/shared';

const DAY_MS = 86_400_000;

/** Epoch ms `[from, to)`. */
export interface ViewRange {
  from: number;
  to: number;
}

/** The union of `date`'s local day in each resource's zone (the UTC day when there are none). */
export function viewRange(date: string, resources: Array<Pick<Resource, 'timeZone'>>): ViewRange {
  const days = [...new Set(['UTC', ...resources.map((r) => r.timeZone)])].map((zone) => localDayRange(date, zone));
  return { from: Math.min(...days.map((d) => d.from.getTime())), to: Math.max(...days.map((d) => d.to.getTime())) };
}

/** The UTC dates whose snapshots together hold every booking of the view. */
export function snapshotDates(view: ViewRange): string[] {
  const dates: string[] = [];
  for (let t = Math.floor(view.from / DAY_MS) * DAY_MS; t < view.to; t += DAY_MS)
    dates.push(new Date(t).toISOString().slice(0, 10));
  return dates;
}

function touchesDay(view: ViewRange, interval: { start: string; end: string }): boolean {
  return Date.parse(interval.start) < view.to && Date.parse(interval.end) > view.from;
}

/** Whether an event concerns the view at all (its interval now, or before a move). */
export function eventTouchesDay(view: ViewRange, event: SlotChanged): boolean {
  return touchesDay(view, event) || (event.previous !== undefined && touchesDay(view, event.previous));
}

/**
 * The day's bookings after `event` (which the caller has checked is the next version).
 * `userName` names the owner of a booking that enters the day; the caller fills in a name it
 * does not have yet later, through `renameUser`.
 */
export function applyToDay(opts: {
  view: ViewRange;
  bookings: AdminBooking[];
  event: SlotChanged;
  userName: string;
}): AdminBooking[] {
  const { view, bookings, event } = opts;
  const existing = bookings.find((b) => b.id === event.bookingId);
  const rest = bookings.filter((b) => b.id !== event.bookingId);
  const inDay = touchesDay(view, event);
  let next: AdminBooking | null;
  if (event.change === 'released') {
    next = existing ? { ...existing, status: event.status, quantity: event.quantity, updatedAt: event.at } : null;
  } else if (!inDay) {
    // Booked on, or moved to, another day: the snapshot of this day no longer lists it.
    next = null;
  } else if (existing) {
    // A hold confirmed (v3 `confirmed`) no longer runs out: its `expiresAt` goes.
    const { expiresAt, ...kept } = existing;
    const runsOut = event.status === 'pending' ? (event.expiresAt ?? expiresAt) : undefined;
    next = {
      ...kept,
      ...(event.status === 'held' && expiresAt !== undefined ? { expiresAt } : {}),
      ...(runsOut !== undefined ? { expiresAt: runsOut } : {}),
      start: event.start,
      end: event.end,
      status: event.status,
      quantity: event.quantity,
      updatedAt: event.at,
    };
  } else {
    next = {
      id: event.bookingId,
      resourceId: event.resourceId,
      userId: event.userId ?? '',
      userName: opts.userName,
      start: event.start,
      end: event.end,
      status: event.status,
      quantity: event.quantity,
      createdAt: event.at,
      updatedAt: event.at,
      // (v3) A request awaiting approval carries when it runs out.
      ...(event.status === 'pending' && event.expiresAt !== undefined ? { expiresAt: event.expiresAt } : {}),
    };
  }
  if (!next) return rest;
  return [...rest, next].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/** The bookings with a newly learnt owner name filled in. */
export function renameUser(bookings: AdminBooking[], userId: string, userName: string): AdminBooking[] {
  return bookings.map((b) => (b.userId === userId && b.userName !== userName ? { ...b, userName } : b));
}
