/**
 * A view's occupancy kept in step with `slot:changed` without a re-read: the stretches of the
 * window where units are occupied (`Availability.occupancy`), shifted by the units one booking
 * takes or gives back over `[start, end + bufferMinutes)`. Pure; no DOM, no socket.
 */
import type { OccupancyStretch } from '@booking/shared';

/** Units taken (`delta > 0`) or given back over one interval (ISO instants). */
export interface OccupancyShift {
  start: string;
  end: string;
  delta: number;
}

/**
 * The stretches of `[from, to)` after `shifts`: only `used > 0`, in order, neighbours of equal
 * use merged (the server's shape). Null when a shift would leave fewer than zero units in use
 * somewhere: the view did not hold what the change undoes, and the caller re-reads.
 */
export function shiftOccupancy(
  stretches: readonly OccupancyStretch[],
  window: { from: string; to: string },
  shifts: readonly OccupancyShift[],
): OccupancyStretch[] | null {
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  const deltas = new Map<number, number>();
  const add = (start: number, end: number, units: number): void => {
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    if (!(s < e) || units === 0) return;
    deltas.set(s, (deltas.get(s) ?? 0) + units);
    deltas.set(e, (deltas.get(e) ?? 0) - units);
  };
  for (const s of stretches) add(Date.parse(s.start), Date.parse(s.end), s.used);
  for (const s of shifts) add(Date.parse(s.start), Date.parse(s.end), s.delta);
  const points = [...deltas.keys()].sort((a, b) => a - b);
  const out: OccupancyStretch[] = [];
  let used = 0;
  for (let i = 0; i < points.length - 1; i += 1) {
    const at = points[i] as number;
    const next = points[i + 1] as number;
    used += deltas.get(at) ?? 0;
    if (used < 0) return null;
    if (used === 0) continue;
    const last = out[out.length - 1];
    if (last && last.used === used && Date.parse(last.end) === at) last.end = new Date(next).toISOString();
    else out.push({ start: new Date(at).toISOString(), end: new Date(next).toISOString(), used });
  }
  return out;
}
