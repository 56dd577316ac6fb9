/**
 * Fast local-time primitives on the IANA time-zone database, for the hot paths (availability,
 * `slots:find`, the booking rules): a zone's UTC offset at an instant comes from Luxon's
 * `IANAZone` (the `Intl` database) and is memoised per 15-minute bucket, since offsets change
 * only at transitions, and every transition of the current database falls on a quarter hour of
 * UTC. Wall-clock → instant resolution follows Luxon's own algorithm, so a time inside a skipped
 * hour resolves forward and an ambiguous one to its first occurrence, exactly as `DateTime` does.
 *
 * Dates are `YYYY-MM-DD` strings; minutes are wall-clock minutes after local midnight.
 */
import { IANAZone } from 'luxon';
import { DayWalkLimitError, MAX_WALK_DAYS } from '../time';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const BUCKET_MS = 15 * MINUTE_MS;
const MAX_CACHED = 200_000;

const zones = new Map<string, { zone: IANAZone; offsets: Map<number, number> }>();

function zoneEntry(name: string) {
  let entry = zones.get(name);
  if (!entry) {
    entry = { zone: IANAZone.create(name), offsets: new Map() };
    zones.set(name, entry);
  }
  return entry;
}

/** The zone's UTC offset in minutes at instant `t` (ms). */
export function offsetAt(zone: string, t: number): number {
  if (zone === 'UTC') return 0;
  const entry = zoneEntry(zone);
  const bucket = Math.floor(t / BUCKET_MS);
  let offset = entry.offsets.get(bucket);
  if (offset === undefined) {
    offset = entry.zone.offset(bucket * BUCKET_MS);
    if (entry.offsets.size >= MAX_CACHED) entry.offsets.clear();
    entry.offsets.set(bucket, offset);
  }
  return offset;
}

/** Local calendar fields of an instant. */
export interface LocalParts {
  date: string;
  /** Wall-clock minutes after local midnight. */
  minute: number;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
}

function dateKey(utcDayMs: number): string {
  return new Date(utcDayMs).toISOString().slice(0, 10);
}

export function localParts(t: number, zone: string): LocalParts {
  const local = t + offsetAt(zone, t) * MINUTE_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  const weekday = new Date(dayStart).getUTCDay();
  return {
    date: dateKey(dayStart),
    minute: Math.floor((local - dayStart) / MINUTE_MS),
    weekday: weekday === 0 ? 7 : weekday,
  };
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return dateKey(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}

/** The weekday of a date, 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/**
 * The instant of wall-clock `minute` on local `date` (1440 = the next midnight). Luxon's
 * resolution: guess with the offset at the naive instant, correct once, and inside a gap take
 * the later side.
 */
export function localInstant(date: string, minute: number, zone: string): number {
  return instantOfWallClock(Date.parse(`${date}T00:00:00Z`) + minute * MINUTE_MS, zone);
}

/**
 * The instant whose wall clock in `zone` reads `naive` (a wall-clock time written as if UTC, in
 * ms), resolved as `localInstant` resolves it.
 */
export function instantOfWallClock(naive: number, zone: string): number {
  const o1 = offsetAt(zone, naive);
  let guess = naive - o1 * MINUTE_MS;
  const o2 = offsetAt(zone, guess);
  if (o1 === o2) return guess;
  guess -= (o2 - o1) * MINUTE_MS;
  const o3 = offsetAt(zone, guess);
  if (o2 === o3) return guess;
  return naive - Math.min(o2, o3) * MINUTE_MS;
}

/** The instants of local day `date`: 23, 24 or 25 hours. */
export function dayRange(date: string, zone: string): { from: number; to: number } {
  return { from: localInstant(date, 0, zone), to: localInstant(addDays(date, 1), 0, zone) };
}

/**
 * The local dates whose days overlap `[from, to)` (ms), in order. At most `MAX_WALK_DAYS` of them:
 * a longer range throws `DayWalkLimitError` before the walk (every caller's range is bounded at
 * its edge, so this is the last line, not the rule).
 */
export function dateRangeCovering(from: number, to: number, zone: string): string[] {
  const dates: string[] = [];
  if (!(to > from)) return dates;
  // A local day lasts at most 25 hours, so a longer range than this surely covers too many days:
  // refused without a step. Shorter ones are counted as they are walked.
  if (!Number.isFinite(from) || !Number.isFinite(to) || to - from > MAX_WALK_DAYS * 25 * 3_600_000)
    throw new DayWalkLimitError('a range of local days');
  let date = localParts(from, zone).date;
  while (localInstant(date, 0, zone) < to) {
    if (dates.length >= MAX_WALK_DAYS) throw new DayWalkLimitError('a range of local days');
    dates.push(date);
    date = addDays(date, 1);
  }
  return dates;
}

/** Sorted by start and overlapping or touching stretches joined (sorts `raw` in place). */
export function mergeStretches(raw: Array<[number, number]>): Array<[number, number]> {
  raw.sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of raw) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}
