/**
 * The day figures of the dashboard, computed from MongoDB.
 *
 * A "day" is a UTC calendar day `[00:00Z, 24:00Z)`, the same day the timeline and the snapshot's
 * `date` mean. `activeToday` counts active bookings that overlap the day; `cancelledToday`
 * counts cancelled bookings that were scheduled to overlap it. Utilization of a resource is the
 * booked minutes of its active bookings, clipped to the day, over the 1,440 minutes of the day;
 * active bookings of one resource never overlap, so it stays within 0..1.
 */
import type { BookingStore } from '../booking/booking.store';
import type { ResourceStore } from '../resources/resource.store';

export const DAY_MS = 86_400_000;

/** The UTC day `YYYY-MM-DD` as a half-open interval. */
export function dayRange(date: string): { from: Date; to: Date } {
  const from = new Date(`${date}T00:00:00.000Z`);
  return { from, to: new Date(from.getTime() + DAY_MS) };
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export interface DayStats {
  activeToday: number;
  cancelledToday: number;
  utilization: Record<string, number>;
}

export async function computeDayStats(deps: {
  bookings: Pick<BookingStore, 'dayFigures'>;
  resources: Pick<ResourceStore, 'ids'>;
  date: string;
}): Promise<DayStats> {
  const { from, to } = dayRange(deps.date);
  const [figures, resourceIds] = await Promise.all([deps.bookings.dayFigures(from, to), deps.resources.ids()]);
  const utilization: Record<string, number> = {};
  for (const id of resourceIds) utilization[id] = 0;
  for (const [id, ms] of figures.bookedMs) {
    // Bookings of a deleted resource do not count toward any bar.
    if (id in utilization) utilization[id] = Math.min(1, Math.max(0, ms / DAY_MS));
  }
  return { activeToday: figures.active, cancelledToday: figures.cancelled, utilization };
}
