/**
 * (v3) The time arithmetic of reports, pure: a resource's open stretches over a range, how much
 * of an interval falls inside them, and the split of an interval into local weekday × hour cells
 * (the shared zone-time helpers, so a daylight-saving day has 23 or 25 hours and the repeated
 * hour of October counts twice in its cell).
 */
import { localParts, openStretches } from '@booking/shared';
import type { Policy } from '@booking/shared';

const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** A resource as reports see it. */
export interface ReportResource {
  id: string;
  name: string;
  capacity: number;
  timeZone: string;
  policy: Policy;
}

/** Sorted, disjoint `[start, end)` in ms. */
export type Stretches = ReadonlyArray<readonly [number, number]>;

/** The resource's open time inside `[from, to)`: opening hours (null = all day), closures closed. */
export function openOf(resource: Pick<ReportResource, 'policy' | 'timeZone'>, from: Date, to: Date): Stretches {
  return openStretches(resource.policy, resource.timeZone, from, to).map(
    (s) => [s.start.getTime(), s.end.getTime()] as const,
  );
}

/** Total length of the stretches. */
export function lengthOf(stretches: Stretches): number {
  let ms = 0;
  for (const [a, b] of stretches) ms += b - a;
  return ms;
}

/** The index of the first stretch that ends after `t`. */
function firstEndingAfter(stretches: Stretches, t: number): number {
  let lo = 0;
  let hi = stretches.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((stretches[mid]?.[1] ?? 0) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Calls `each` with the parts of `[a, b)` that lie inside the stretches. */
export function eachOpenPart(
  stretches: Stretches,
  a: number,
  b: number,
  each: (from: number, to: number) => void,
): void {
  for (let i = firstEndingAfter(stretches, a); i < stretches.length; i += 1) {
    const s = stretches[i];
    if (!s || s[0] >= b) break;
    const lo = Math.max(a, s[0]);
    const hi = Math.min(b, s[1]);
    if (hi > lo) each(lo, hi);
  }
}

/** How much of `[a, b)` lies inside the stretches (ms). */
export function openOverlap(stretches: Stretches, a: number, b: number): number {
  let ms = 0;
  eachOpenPart(stretches, a, b, (lo, hi) => {
    ms += hi - lo;
  });
  return ms;
}

/** A 7 × 24 grid of milliseconds: index (weekday − 1) × 24 + local hour, Monday first. */
export type HourGrid = Float64Array;

export function newHourGrid(): HourGrid {
  return new Float64Array(7 * 24);
}

/** Adds `weight` × the length of `[a, b)` to the local weekday × hour cells it crosses. */
export function addToGrid(grid: HourGrid, zone: string, a: number, b: number, weight = 1): void {
  let t = a;
  while (t < b) {
    const p = localParts(t, zone);
    // The next local hour boundary: offsets are whole minutes, so it lies on a minute.
    const next = Math.min(b, t - (((t % MINUTE_MS) + MINUTE_MS) % MINUTE_MS) + (60 - (p.minute % 60)) * MINUTE_MS);
    const cell = (p.weekday - 1) * 24 + Math.floor(p.minute / 60);
    grid[cell] = (grid[cell] ?? 0) + (next - t) * weight;
    t = next;
  }
}
