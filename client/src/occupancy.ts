/**
 * A view's occupancy kept in step with `slot:changed` without a re-read: the stretches of the
 * window where units are occupied (`Availability.occupancy`), shifted by the units one booking
 * takes or gives back over `[start, end + bufferMinutes)`. Pure; no DOM, no socket.
 */
import { useStretches } from '@booking/shared';
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
  const occupants = [
    ...stretches.map((s) => ({ start: Date.parse(s.start), end: Date.parse(s.end), quantity: s.used })),
    ...shifts.map((s) => ({ start: Date.parse(s.start), end: Date.parse(s.end), quantity: s.delta })),
  ];
  const after = useStretches(occupants, Date.parse(window.from), Date.parse(window.to));
  if (after.some((s) => s.used < 0)) return null;
  return after.map((s) => ({
    start: new Date(s.start).toISOString(),
    end: new Date(s.end).toISOString(),
    used: s.used,
  }));
}
