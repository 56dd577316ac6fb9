/**
 * The expansion table of a series (shared/src/policy/recurrence.ts): rrule on wall-clock times,
 * placed in the resource's zone by Luxon. Its edge cases are tested here, not trusted.
 */
import { DateTime } from 'luxon';
import {
  BookingCreateSeries,
  expandSeries,
  MAX_SERIES_OCCURRENCES,
  policyOrDefault,
  policyViolation,
} from '@booking/shared';
import type { Occurrence, RepeatRule } from '@booking/shared';

const at = (local: string, zone: string) => DateTime.fromISO(local, { zone }).toJSDate();
const localOf = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat("yyyy-LL-dd'T'HH:mm ccc");

function expand(o: { start: string; minutes: number; zone: string; repeat: RepeatRule }): Occurrence[] {
  const start = at(o.start, o.zone);
  const res = expandSeries({
    start,
    end: new Date(start.getTime() + o.minutes * 60_000),
    repeat: o.repeat,
    timeZone: o.zone,
  });
  if (!res.ok) throw new Error(res.reason);
  return res.occurrences;
}

describe('weekly across both daylight-saving changes keeps the local start and the duration', () => {
  test.each([
    // Europe/Berlin: summer time from 28 Mar 2027 02:00, winter time from 31 Oct 2027 03:00.
    ['Europe/Berlin', '2027-03-15T09:00', 3, '+01:00', '+02:00', '2027-10-18T09:00', '+02:00', '+01:00'],
    // America/New_York: DST from 14 Mar 2027, standard time from 7 Nov 2027.
    ['America/New_York', '2027-03-01T09:00', 3, '-05:00', '-04:00', '2027-10-25T09:00', '-04:00', '-05:00'],
  ])('%s', (zone, springStart, weeks, before, after, autumnStart, summer, winter) => {
    for (const [start, from, to] of [
      [springStart, before, after],
      [autumnStart, summer, winter],
    ] as const) {
      const occ = expand({ start, minutes: 60, zone, repeat: { every: 'week', count: weeks } });
      expect(occ).toHaveLength(weeks);
      for (const o of occ) {
        const local = DateTime.fromJSDate(o.start, { zone });
        expect(local.toFormat('HH:mm')).toBe('09:00');
        expect(o.end.getTime() - o.start.getTime()).toBe(3_600_000);
        expect(o.nonexistent).toBe(false);
      }
      const offsets = occ.map((o) => DateTime.fromJSDate(o.start, { zone }).toFormat('ZZ'));
      expect(offsets[0]).toBe(from);
      expect(offsets[offsets.length - 1]).toBe(to);
      // The instants differ by a week minus or plus the hour that moved.
      const gaps = new Set(
        occ.slice(1).map((o, i) => (o.start.getTime() - (occ[i]?.start.getTime() ?? 0)) / 3_600_000),
      );
      expect([...gaps].sort()).toEqual(from === before ? [167, 168] : [168, 169]);
    }
  });
});

test('daily on chosen weekdays skips the others, across a week boundary, every second week', () => {
  const zone = 'Europe/Berlin';
  const occ = expand({
    start: '2027-01-04T08:30',
    minutes: 30,
    zone,
    repeat: { every: 'day', weekdays: ['mon', 'wed', 'fri'], count: 5 },
  });
  expect(occ.map((o) => localOf(o.start, zone))).toEqual([
    '2027-01-04T08:30 Mon',
    '2027-01-06T08:30 Wed',
    '2027-01-08T08:30 Fri',
    '2027-01-11T08:30 Mon',
    '2027-01-13T08:30 Wed',
  ]);
  const fortnightly = expand({
    start: '2027-01-04T08:30',
    minutes: 30,
    zone,
    repeat: { every: 'week', interval: 2, weekdays: ['mon', 'thu'], count: 4 },
  });
  expect(fortnightly.map((o) => localOf(o.start, zone))).toEqual([
    '2027-01-04T08:30 Mon',
    '2027-01-07T08:30 Thu',
    '2027-01-18T08:30 Mon',
    '2027-01-21T08:30 Thu',
  ]);
});

test('until is inclusive: an occurrence on the last day counts, late in that local day too', () => {
  const zone = 'America/New_York';
  // 23:00 local is already the next day in UTC: `until` is a local date.
  const occ = expand({ start: '2027-02-01T23:00', minutes: 30, zone, repeat: { every: 'day', until: '2027-02-05' } });
  expect(occ).toHaveLength(5);
  expect(localOf(occ[4]?.start ?? new Date(0), zone)).toBe('2027-02-05T23:00 Fri');
  const weekly = expand({
    start: '2027-02-01T10:00',
    minutes: 60,
    zone,
    repeat: { every: 'week', until: '2027-02-15' },
  });
  expect(weekly.map((o) => localOf(o.start, zone).slice(0, 10))).toEqual(['2027-02-01', '2027-02-08', '2027-02-15']);
});

test('an occurrence in the skipped hour is kept and marked, never moved', () => {
  const zone = 'Europe/Berlin';
  const occ = expand({ start: '2027-03-26T02:30', minutes: 30, zone, repeat: { every: 'day', count: 4 } });
  expect(occ.map((o) => o.nonexistent)).toEqual([false, false, true, false]);
  expect(localOf(occ[3]?.start ?? new Date(0), zone)).toBe('2027-03-29T02:30 Mon');
});

test('a closure date is a policy violation of that occurrence only', () => {
  const zone = 'Europe/Berlin';
  const policy = policyOrDefault({ closures: [{ date: '2027-05-12', reason: 'Holiday' }] });
  const occ = expand({ start: '2027-05-05T09:00', minutes: 60, zone, repeat: { every: 'week', count: 3 } });
  const now = at('2027-05-01T00:00', zone);
  expect(
    occ.map((o) => policyViolation({ policy, timeZone: zone, start: o.start, end: o.end, now, staff: false })),
  ).toEqual([null, 'closure', null]);
});

test('at most 100 occurrences: 100 expand, 101 are refused however they are asked for', () => {
  const zone = 'UTC';
  expect(
    expand({ start: '2027-01-01T09:00', minutes: 60, zone, repeat: { every: 'day', count: MAX_SERIES_OCCURRENCES } }),
  ).toHaveLength(100);
  // 1 Jan + 100 days = 11 Apr: 101 occurrences by `until`.
  const start = at('2027-01-01T09:00', zone);
  const tooMany = expandSeries({
    start,
    end: new Date(start.getTime() + 3_600_000),
    repeat: { every: 'day', until: '2027-04-11' },
    timeZone: zone,
  });
  expect(tooMany).toEqual({ ok: false, reason: 'a series has at most 100 occurrences' });
  const base = { resourceId: 'r', start: '2027-01-01T09:00:00Z', end: '2027-01-01T10:00:00Z', onConflict: 'fail' };
  expect(BookingCreateSeries.safeParse({ ...base, repeat: { every: 'day', count: 101 } }).success).toBe(false);
  expect(BookingCreateSeries.safeParse({ ...base, repeat: { every: 'day', count: 100 } }).success).toBe(true);
  expect(
    BookingCreateSeries.safeParse({ ...base, repeat: { every: 'day', count: 3, until: '2027-02-01' } }).success,
  ).toBe(false);
  expect(BookingCreateSeries.safeParse({ ...base, repeat: { every: 'day' } }).success).toBe(false);
});

test('a first start off the chosen weekdays, or until before it, is refused', () => {
  const start = at('2027-01-05T09:00', 'UTC'); // a Tuesday
  const end = new Date(start.getTime() + 3_600_000);
  expect(expandSeries({ start, end, repeat: { every: 'week', weekdays: ['mon'], count: 2 }, timeZone: 'UTC' }).ok).toBe(
    false,
  );
  expect(expandSeries({ start, end, repeat: { every: 'day', until: '2027-01-04' }, timeZone: 'UTC' }).ok).toBe(false);
});
