/**
 * The booking rules of a resource's policy as pure functions of (policy, time zone, interval,
 * now, staff): used by the server for create, modify and each occurrence of a series, and by
 * the booking page to grey closed time and snap selections to the grid.
 *
 * All local-time arithmetic goes through the IANA time-zone database (Luxon's `IANAZone`, with
 * the memoised offsets of `zone-time.ts`), never through fixed offsets: on a daylight-saving
 * change a local day is 23 or 25 hours long, a window that contains the skipped hour is an hour
 * shorter, and the grid stays on local wall-clock minutes. Instants stay UTC `Date`s.
 */
import { hardWindowViolation } from '../time';
import type { Interval } from '../time';
import { WEEKDAYS, minutesOf } from './policy.schema';
import type { Policy, PolicyRule } from './policy.schema';
import { addDays, dateRangeCovering, dayRange, localInstant, localParts, mergeStretches, weekdayOf } from './zone-time';

const MINUTE_MS = 60_000;

/** The local date `YYYY-MM-DD` of an instant in a zone. */
export function localDate(at: Date, zone: string): string {
  return localParts(at.getTime(), zone).date;
}

/** The instants of local day `date` (`YYYY-MM-DD`) in `zone`: 23, 24 or 25 hours. */
export function localDayRange(date: string, zone: string): { from: Date; to: Date } {
  const { from, to } = dayRange(date, zone);
  return { from: new Date(from), to: new Date(to) };
}

/** The local dates whose days overlap the half-open `[from, to)`, in order. */
export function localDaysCovering(from: Date, to: Date, zone: string): string[] {
  return dateRangeCovering(from.getTime(), to.getTime(), zone);
}

/** The local dates touched by any of the intervals, sorted and unique. */
export function localDaysOf(intervals: Interval[], zone: string): string[] {
  const days = new Set<string>();
  for (const { start, end } of intervals) for (const d of localDaysCovering(start, end, zone)) days.add(d);
  return [...days].sort();
}

/** Merged open stretches `[start, end)` in ms of `[lo, hi)`, before clipping. */
function openMs(policy: Policy, zone: string, lo: number, hi: number): Array<[number, number]> {
  const closed = policy.closures.length > 0 ? new Set(policy.closures.map((c) => c.date)) : null;
  if (!policy.openingHours && !closed) return [[lo, hi]];
  const raw: Array<[number, number]> = [];
  for (const date of dateRangeCovering(lo, hi, zone)) {
    if (closed?.has(date)) continue;
    if (!policy.openingHours) {
      const day = dayRange(date, zone);
      raw.push([day.from, day.to]);
      continue;
    }
    const weekday = WEEKDAYS[weekdayOf(date) - 1] ?? 'mon';
    for (const [open, close] of policy.openingHours[weekday]) {
      const a = localInstant(date, minutesOf(open), zone);
      const b = localInstant(date, minutesOf(close), zone);
      if (b > a) raw.push([a, b]);
    }
  }
  return mergeStretches(raw);
}

/**
 * The open stretches of `[from, to)` by the policy, merged and clipped: opening windows of each
 * local day, minus closure days; adjacent windows (also across midnight) form one stretch. With
 * no opening hours and no closures it is the whole range.
 */
export function openStretches(policy: Policy, zone: string, from: Date, to: Date): Interval[] {
  const lo = from.getTime();
  const hi = to.getTime();
  if (hi <= lo) return [];
  return openMs(policy, zone, lo, hi)
    .map(([a, b]) => [Math.max(a, lo), Math.min(b, hi)] as const)
    .filter(([a, b]) => b > a)
    .map(([a, b]) => ({ start: new Date(a), end: new Date(b) }));
}

/** Whether an instant lies on the policy's grid of local wall-clock minutes from midnight. */
export function onGrid(at: Date, slotMinutes: number, zone: string): boolean {
  const t = at.getTime();
  if (t % MINUTE_MS !== 0) return false; // offsets are whole minutes: seconds are the same everywhere
  return localParts(t, zone).minute % slotMinutes === 0;
}

/** `now` plus `days` local calendar days at the same wall-clock time (Luxon's `plus({days})`). */
function plusLocalDays(now: number, days: number, zone: string): number {
  const p = localParts(now, zone);
  return localInstant(addDays(p.date, days), p.minute, zone) + (((now % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
}

export interface RuleInput {
  policy: Policy;
  timeZone: string;
  start: Date;
  end: Date;
  now: Date;
  /** Staff are exempt from `notice` and `advance` (and from quotas, checked elsewhere). */
  staff: boolean;
}

/**
 * The first rule the interval breaks, or null. The order: `past`, `notice`, `advance`,
 * `duration`, `grid`, `closure`, `openingHours`. (`buffer` needs the other bookings: the booking
 * transaction checks it.) `end > start` and the 7-day cap are shape rules, checked before this.
 * A start outside the hard window (`hardWindowViolation`) breaks `past` or `advance` for staff
 * too, before any local-day arithmetic.
 */
export function policyViolation(input: RuleInput): PolicyRule | null {
  const { policy, timeZone: zone, start, end, now } = input;
  const s = start.getTime();
  const e = end.getTime();
  const hard = hardWindowViolation(start, now);
  if (hard) return hard;
  if (s < now.getTime()) return 'past';
  if (!input.staff && s < now.getTime() + policy.minNoticeMinutes * MINUTE_MS) return 'notice';
  if (!input.staff && s > plusLocalDays(now.getTime(), policy.maxAdvanceDays, zone)) return 'advance';
  const minutes = (e - s) / MINUTE_MS;
  if (minutes < policy.minMinutes || minutes > policy.maxMinutes) return 'duration';
  if (!onGrid(start, policy.slotMinutes, zone) || !onGrid(end, policy.slotMinutes, zone)) return 'grid';
  if (policy.closures.length > 0) {
    const closed = new Set(policy.closures.map((c) => c.date));
    if (dateRangeCovering(s, e, zone).some((d) => closed.has(d))) return 'closure';
  }
  if (policy.openingHours) {
    // Wholly inside one merged open stretch.
    const inside = openMs(policy, zone, s, e).some(([a, b]) => a <= s && b >= e);
    if (!inside) return 'openingHours';
  }
  return null;
}
