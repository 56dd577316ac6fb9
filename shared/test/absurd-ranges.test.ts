/**
 * Issue 22: every day-walking helper has a hard bound of its own, so an absurd range that got
 * past an edge check costs a thrown error, not millions of days. And the rules answer an absurd
 * instant from the hard window, without local-day arithmetic, staff included.
 */
import {
  BookingCreate,
  BookingCreateSeries,
  BookingModify,
  DayWalkLimitError,
  expandSeries,
  localDaysCovering,
  localDaysOf,
  MAX_WALK_DAYS,
  openStretches,
  policyOrDefault,
  policyViolation,
} from '@booking/shared';

const DAY = 86_400_000;
const NEVER = { start: new Date('0001-01-01T00:00:00Z'), end: new Date('9999-12-31T00:00:00Z') };
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Pacific/Chatham'];

describe('day-walking helpers', () => {
  test.each(ZONES)('year 0001 to 9999 throws at once in %s (local days, days of intervals, open stretches)', (zone) => {
    const closures = policyOrDefault({ closures: [{ date: '2030-01-01' }] });
    const hours = policyOrDefault({
      openingHours: { mon: [['09:00', '17:00']], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    });
    // The error is the bound's, thrown at MAX_WALK_DAYS (the next test): without the bound nothing
    // is thrown and the walk takes minutes. No wall-clock assertion: a busy machine once took 111 ms
    // for these four throws.
    expect(() => localDaysCovering(NEVER.start, NEVER.end, zone)).toThrow(DayWalkLimitError);
    expect(() => localDaysOf([NEVER], zone)).toThrow(DayWalkLimitError);
    expect(() => openStretches(closures, zone, NEVER.start, NEVER.end)).toThrow(DayWalkLimitError);
    expect(() => openStretches(hours, zone, NEVER.start, NEVER.end)).toThrow(DayWalkLimitError);
  });

  test.each(ZONES)('the bound is MAX_WALK_DAYS local days in %s: the longest legitimate walk passes', (zone) => {
    const from = new Date('2027-01-01T00:00:00Z');
    // slots:find: 31 days widened by a week-long slot and a day of buffer on either side.
    expect(localDaysCovering(from, new Date(from.getTime() + (31 + 2 * 8) * DAY), zone).length).toBeLessThanOrEqual(49);
    expect(
      localDaysCovering(from, new Date(from.getTime() + (MAX_WALK_DAYS - 5) * DAY), zone).length,
    ).toBeLessThanOrEqual(MAX_WALK_DAYS);
    expect(() => localDaysCovering(from, new Date(from.getTime() + (MAX_WALK_DAYS + 1) * DAY), zone)).toThrow(
      DayWalkLimitError,
    );
  });

  test('an empty or inverted range is no days, not an error', () => {
    expect(localDaysCovering(NEVER.end, NEVER.start, 'UTC')).toEqual([]);
    expect(
      openStretches(policyOrDefault({ closures: [{ date: '2030-01-01' }] }), 'UTC', NEVER.end, NEVER.start),
    ).toEqual([]);
  });
});

describe('the rules', () => {
  const now = new Date('2027-06-01T12:00:00Z');
  // Closures and opening hours would walk every day of the interval, were the window not first.
  const policy = policyOrDefault({ maxMinutes: 10_080, closures: [{ date: '2030-01-01' }], openingHours: null });

  test.each([true, false])('an absurd instant breaks past or advance at once (staff: %s)', (staff) => {
    // Answered from the hard window, before any local-day arithmetic (no wall-clock assertion).
    expect(policyViolation({ policy, timeZone: 'Europe/Berlin', ...NEVER, now, staff })).toBe('past');
    const far = new Date('9999-12-30T00:00:00Z');
    expect(
      policyViolation({
        policy,
        timeZone: 'Europe/Berlin',
        start: far,
        end: new Date(far.getTime() + 3_600_000),
        now,
        staff,
      }),
    ).toBe('advance');
  });

  test('the window: a day back (then the policy says past), ten years ahead even for staff', () => {
    const at = (ms: number) => ({ start: new Date(ms), end: new Date(ms + 3_600_000) });
    expect(policyViolation({ policy, timeZone: 'UTC', ...at(now.getTime() - DAY - 60_000), now, staff: true })).toBe(
      'past',
    );
    expect(
      policyViolation({ policy, timeZone: 'UTC', ...at(now.getTime() + 3653 * DAY + 60_000), now, staff: true }),
    ).toBe('advance');
    expect(
      policyViolation({ policy, timeZone: 'UTC', ...at(now.getTime() + 3652 * DAY), now, staff: true }),
    ).toBeNull();
    expect(policyViolation({ policy, timeZone: 'UTC', ...at(now.getTime() + 3652 * DAY), now, staff: false })).toBe(
      'advance',
    );
  });
});

describe('payload shapes', () => {
  const id = 'aaaaaaaaaaaaaaaaaaaaaaaa';
  const week = (extraMs: number) => ({
    start: '2027-06-01T00:00:00Z',
    end: new Date(Date.parse('2027-06-08T00:00:00Z') + extraMs).toISOString(),
  });

  test('a booking over 7 days, or ending before it starts, is refused by the schema', () => {
    for (const schema of [BookingCreate, BookingModify]) {
      const base = schema === BookingCreate ? { resourceId: id } : { bookingId: id };
      expect(schema.safeParse({ ...base, start: '0001-01-01T00:00:00Z', end: '9999-12-31T00:00:00Z' }).success).toBe(
        false,
      );
      expect(schema.safeParse({ ...base, ...week(60_000) }).success).toBe(false);
      expect(schema.safeParse({ ...base, ...week(0) }).success).toBe(true);
      expect(schema.safeParse({ ...base, start: '2027-06-01T01:00:00Z', end: '2027-06-01T00:00:00Z' }).success).toBe(
        false,
      );
    }
    const series = { resourceId: id, repeat: { every: 'day', count: 2 }, onConflict: 'skip' };
    expect(BookingCreateSeries.safeParse({ ...series, ...week(60_000) }).success).toBe(false);
    const bad = BookingCreateSeries.safeParse({
      ...series,
      start: '0001-01-01T00:00:00Z',
      end: '9999-12-31T00:00:00Z',
    });
    expect(bad.success ? null : bad.error.issues.map((i) => i.path.join('.'))).toEqual(['end']);
  });
});

describe('series expansion', () => {
  test('a year-9999 until stops at the occurrence cap, at once', () => {
    const start = new Date('2027-06-01T09:00:00Z');
    // Stopped by the occurrence cap (no wall-clock assertion).
    const result = expandSeries({
      start,
      end: new Date(start.getTime() + 3_600_000),
      repeat: { every: 'day', until: '9999-12-31' },
      timeZone: 'Europe/Berlin',
    });
    expect(result).toMatchObject({ ok: false });
  });
});
