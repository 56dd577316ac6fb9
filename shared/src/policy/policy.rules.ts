/**
 * The booking rules of a resource's policy as pure functions of (policy, time zone, interval,
 * now, staff): used by the server for create, modify and each occurrence of a series, and by
 * the booking page to grey closed time and snap selections to the grid.
 *
 * All local-time arithmetic goes through Luxon with the IANA time-zone database, never through
 * fixed offsets: on a daylight-saving change a local day is 23 or 25 hours long, a window that
 * contains the skipped hour is an hour shorter, and the grid stays on local wall-clock minutes.
 * Instants stay UTC `Date`s.
 */
import { DateTime } from 'luxon';
import type { Interval } from '../time';
import { WEEKDAYS, minutesOf } from './policy.schema';
import type { Policy, PolicyRule } from './policy.schema';

const MINUTE_MS = 60_000;

/** The local date `YYYY-MM-DD` of an instant in a zone. */
export function localDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISODate() ?? '';
}

/** The instants of local day `date` (`YYYY-MM-DD`) in `zone`: 23, 24 or 25 hours. */
export function localDayRange(date: string, zone: string): { from: Date; to: Date } {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return { from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate() };
}

/** The local dates whose days overlap the half-open `[from, to)`, in order. */
export function localDaysCovering(from: Date, to: Date, zone: string): string[] {
  const days: string[] = [];
  if (to.getTime() <= from.getTime()) return days;
  let day = DateTime.fromJSDate(from, { zone }).startOf('day');
  while (day.toMillis() < to.getTime()) {
    days.push(day.toISODate() ?? '');
    day = day.plus({ days: 1 }).startOf('day');
  }
  return days;
}

/** The local dates touched by any of the intervals, sorted and unique. */
export function localDaysOf(intervals: Interval[], zone: string): string[] {
  const days = new Set<string>();
  for (const { start, end } of intervals) for (const d of localDaysCovering(start, end, zone)) days.add(d);
  return [...days].sort();
}

/** The instant of local wall-clock `minutes` after midnight of `date` (24:00 = next midnight). */
function localInstant(date: string, minutes: number, zone: string): number {
  const midnight = DateTime.fromISO(date, { zone }).startOf('day');
  if (minutes >= 1440) return midnight.plus({ days: 1 }).startOf('day').toMillis();
  // From wall-clock fields, not "midnight + n minutes": on a change day those differ by an hour.
  // A wall-clock time inside a skipped hour resolves forward, as Luxon does.
  return DateTime.fromObject({ year: midnight.year, month: midnight.month, day: midnight.day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone }).toMillis();
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
  const closed = new Set(policy.closures.map((c) => c.date));
  const raw: Array<[number, number]> = [];
  for (const date of localDaysCovering(from, to, zone)) {
    if (closed.has(date)) continue;
    if (!policy.openingHours) {
      const day = localDayRange(date, zone);
      raw.push([day.from.getTime(), day.to.getTime()]);
      continue;
    }
    const weekday = WEEKDAYS[(DateTime.fromISO(date, { zone }).weekday - 1) % 7] ?? 'mon';
    for (const [open, close] of policy.openingHours[weekday]) {
      const a = localInstant(date, minutesOf(open), zone);
      const b = localInstant(date, minutesOf(close), zone);
      if (b > a) raw.push([a, b]);
    }
  }
  raw.sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of raw) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged
    .map(([a, b]) => [Math.max(a, lo), Math.min(b, hi)] as const)
    .filter(([a, b]) => b > a)
    .map(([a, b]) => ({ start: new Date(a), end: new Date(b) }));
}

/** Whether an instant lies on the policy's grid of local wall-clock minutes from midnight. */
export function onGrid(at: Date, slotMinutes: number, zone: string): boolean {
  const local = DateTime.fromJSDate(at, { zone });
  if (local.second !== 0 || local.millisecond !== 0) return false;
  return (local.hour * 60 + local.minute) % slotMinutes === 0;
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
 * transaction checks it.) `end > start` is a shape rule, checked before this.
 */
export function policyViolation(input: RuleInput): PolicyRule | null {
  const { policy, timeZone: zone, start, end, now } = input;
  const s = start.getTime();
  const e = end.getTime();
  if (s < now.getTime()) return 'past';
  if (!input.staff && s < now.getTime() + policy.minNoticeMinutes * MINUTE_MS) return 'notice';
  if (!input.staff && s > DateTime.fromJSDate(now, { zone }).plus({ days: policy.maxAdvanceDays }).toMillis()) return 'advance';
  const minutes = (e - s) / MINUTE_MS;
  if (minutes < policy.minMinutes || minutes > policy.maxMinutes) return 'duration';
  if (!onGrid(start, policy.slotMinutes, zone) || !onGrid(end, policy.slotMinutes, zone)) return 'grid';
  if (policy.closures.length > 0) {
    const closed = new Set(policy.closures.map((c) => c.date));
    if (localDaysCovering(start, end, zone).some((d) => closed.has(d))) return 'closure';
  }
  if (policy.openingHours) {
    const open = openStretches(policy, zone, start, end);
    const whole = open.length === 1 && open[0]?.start.getTime() === s && open[0]?.end.getTime() === e;
    if (!whole) return 'openingHours';
  }
  return null;
}
