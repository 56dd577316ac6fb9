/**
 * The search behind `slots:find`, on epoch milliseconds and local *day numbers* (days since
 * 1970-01-01 on the zone's wall clock) instead of `YYYY-MM-DD` strings and `Date`s: the same
 * answers as the straightforward search over the shared policy rules (`openStretches`,
 * `policyViolation`, a grid rounding on `localParts`/`localInstant`), which
 * `server/test/slot-search.property.test.ts` keeps as its reference and compares on random
 * resources, rules and bookings, across daylight-saving changes.
 *
 * Offsets come from the shared memoised `offsetAt`; wall-clock → instant follows `localInstant`'s
 * (Luxon's) resolution step by step. What a policy contributes (opening windows in minutes per
 * weekday, closed days as day numbers) is derived once per policy object; the open stretches of a
 * range are shared, within one call, by every resource of the same zone and opening rules.
 */
import {
  BOOKING_RULES,
  DayWalkLimitError,
  MAX_WALK_DAYS,
  addDays,
  instantOfWallClock,
  localInstant,
  localParts,
  mergeStretches,
  offsetAt as sharedOffsetAt,
} from '@booking/shared';
import type { Policy, PolicyRule } from '@booking/shared';
import { peakOccupancy } from '../booking/occupancy';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEK_ORDER = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/**
 * Bound once: called a few times per step, and a call through the workspace package's re-exports
 * (as the TypeScript loader compiles them) walks a getter per level each time.
 */
const offsetAt: typeof sharedOffsetAt = sharedOffsetAt;
/** The search of one resource jumps from gap to gap, at most this many times. */
const MAX_STEPS = 2000;
/** Grid steps `ceilToGrid` takes to get past a daylight-saving change (a day of 1-minute steps). */
const MAX_GRID_STEPS = 1440;

/** The local day number of instant `t`. */
function localDay(t: number, zone: string): number {
  return Math.floor((t + offsetAt(zone, t) * MINUTE_MS) / DAY_MS);
}

/** Wall-clock minutes after local midnight of instant `t`. */
function localMinute(t: number, zone: string): number {
  const local = t + offsetAt(zone, t) * MINUTE_MS;
  return Math.floor((local - Math.floor(local / DAY_MS) * DAY_MS) / MINUTE_MS);
}

/** `localInstant` on a day number: the instant of wall-clock `minute` on local day `day`. */
function instantAt(day: number, minute: number, zone: string): number {
  return instantOfWallClock(day * DAY_MS + minute * MINUTE_MS, zone);
}

/** The weekday index of a day number, 0 = Monday … 6 = Sunday. */
function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** The local day numbers whose days overlap `[from, to)` (`dateRangeCovering`, with its bound). */
function daysCovering(from: number, to: number, zone: string): number[] {
  const days: number[] = [];
  if (!(to > from)) return days;
  if (!Number.isFinite(from) || !Number.isFinite(to) || to - from > MAX_WALK_DAYS * 25 * 3_600_000)
    throw new DayWalkLimitError('a range of local days');
  for (let day = localDay(from, zone); instantAt(day, 0, zone) < to; day += 1) {
    if (days.length >= MAX_WALK_DAYS) throw new DayWalkLimitError('a range of local days');
    days.push(day);
  }
  return days;
}

/** What the search needs of a policy's opening rules, derived once per policy object. */
interface Rules {
  /** Opening windows `[open, close)` in minutes per weekday index, or null (open around the clock). */
  windows: Array<Array<[number, number]>> | null;
  closed: Set<number> | null;
  /** Equal for policies with the same windows and closed days. */
  key: string;
}

const rulesOf = new WeakMap<Policy, Rules>();

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function rules(policy: Policy): Rules {
  let r = rulesOf.get(policy);
  if (!r) {
    const hours = policy.openingHours;
    const windows = hours
      ? WEEK_ORDER.map((d) => hours[d].map(([a, b]): [number, number] => [minutes(a), minutes(b)]))
      : null;
    const closedDays = policy.closures.map((c) => Math.round(Date.parse(`${c.date}T00:00:00Z`) / DAY_MS));
    const closed = closedDays.length > 0 ? new Set(closedDays) : null;
    r = { windows, closed, key: JSON.stringify([windows, [...(closed ?? [])].sort((a, b) => a - b)]) };
    rulesOf.set(policy, r);
  }
  return r;
}

/** Merged open stretches `[start, end)` of `[lo, hi)` before clipping (`openMs` of the shared rules). */
function openRaw(r: Rules, zone: string, lo: number, hi: number): Array<[number, number]> {
  const { windows, closed } = r;
  if (!windows && !closed) return [[lo, hi]];
  const raw: Array<[number, number]> = [];
  for (const day of daysCovering(lo, hi, zone)) {
    if (closed?.has(day)) continue;
    if (!windows) {
      raw.push([instantAt(day, 0, zone), instantAt(day + 1, 0, zone)]);
      continue;
    }
    for (const [open, close] of windows[weekdayIndex(day)] ?? []) {
      const a = instantAt(day, open, zone);
      const b = instantAt(day, close, zone);
      if (b > a) raw.push([a, b]);
    }
  }
  return mergeStretches(raw);
}

/** The open stretches of `[lo, hi)`, merged and clipped, as flat `[start0, end0, start1, end1, …]`. */
function openStretchesMs(r: Rules, zone: string, lo: number, hi: number): number[] {
  const out: number[] = [];
  if (hi <= lo) return out;
  for (const [a, b] of openRaw(r, zone, lo, hi)) {
    const s = Math.max(a, lo);
    const e = Math.min(b, hi);
    if (e > s) out.push(s, e);
  }
  return out;
}

/** The first instant at or after `t` on the local wall-clock grid of `slotMinutes`. */
export function ceilToGrid(t: number, slotMinutes: number, zone: string): number {
  const local = t + offsetAt(zone, t) * MINUTE_MS;
  const day = Math.floor(local / DAY_MS);
  const minute = Math.floor((local - day * DAY_MS) / MINUTE_MS) + (t % MINUTE_MS !== 0 ? 1 : 0);
  const rounded = Math.ceil(minute / slotMinutes) * slotMinutes;
  let next = rounded >= 1440 ? instantAt(day + 1, 0, zone) : instantAt(day, rounded, zone);
  // Around a daylight-saving change a wall-clock time can resolve to an earlier instant (by the
  // change, at most a few hours): step forward, a bounded number of times.
  for (let i = 0; next < t && i < MAX_GRID_STEPS; i += 1) next += slotMinutes * MINUTE_MS;
  return Math.max(next, t);
}

function onGrid(t: number, slotMinutes: number, zone: string): boolean {
  return t % MINUTE_MS === 0 && localMinute(t, zone) % slotMinutes === 0;
}

/** A bookings' interval holding `quantity` units of the resource. */
export interface Busy {
  start: number;
  end: number;
  quantity: number;
}

/** What one call shares among its resources: open stretches by zone, rules and range; advance limits by zone and days. */
export interface SearchMemo {
  open: Map<string, number[]>;
  advance: Map<string, number>;
}

export function searchMemo(): SearchMemo {
  return { open: new Map(), advance: new Map() };
}

export interface SearchInput {
  policy: Policy;
  zone: string;
  from: number;
  to: number;
  minutes: number;
  now: number;
  staff: boolean;
  /** Bookings holding units of the resource near the range (any order). */
  busy: readonly Busy[];
  /** The resource's units, and how many the slot takes (both 1 for a room). */
  capacity: number;
  quantity: number;
}

/**
 * Null when the slot fits: the bookings, each occupying `[start, end + gap)`, use at most `spare`
 * units at every instant of `[from, to)`. Otherwise the earliest start a later slot could fit at:
 * the first end (plus gap) of the bookings in the span; before it every booking in use at the
 * fullest instant still is, so no earlier start fits.
 */
function unitsFreeAfter(busy: readonly Busy[], from: number, to: number, gap: number, spare: number): number | null {
  let first = Infinity;
  let touching = 0;
  let holding = false;
  for (const b of busy) {
    if (b.start < to && b.end + gap > from) {
      touching += 1;
      if (b.quantity > 0) holding = true;
      if (b.end + gap < first) first = b.end + gap;
    }
  }
  if (touching === 0 || !holding) return null;
  if (spare > 0) {
    const inSpan = busy
      .filter((b) => b.start < to && b.end + gap > from)
      .map((b) => ({ start: b.start, end: b.end + gap, quantity: b.quantity }));
    if (peakOccupancy(inSpan, from, to) <= spare) return null;
  }
  return first;
}

/** `policyViolation` for `[s, e)` of the policy's `slotMinutes` grid, with the advance limit worked out once. */
function ruleBroken(
  p: Policy,
  r: Rules,
  zone: string,
  s: number,
  e: number,
  o: SearchInput,
  advanceLimit: number,
): PolicyRule | null {
  if (s < o.now - BOOKING_RULES.hardPastMs) return 'past';
  if (s > o.now + BOOKING_RULES.hardAdvanceMs) return 'advance';
  if (s < o.now) return 'past';
  if (!o.staff && s < o.now + p.minNoticeMinutes * MINUTE_MS) return 'notice';
  if (!o.staff && s > advanceLimit) return 'advance';
  const length = (e - s) / MINUTE_MS;
  if (length < p.minMinutes || length > p.maxMinutes) return 'duration';
  if (!onGrid(s, p.slotMinutes, zone) || !onGrid(e, p.slotMinutes, zone)) return 'grid';
  const { closed } = r;
  if (closed && daysCovering(s, e, zone).some((d) => closed.has(d))) return 'closure';
  if (r.windows && !openRaw(r, zone, s, e).some(([a, b]) => a <= s && b >= e)) return 'openingHours';
  return null;
}

/** `now` plus `days` local calendar days at the same wall-clock time (the shared rules' `plusLocalDays`). */
function plusLocalDays(now: number, days: number, zone: string): number {
  const p = localParts(now, zone);
  return localInstant(addDays(p.date, days), p.minute, zone) + (((now % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
}

/**
 * The earliest bookable `[start, start + minutes)` with `start` in `[from, to)` (ms), or null.
 * Pure but for `memo`, which only caches open stretches.
 */
export function searchEarliest(o: SearchInput, memo: SearchMemo = searchMemo()): { start: number; end: number } | null {
  const { policy, zone } = o;
  if (o.minutes < policy.minMinutes || o.minutes > policy.maxMinutes || o.minutes % policy.slotMinutes !== 0)
    return null;
  if (o.quantity > o.capacity) return null;
  const r = rules(policy);
  const length = o.minutes * MINUTE_MS;
  const gap = policy.bufferMinutes * MINUTE_MS;
  const lower = Math.max(o.from, o.now + (o.staff ? 0 : policy.minNoticeMinutes * MINUTE_MS));
  const toMs = o.to;
  if (lower >= toMs) return null;
  const key = `${zone}|${lower}|${toMs + length}|${r.key}`;
  let open = memo.open.get(key);
  if (!open) {
    open = openStretchesMs(r, zone, lower, toMs + length);
    memo.open.set(key, open);
  }
  const busy = o.busy;
  const spare = o.capacity - o.quantity;
  let advanceLimit = Infinity;
  if (!o.staff) {
    const advanceKey = `${zone}|${o.now}|${policy.maxAdvanceDays}`;
    const known = memo.advance.get(advanceKey);
    advanceLimit = known ?? plusLocalDays(o.now, policy.maxAdvanceDays, zone);
    if (known === undefined) memo.advance.set(advanceKey, advanceLimit);
  }
  let at = 0; // index of the first stretch whose end is after the candidate (candidates only grow)
  let candidate = lower;
  for (let step = 0; step < MAX_STEPS; step += 1) {
    candidate = ceilToGrid(candidate, policy.slotMinutes, zone);
    if (candidate >= toMs) return null;
    while (at < open.length && (open[at + 1] ?? 0) <= candidate) at += 2;
    if (at >= open.length) return null;
    const stretchStart = open[at] ?? 0;
    if (stretchStart > candidate) {
      candidate = stretchStart;
      continue;
    }
    const end = candidate + length;
    if (end > (open[at + 1] ?? 0)) {
      if (at + 2 >= open.length) return null;
      candidate = open[at + 2] ?? 0;
      continue;
    }
    const freeAt = busy.length === 0 ? null : unitsFreeAfter(busy, candidate, end + gap, gap, spare);
    if (freeAt !== null) {
      candidate = freeAt;
      continue;
    }
    const rule = ruleBroken(policy, r, zone, candidate, end, o, advanceLimit);
    if (rule === null) return { start: candidate, end };
    if (rule === 'advance') return null;
    candidate += policy.slotMinutes * MINUTE_MS; // off the grid across a daylight-saving change: try the next step
  }
  return null;
}
