/**
 * The one sweep of units in use over time, shared by the server (availability's `occupancy`),
 * the client library (keeping a view's occupancy in step with `slot:changed`) and the dashboard
 * (the fill level on the timeline). Each occupant holds `quantity` units over `[start, end)` in
 * epoch milliseconds; a negative quantity gives units back (a client undoing an earlier state).
 */

/** Units held over `[start, end)` (negative: units given back). */
export interface Occupant {
  start: number;
  end: number;
  quantity: number;
}

/** A stretch `[start, end)` of constant, non-zero use. */
export interface UseStretch {
  start: number;
  end: number;
  used: number;
}

/**
 * The stretches of `[from, to)` in which the occupants' units add up to something other than
 * zero, in order, each of constant use, neighbours of equal use merged. Half-open intervals: one
 * that ends where another starts never shares an instant with it. With non-negative quantities
 * every stretch has `used > 0`; a `used < 0` says more was given back than was there.
 */
export function useStretches(occupants: readonly Occupant[], from = -Infinity, to = Infinity): UseStretch[] {
  const change = new Map<number, number>();
  for (const o of occupants) {
    const start = Math.max(o.start, from);
    const end = Math.min(o.end, to);
    if (!(start < end) || o.quantity === 0) continue;
    change.set(start, (change.get(start) ?? 0) + o.quantity);
    change.set(end, (change.get(end) ?? 0) - o.quantity);
  }
  const instants = [...change.keys()].sort((a, b) => a - b);
  const stretches: UseStretch[] = [];
  let used = 0;
  for (let i = 0; i < instants.length - 1; i += 1) {
    const at = instants[i] as number;
    const next = instants[i + 1] as number;
    used += change.get(at) ?? 0;
    if (used === 0) continue;
    const last = stretches[stretches.length - 1];
    if (last && last.end === at && last.used === used) last.end = next;
    else stretches.push({ start: at, end: next, used });
  }
  return stretches;
}
