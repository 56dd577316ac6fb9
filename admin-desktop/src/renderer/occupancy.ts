/**
 * The dashboard's occupancy of a resource of several units, from the day's bookings: the same
 * rule as the server's admission check (docs/protocol.md, "Capacity and quantity"). A booking
 * occupies its `quantity` units over `[start, end + bufferMinutes)`; a sweep over the start and
 * end events, in time order, gives the units in use between each pair of events.
 */
import { useStretches } from '@booking/shared';
import type { UseStretch } from '@booking/shared';

/** A stretch of epoch ms `[start, end)` in which `used > 0` units are in use, constant throughout. */
export type { UseStretch };

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
  const occupants = bookings
    .filter((b) => COUNTED.has(b.status) && b.quantity > 0)
    .map((b) => ({
      start: Date.parse(b.start),
      end: Date.parse(b.end) + bufferMinutes * 60_000,
      quantity: b.quantity,
    }));
  return useStretches(occupants, range.from, range.to);
}

/** A stretch of use with the units of it that holds and offers take (`held`, 0..used). */
export interface HeldUseStretch extends UseStretch {
  held: number;
}

/**
 * `occupancySweep` with the held units of each stretch: where the units held change while the
 * units in use stay the same (an offer ending as a booking starts), the stretch is split there.
 */
export function occupancyWithHolds(
  bookings: OccupyingBooking[],
  bufferMinutes: number,
  range: { from: number; to: number } = { from: -Infinity, to: Infinity },
): HeldUseStretch[] {
  const total = occupancySweep(bookings, bufferMinutes, range);
  const held = occupancySweep(
    bookings.filter((b) => b.status === 'held'),
    bufferMinutes,
    range,
  );
  if (held.length === 0) return total.map((s) => ({ ...s, held: 0 }));
  const heldAt = (t: number) => held.find((s) => s.start <= t && t < s.end)?.used ?? 0;
  const cuts = [...new Set([...total, ...held].flatMap((s) => [s.start, s.end]))].sort((x, y) => x - y);
  const out: HeldUseStretch[] = [];
  for (const s of total) {
    const inner = [s.start, ...cuts.filter((t) => t > s.start && t < s.end), s.end];
    for (let i = 0; i < inner.length - 1; i += 1) {
      const start = inner[i] as number;
      const end = inner[i + 1] as number;
      const h = heldAt(start);
      const last = out[out.length - 1];
      if (last && last.end === start && last.used === s.used && last.held === h) last.end = end;
      else out.push({ start, end, used: s.used, held: h });
    }
  }
  return out;
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
