/**
 * The day figures of the dashboard, computed from MongoDB.
 *
 * A "day" is a UTC calendar day `[00:00Z, 24:00Z)`, the same day the timeline and the snapshot's
 * `date` mean. `activeToday` counts active bookings that overlap the day; `cancelledToday`
 * counts cancelled bookings that were scheduled to overlap it. Utilization of a resource is the
 * booked unit-minutes of its active bookings (minutes clipped to the day times quantity) over the
 * 1,440 minutes of the day times its capacity; its bookings never hold more units than that at
 * once, so it stays within 0..1 (a capacity lowered with `force` is clamped). No-shows count the
 * bookings starting that day that were released because nobody checked in. The waitlist figure (v3)
 * is not a day's: the waiting entries whose start has not passed, by resource, at `now`.
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

/**
 * The waitlist's count of waiting entries (start not passed) by resource id: the narrow port the
 * stats read the MongoDB collection `waitlist` through (`server/src/waitlist/waitlist.store.ts`
 * answers it).
 */
export interface WaitlistCounts {
  waitingByResource(now: Date): Promise<Map<string, number>>;
}

/** `stats.waitlist`: the waiting entries per existing resource with at least one (a deleted resource's are left out). */
export async function waitlistFigure(
  counts: WaitlistCounts,
  now: Date,
  resources: Pick<ResourceStore, 'capacities'>,
): Promise<Record<string, number>> {
  const [waiting, capacities] = await Promise.all([counts.waitingByResource(now), resources.capacities()]);
  const figure: Record<string, number> = {};
  for (const [id, n] of waiting) if (n > 0 && capacities.has(id)) figure[id] = n;
  return figure;
}

export interface DayStats {
  activeToday: number;
  cancelledToday: number;
  utilization: Record<string, number>;
  /** No-show releases of bookings starting that day, and their rate among the day's closed check-in windows, by resource. */
  noShows: Record<string, { released: number; rate: number }>;
}

export async function computeDayStats(deps: {
  bookings: Pick<BookingStore, 'dayFigures'>;
  resources: Pick<ResourceStore, 'capacities'>;
  date: string;
}): Promise<DayStats> {
  const { from, to } = dayRange(deps.date);
  const [figures, capacities] = await Promise.all([deps.bookings.dayFigures(from, to), deps.resources.capacities()]);
  const utilization: Record<string, number> = {};
  for (const id of capacities.keys()) utilization[id] = 0;
  for (const [id, unitMs] of figures.bookedMs) {
    // Bookings of a deleted resource do not count toward any bar.
    const capacity = capacities.get(id);
    if (capacity !== undefined) utilization[id] = Math.min(1, Math.max(0, unitMs / (DAY_MS * capacity)));
  }
  // Rate: released over the bookings whose check-in was settled (released, or checked in).
  const noShows: Record<string, { released: number; rate: number }> = {};
  for (const [id, n] of figures.noShows) {
    if (!(id in utilization)) continue;
    const settled = n.released + n.checkedIn;
    noShows[id] = { released: n.released, rate: settled === 0 ? 0 : n.released / settled };
  }
  return { activeToday: figures.active, cancelledToday: figures.cancelled, utilization, noShows };
}
