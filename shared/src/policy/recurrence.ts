/**
 * Occurrences of a recurring booking (docs/protocol.md `booking:createSeries`), used by the server to
 * book a series and by the booking page to preview it.
 *
 * The rule is expanded by `rrule` on *floating* wall-clock times (its documented way to stay
 * clear of the host's zone: the UTC fields of its dates are read as local fields), and each
 * wall-clock start is then placed in the resource's zone by Luxon. So a weekly 09:00 stays 09:00
 * across a daylight-saving change, and the duration (in minutes) is the first occurrence's.
 * A wall-clock start that does not exist that day (inside the skipped hour) is kept in the list
 * and marked `nonexistent`: it is a POLICY_VIOLATION occurrence, never silently moved. In the
 * repeated hour of autumn a start resolves to its first (summer-time) instant, as Luxon does.
 */
import { DateTime } from 'luxon';
import { RRule } from 'rrule';
import type { Weekday as RRuleWeekday } from 'rrule';
import { WEEKDAYS } from './policy.schema';
import type { Weekday } from './policy.schema';

/** At most this many occurrences in one series. */
export const MAX_SERIES_OCCURRENCES = 100;

/** The `repeat` of `booking:createSeries`; exactly one of `count` and `until`. */
export interface RepeatRule {
  every: 'day' | 'week';
  /** Every n days or weeks, 1..4 (default 1). */
  interval?: number | undefined;
  /** Only on these local weekdays (weekly default: the first start's weekday). */
  weekdays?: Weekday[] | undefined;
  count?: number | undefined;
  /** Last local date (`YYYY-MM-DD`, inclusive) on which an occurrence may start. */
  until?: string | undefined;
}

export interface Occurrence {
  start: Date;
  end: Date;
  /** The local start time does not exist that day (skipped by a daylight-saving change). */
  nonexistent: boolean;
}

export type Expansion = { ok: true; occurrences: Occurrence[] } | { ok: false; reason: string };

const RRULE_DAYS: Record<Weekday, RRuleWeekday> = {
  mon: RRule.MO,
  tue: RRule.TU,
  wed: RRule.WE,
  thu: RRule.TH,
  fri: RRule.FR,
  sat: RRule.SA,
  sun: RRule.SU,
};

/** The local weekday of a Luxon date. */
function weekdayOf(local: DateTime): Weekday {
  return WEEKDAYS[local.weekday - 1] ?? 'mon';
}

/**
 * Every occurrence of the series that starts with `[start, end)`, in order, or why there is no
 * such series (the first start not on one of `weekdays`, `until` before the first date, more
 * than `MAX_SERIES_OCCURRENCES`). Policy and conflicts are the caller's question.
 */
export function expandSeries(input: { start: Date; end: Date; repeat: RepeatRule; timeZone: string }): Expansion {
  const { repeat, timeZone: zone } = input;
  const first = DateTime.fromJSDate(input.start, { zone });
  const durationMs = input.end.getTime() - input.start.getTime();
  const weekdays =
    repeat.weekdays && repeat.weekdays.length > 0
      ? [...new Set(repeat.weekdays)]
      : repeat.every === 'week'
        ? [weekdayOf(first)]
        : null;
  if (weekdays && !weekdays.includes(weekdayOf(first))) {
    return {
      ok: false,
      reason: `the first occurrence falls on a ${first.setLocale('en-GB').toFormat('cccc')}, which is not one of the chosen weekdays`,
    };
  }
  // Floating wall-clock time: rrule's UTC fields carry the local fields.
  const floating = (d: DateTime) => new Date(Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second));
  let until: Date | null = null;
  if (repeat.until !== undefined) {
    const last = DateTime.fromISO(repeat.until, { zone });
    if (!last.isValid) return { ok: false, reason: 'until must be a date YYYY-MM-DD' };
    if ((last.toISODate() ?? '') < (first.toISODate() ?? ''))
      return { ok: false, reason: 'until is before the first occurrence' };
    until = floating(last.endOf('day'));
  }
  const rule = new RRule({
    freq: repeat.every === 'day' ? RRule.DAILY : RRule.WEEKLY,
    interval: repeat.interval ?? 1,
    dtstart: floating(first),
    wkst: RRule.MO,
    ...(weekdays ? { byweekday: weekdays.map((d) => RRULE_DAYS[d]) } : {}),
    ...(repeat.count !== undefined ? { count: repeat.count } : {}),
    ...(until ? { until } : {}),
  });
  // One more than the cap tells "too many" from "exactly the cap" without expanding further: the
  // expansion's own bound, whatever `until` says (a year-9999 `until` stops here, not in 9999).
  const starts = rule.all((_date, i) => i <= MAX_SERIES_OCCURRENCES);
  if (starts.length > MAX_SERIES_OCCURRENCES)
    return { ok: false, reason: `a series has at most ${MAX_SERIES_OCCURRENCES} occurrences` };
  const occurrences = starts.map((f): Occurrence => {
    const wall = {
      year: f.getUTCFullYear(),
      month: f.getUTCMonth() + 1,
      day: f.getUTCDate(),
      hour: f.getUTCHours(),
      minute: f.getUTCMinutes(),
      second: f.getUTCSeconds(),
    };
    const local = DateTime.fromObject(wall, { zone });
    const nonexistent = local.hour !== wall.hour || local.minute !== wall.minute;
    const start = local.toJSDate();
    return { start, end: new Date(start.getTime() + durationMs), nonexistent };
  });
  return { ok: true, occurrences };
}

/** The RFC 5545 weekday codes of a rule's weekdays (the calendar file's BYDAY). */
export function icalWeekdays(
  repeat: RepeatRule,
  firstStart: Date,
  zone: string,
): Array<'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU'> | null {
  const days =
    repeat.weekdays && repeat.weekdays.length > 0
      ? repeat.weekdays
      : repeat.every === 'week'
        ? [weekdayOf(DateTime.fromJSDate(firstStart, { zone }))]
        : null;
  if (!days) return null;
  const codes = { mon: 'MO', tue: 'TU', wed: 'WE', thu: 'TH', fri: 'FR', sat: 'SA', sun: 'SU' } as const;
  return WEEKDAYS.filter((d) => days.includes(d)).map((d) => codes[d]);
}
