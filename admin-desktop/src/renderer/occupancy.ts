/**
 * The dashboard's occupancy of a resource of several units, from the day's bookings: the same
 * rule as the server's admission check (docs/protocol.md, "Capacity and quantity"). A booking
 * occupies its `quantity` units over `[start, end + bufferMinutes)`; a sweep over the start and
 * end events, in time order, gives the units in use between each pair of events.
 */

/** A stretch of epoch ms `[start, end)` in which `used > 0` units are in use, constant throughout. */
export interface UseStretch {
  start: number;
  end: number;
  used: number;
}

export interface OccupyingBooking {
  start: string;
  end: string;
  quantity: number;
  status: string;
}

/**
 * Statuses whose units the timeline counts: the holding ones (`active`, and v3's `pending` and
 * `held`) and `completed` (a booking that ended took its units for the time it ran: the day's
 * picture keeps them, where the server's admission looks only ahead).
 */
const COUNTED: ReadonlySet<string> = new Set(['active', 'pending', 'held', 'completed']);

/**
 * The stretches of use of `bookings` (those whose status counts), clipped to `[from, to)` when
 * given, in order, each of constant use and none of zero use; neighbours of equal use are merged.
 */
export function occupancySweep(
  bookings: OccupyingBooking[],
  bufferMinutes: number,
  range: { from: number; to: number } = { from: -Infinity, to: Infinity },
): UseStretch[] {
  const events: Array<[number, number]> = [];
  for (const b of bookings) {
    if (!COUNTED.has(b.status) || b.quantity <= 0) continue;
    const start = Math.max(Date.parse(b.start), range.from);
    const end = Math.min(Date.parse(b.end) + bufferMinutes * 60_000, range.to);
    if (!(start < end)) continue;
    events.push([start, b.quantity], [end, -b.quantity]);
  }
  // Every event at one instant applies before the next stretch begins (an end and a start that
  // touch never add up: `[a, b)` and `[b, c)` do not overlap).
  const change = new Map<number, number>();
  for (const [at, delta] of events) change.set(at, (change.get(at) ?? 0) + delta);
  const instants = [...change.keys()].sort((a, b) => a - b);
  const stretches: UseStretch[] = [];
  let used = 0;
  instants.forEach((at, i) => {
    used += change.get(at) ?? 0;
    const next = instants[i + 1];
    if (next === undefined || used <= 0) return;
    const last = stretches.at(-1);
    if (last && last.end === at && last.used === used) last.end = next;
    else stretches.push({ start: at, end: next, used });
  });
  return stretches;
}

/** The most units in use at any instant of `stretches` (0 when there are none). */
export function peakUse(stretches: UseStretch[]): number {
  return stretches.reduce((peak, s) => Math.max(peak, s.used), 0);
}

/**
 * A track (0, 1, …) for each interval so that no two intervals of one track overlap, the fewest
 * tracks a greedy pass in start order gives: where the timeline draws the blocks of a resource
 * of several units, one above the other. Answers the tracks in the order of `intervals`.
 */
export function assignTracks(intervals: Array<{ start: number; end: number }>): number[] {
  const order = intervals.map((iv, i) => ({ ...iv, i })).sort((a, b) => a.start - b.start || a.i - b.i);
  const trackEnds: number[] = [];
  const tracks = new Array<number>(intervals.length).fill(0);
  for (const iv of order) {
    const free = trackEnds.findIndex((end) => end <= iv.start);
    const track = free === -1 ? trackEnds.length : free;
    trackEnds[track] = iv.end;
    tracks[iv.i] = track;
  }
  return tracks;
}
