/**
 * Occupancy: how many units of a resource are in use, instant by instant. The invariant every
 * admission keeps is that at no instant do the units held exceed the resource's capacity
 * (docs/design.md "Booking"); for a resource of capacity 1 and bookings of one unit that is "no
 * two bookings overlap". Counting the bookings that overlap a span is not enough once units are
 * many: three bookings that each overlap the span but never each other occupy one unit at a time.
 * The sweep orders their start and end events and follows the running total.
 *
 * Intervals are half-open `[start, end)` in epoch milliseconds: a booking that ends when another
 * starts does not overlap it.
 */
export interface Occupant {
  start: number;
  end: number;
  /** Units held over the whole interval (a positive integer). */
  quantity: number;
}

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

/** One stretch of constant use inside a span: `[start, end)` with `used` units. */
export interface OccupancyStretch {
  start: number;
  end: number;
  used: number;
}

/**
 * The use of `[from, to)` as consecutive stretches of constant use, in order, covering the span
 * exactly (a stretch with nothing booked has `used: 0`); neighbours with the same use are merged.
 */
export function occupancyStretches(occupants: readonly Occupant[], from: number, to: number): OccupancyStretch[] {
  if (!(from < to)) return [];
  const deltas = new Map<number, number>();
  const add = (at: number, d: number) => deltas.set(at, (deltas.get(at) ?? 0) + d);
  for (const o of occupants) {
    const start = Math.max(o.start, from);
    const end = Math.min(o.end, to);
    if (start < end && o.quantity > 0) {
      add(start, o.quantity);
      add(end, -o.quantity);
    }
  }
  const points = [...new Set([from, to, ...deltas.keys()])].sort((a, b) => a - b);
  const stretches: OccupancyStretch[] = [];
  let used = 0;
  for (let i = 0; i < points.length - 1; i += 1) {
    const at = points[i] as number;
    const next = points[i + 1] as number;
    used += deltas.get(at) ?? 0;
    const last = stretches[stretches.length - 1];
    if (last && last.used === used) last.end = next;
    else stretches.push({ start: at, end: next, used });
  }
  return stretches;
}
