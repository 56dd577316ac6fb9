/**
 * Occupancy: how many units of a resource are in use, instant by instant. The invariant every
 * admission keeps is that at no instant do the units held exceed the resource's capacity
 * (docs/design.md "Booking"); for a resource of capacity 1 and bookings of one unit that is "no
 * two bookings overlap". Counting the bookings that overlap a span is not enough once units are
 * many: three bookings that each overlap the span but never each other occupy one unit at a time.
 * The sweep orders their start and end events and follows the running total.
 *
 * Intervals are half-open `[start, end)` in epoch milliseconds: a booking that ends when another
 * starts does not overlap it. The stretches of use a client sees are the shared `useStretches`.
 */
import type { Occupant } from '@booking/shared';

export type { Occupant };

/**
 * The most units in use at any instant of `[from, to)` by `occupants` (those outside the span
 * count nothing). O(n log n) in the occupants that touch the span.
 */
export function peakOccupancy(occupants: readonly Occupant[], from: number, to: number): number {
  if (!(from < to)) return 0;
  const events: Array<[at: number, delta: number]> = [];
  for (const o of occupants) {
    const start = Math.max(o.start, from);
    const end = Math.min(o.end, to);
    if (start < end && o.quantity > 0) events.push([start, o.quantity], [end, -o.quantity]);
  }
  // At one instant an end goes before a start: `[a, b)` and `[b, c)` never hold units together.
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let used = 0;
  let peak = 0;
  for (const [, delta] of events) {
    used += delta;
    if (used > peak) peak = used;
  }
  return peak;
}

/**
 * The first instant at which `occupants` hold more than `capacity` units, or null when they never
 * do (the check before a resource's capacity is lowered).
 */
export function firstOver(occupants: readonly Occupant[], capacity: number): number | null {
  const events: Array<[at: number, delta: number]> = [];
  for (const o of occupants)
    if (o.start < o.end && o.quantity > 0) events.push([o.start, o.quantity], [o.end, -o.quantity]);
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let used = 0;
  for (const [at, delta] of events) {
    used += delta;
    if (used > capacity) return at;
  }
  return null;
}
