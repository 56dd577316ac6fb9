/**
 * The policy rules (shared/src/policy) against a table of cases per rule, with real zones from
 * the time-zone database, including both daylight-saving changes in Europe/Berlin and
 * America/New_York (2027: Berlin 28 Mar and 31 Oct, New York 14 Mar and 7 Nov).
 */
import {
  DEFAULT_POLICY,
  OpeningHours,
  PolicyInput,
  PolicySchema,
  TimeZone,
  localDaysCovering,
  openStretches,
  policyViolation,
} from '@booking/shared';
import type { Policy, PolicyRule } from '@booking/shared';
import { ceilToGrid, earliestSlot } from '../src/availability/slot-finder';

const closedWeek = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
const policy = (p: Partial<Policy>): Policy => ({ ...DEFAULT_POLICY, ...p });
const at = (iso: string) => new Date(iso);
const NOW = at('2027-01-04T12:00:00Z');

interface Case {
  name: string;
  policy: Policy;
  zone: string;
  start: string;
  end: string;
  staff?: boolean;
  now?: string;
  rule: PolicyRule | null;
}

const cases: Case[] = [
  // --- past, notice, advance (and the staff exemptions) ---
  {
    name: 'a start in the past',
    policy: DEFAULT_POLICY,
    zone: 'UTC',
    start: '2027-01-04T11:00:00Z',
    end: '2027-01-04T13:00:00Z',
    rule: 'past',
  },
  {
    name: 'staff cannot book the past either',
    policy: DEFAULT_POLICY,
    zone: 'UTC',
    start: '2027-01-04T11:00:00Z',
    end: '2027-01-04T13:00:00Z',
    staff: true,
    rule: 'past',
  },
  {
    name: 'inside the notice period',
    policy: policy({ minNoticeMinutes: 1440 }),
    zone: 'UTC',
    start: '2027-01-05T09:00:00Z',
    end: '2027-01-05T10:00:00Z',
    rule: 'notice',
  },
  {
    name: 'notice exactly met',
    policy: policy({ minNoticeMinutes: 1440 }),
    zone: 'UTC',
    start: '2027-01-05T12:00:00Z',
    end: '2027-01-05T13:00:00Z',
    rule: null,
  },
  {
    name: 'staff are exempt from notice',
    policy: policy({ minNoticeMinutes: 1440 }),
    zone: 'UTC',
    start: '2027-01-05T09:00:00Z',
    end: '2027-01-05T10:00:00Z',
    staff: true,
    rule: null,
  },
  {
    name: 'beyond the advance limit',
    policy: policy({ maxAdvanceDays: 7 }),
    zone: 'UTC',
    start: '2027-01-12T09:00:00Z',
    end: '2027-01-12T10:00:00Z',
    rule: 'advance',
  },
  {
    name: 'staff are exempt from advance',
    policy: policy({ maxAdvanceDays: 7 }),
    zone: 'UTC',
    start: '2027-01-12T09:00:00Z',
    end: '2027-01-12T10:00:00Z',
    staff: true,
    rule: null,
  },
  // --- duration ---
  {
    name: 'shorter than minMinutes',
    policy: policy({ minMinutes: 30 }),
    zone: 'UTC',
    start: '2027-01-05T09:00:00Z',
    end: '2027-01-05T09:15:00Z',
    rule: 'duration',
  },
  {
    name: 'longer than maxMinutes',
    policy: policy({ maxMinutes: 60 }),
    zone: 'UTC',
    start: '2027-01-05T09:00:00Z',
    end: '2027-01-05T10:01:00Z',
    rule: 'duration',
  },
  // Berlin, 31 Oct 2027: 01:30 CEST to 02:30 CET is two real hours across the repeated hour.
  {
    name: 'across the repeated hour the real length counts (Berlin)',
    policy: policy({ maxMinutes: 90 }),
    zone: 'Europe/Berlin',
    start: '2027-10-30T23:30:00Z',
    end: '2027-10-31T01:30:00Z',
    now: '2027-10-01T00:00:00Z',
    rule: 'duration',
  },
  {
    name: 'across the repeated hour within the limit (Berlin)',
    policy: policy({ maxMinutes: 120 }),
    zone: 'Europe/Berlin',
    start: '2027-10-30T23:30:00Z',
    end: '2027-10-31T01:30:00Z',
    now: '2027-10-01T00:00:00Z',
    rule: null,
  },
  // --- grid: local wall-clock minutes from local midnight ---
  {
    name: 'on the local quarter hour (New York, summer)',
    policy: policy({ slotMinutes: 15 }),
    zone: 'America/New_York',
    start: '2027-07-01T13:15:00Z',
    end: '2027-07-01T14:00:00Z',
    rule: null,
  },
  {
    name: 'off the quarter hour',
    policy: policy({ slotMinutes: 15 }),
    zone: 'America/New_York',
    start: '2027-07-01T13:05:00Z',
    end: '2027-07-01T14:00:00Z',
    rule: 'grid',
  },
  {
    name: 'seconds are off any grid',
    policy: DEFAULT_POLICY,
    zone: 'UTC',
    start: '2027-01-05T09:00:30Z',
    end: '2027-01-05T10:00:00Z',
    rule: 'grid',
  },
  {
    name: 'an hour grid in a +05:45 zone is local, not UTC (Kathmandu 09:00)',
    policy: policy({ slotMinutes: 60 }),
    zone: 'Asia/Kathmandu',
    start: '2027-01-05T03:15:00Z',
    end: '2027-01-05T04:15:00Z',
    rule: null,
  },
  {
    name: 'a UTC whole hour is off a local hour grid in Kathmandu',
    policy: policy({ slotMinutes: 60 }),
    zone: 'Asia/Kathmandu',
    start: '2027-01-05T03:00:00Z',
    end: '2027-01-05T04:00:00Z',
    rule: 'grid',
  },
  // New York, 14 Mar 2027: 01:45 EST then 03:00 EDT; the grid stays on local quarter hours after the jump.
  {
    name: 'quarter hours right after the spring change (New York)',
    policy: policy({ slotMinutes: 15 }),
    zone: 'America/New_York',
    start: '2027-03-14T07:15:00Z',
    end: '2027-03-14T08:00:00Z',
    now: '2027-03-01T00:00:00Z',
    rule: null,
  },
  // New York, 7 Nov 2027: 01:30 EDT (05:30Z) and 01:30 EST (06:30Z) are both on the grid.
  {
    name: 'the repeated 01:30 is on the grid both times (New York)',
    policy: policy({ slotMinutes: 30 }),
    zone: 'America/New_York',
    start: '2027-11-07T06:30:00Z',
    end: '2027-11-07T07:00:00Z',
    now: '2027-11-01T00:00:00Z',
    rule: null,
  },
  // --- closures ---
  {
    name: 'on a closure day',
    policy: policy({ closures: [{ date: '2027-01-06' }] }),
    zone: 'UTC',
    start: '2027-01-06T09:00:00Z',
    end: '2027-01-06T10:00:00Z',
    rule: 'closure',
  },
  {
    name: 'touching a local closure day in its own zone',
    policy: policy({ closures: [{ date: '2027-01-06' }] }),
    zone: 'Europe/Berlin',
    start: '2027-01-05T23:30:00Z',
    end: '2027-01-06T00:30:00Z',
    rule: 'closure',
  },
  {
    name: 'ending at the closure day’s midnight is fine',
    policy: policy({ closures: [{ date: '2027-01-06' }] }),
    zone: 'UTC',
    start: '2027-01-05T23:00:00Z',
    end: '2027-01-06T00:00:00Z',
    rule: null,
  },
  // --- opening hours ---
  {
    name: 'inside a window',
    policy: policy({ openingHours: { ...closedWeek, tue: [['08:00', '18:00']] } }),
    zone: 'Europe/Berlin',
    start: '2027-01-05T07:00:00Z',
    end: '2027-01-05T17:00:00Z',
    rule: null,
  },
  {
    name: 'sticking out of a window',
    policy: policy({ openingHours: { ...closedWeek, tue: [['08:00', '18:00']] } }),
    zone: 'Europe/Berlin',
    start: '2027-01-05T16:30:00Z',
    end: '2027-01-05T17:30:00Z',
    rule: 'openingHours',
  },
  {
    name: 'a weekday with no windows is closed',
    policy: policy({ openingHours: { ...closedWeek, tue: [['08:00', '18:00']] } }),
    zone: 'Europe/Berlin',
    start: '2027-01-06T09:00:00Z',
    end: '2027-01-06T10:00:00Z',
    rule: 'openingHours',
  },
  {
    name: 'between two windows of one day',
    policy: policy({
      openingHours: {
        ...closedWeek,
        tue: [
          ['08:00', '12:00'],
          ['13:00', '18:00'],
        ],
      },
    }),
    zone: 'UTC',
    start: '2027-01-05T11:30:00Z',
    end: '2027-01-05T13:30:00Z',
    rule: 'openingHours',
  },
  {
    name: 'a 24:00 window end',
    policy: policy({ openingHours: { ...closedWeek, mon: [['20:00', '24:00']] } }),
    zone: 'UTC',
    start: '2027-01-11T22:00:00Z',
    end: '2027-01-12T00:00:00Z',
    rule: null,
  },
  {
    name: 'adjacent windows across midnight are one stretch',
    policy: policy({ openingHours: { ...closedWeek, mon: [['20:00', '24:00']], tue: [['00:00', '02:00']] } }),
    zone: 'UTC',
    start: '2027-01-11T23:00:00Z',
    end: '2027-01-12T01:00:00Z',
    rule: null,
  },
  {
    name: 'across midnight without the next morning’s window',
    policy: policy({ openingHours: { ...closedWeek, mon: [['20:00', '24:00']] } }),
    zone: 'UTC',
    start: '2027-01-11T23:00:00Z',
    end: '2027-01-12T01:00:00Z',
    rule: 'openingHours',
  },
  // Berlin, 28 Mar 2027: 02:00–03:00 does not exist. A 01:00–04:00 window is two real hours.
  {
    name: 'a window containing the skipped hour (Berlin): all of it',
    policy: policy({ openingHours: { ...closedWeek, sun: [['01:00', '04:00']] } }),
    zone: 'Europe/Berlin',
    start: '2027-03-28T00:00:00Z',
    end: '2027-03-28T02:00:00Z',
    now: '2027-03-01T00:00:00Z',
    rule: null,
  },
  {
    name: 'a window containing the skipped hour (Berlin): past its end',
    policy: policy({ openingHours: { ...closedWeek, sun: [['01:00', '04:00']] } }),
    zone: 'Europe/Berlin',
    start: '2027-03-28T00:00:00Z',
    end: '2027-03-28T03:00:00Z',
    now: '2027-03-01T00:00:00Z',
    rule: 'openingHours',
  },
  {
    name: 'New York hours on the autumn change day follow local time',
    policy: policy({ openingHours: { ...closedWeek, sun: [['08:00', '18:00']] } }),
    zone: 'America/New_York',
    start: '2027-11-07T13:00:00Z',
    end: '2027-11-07T23:00:00Z',
    now: '2027-11-01T00:00:00Z',
    rule: null,
  },
];

describe('policyViolation', () => {
  it.each(cases)('$name → $rule', (c) => {
    expect(
      policyViolation({
        policy: c.policy,
        timeZone: c.zone,
        start: at(c.start),
        end: at(c.end),
        now: at(c.now ?? NOW.toISOString()),
        staff: c.staff ?? false,
      }),
    ).toBe(c.rule);
  });
});

describe('openStretches', () => {
  it('a week of weekday hours with a closure, in Berlin across the spring change', () => {
    const p = policy({
      openingHours: {
        mon: [['08:00', '18:00']],
        tue: [['08:00', '18:00']],
        wed: [['08:00', '18:00']],
        thu: [['08:00', '18:00']],
        fri: [['08:00', '18:00']],
        sat: [],
        sun: [],
      },
      closures: [{ date: '2027-03-24', reason: 'holiday' }],
    });
    // Mon 22 Mar to Mon 29 Mar 2027; the clocks change on Sunday 28 Mar.
    const open = openStretches(p, 'Europe/Berlin', at('2027-03-21T23:00:00Z'), at('2027-03-28T22:00:00Z'));
    expect(open.map((s) => [s.start.toISOString(), s.end.toISOString()])).toEqual([
      ['2027-03-22T07:00:00.000Z', '2027-03-22T17:00:00.000Z'],
      ['2027-03-23T07:00:00.000Z', '2027-03-23T17:00:00.000Z'],
      ['2027-03-25T07:00:00.000Z', '2027-03-25T17:00:00.000Z'],
      ['2027-03-26T07:00:00.000Z', '2027-03-26T17:00:00.000Z'],
    ]);
    // The Monday after the change opens at 08:00 CEST = 06:00Z.
    expect(
      openStretches(p, 'Europe/Berlin', at('2027-03-28T22:00:00Z'), at('2027-03-29T22:00:00Z'))[0]?.start.toISOString(),
    ).toBe('2027-03-29T06:00:00.000Z');
  });

  it('around the clock is the whole range, and local days are 23 or 25 hours on change days', () => {
    expect(
      openStretches(DEFAULT_POLICY, 'Europe/Berlin', at('2027-01-01T00:00:00Z'), at('2027-01-02T00:00:00Z')),
    ).toEqual([{ start: at('2027-01-01T00:00:00Z'), end: at('2027-01-02T00:00:00Z') }]);
    const days = localDaysCovering(at('2027-10-30T22:00:00Z'), at('2027-11-01T23:00:00Z'), 'Europe/Berlin');
    expect(days).toEqual(['2027-10-31', '2027-11-01']);
    const [sunday] = openStretches(
      policy({ closures: [{ date: '2027-11-01' }] }),
      'Europe/Berlin',
      at('2027-10-30T22:00:00Z'),
      at('2027-11-01T23:00:00Z'),
    );
    expect(sunday && (sunday.end.getTime() - sunday.start.getTime()) / 3_600_000).toBe(25);
  });
});

describe('policy schemas', () => {
  it('accepts a whole valid policy and refuses each kind of bad one with its path', () => {
    expect(
      PolicySchema.safeParse({ ...DEFAULT_POLICY, openingHours: { ...closedWeek, mon: [['08:00', '24:00']] } }).success,
    ).toBe(true);
    const bad: Array<[unknown, string]> = [
      [{ slotMinutes: 7 }, 'slotMinutes'],
      [{ minMinutes: 60, maxMinutes: 30 }, 'maxMinutes'],
      [{ bufferMinutes: -1 }, 'bufferMinutes'],
      [{ maxActivePerUser: 0 }, 'maxActivePerUser'],
      [{ openingHours: { ...closedWeek, mon: [['18:00', '08:00']] } }, 'openingHours.mon.0.1'],
      [{ openingHours: { ...closedWeek, mon: [['8:00', '12:00']] } }, 'openingHours.mon.0.0'],
      [{ openingHours: { ...closedWeek, mon: [['24:00', '24:00']] } }, 'openingHours.mon.0.0'],
      [
        {
          openingHours: {
            ...closedWeek,
            mon: [
              ['08:00', '12:00'],
              ['11:00', '13:00'],
            ],
          },
        },
        'openingHours.mon',
      ],
      [{ closures: [{ date: '2027-02-30' }] }, 'closures.0.date'],
      [{ checkIn: { windowMinutes: 0 } }, 'checkIn.windowMinutes'],
      [{ unknown: 1 }, ''],
    ];
    for (const [input, path] of bad) {
      const parsed = PolicyInput.safeParse(input);
      expect(parsed.success).toBe(false);
      if (!parsed.success) expect(parsed.error.issues.map((i) => i.path.join('.'))).toContain(path);
    }
    expect(OpeningHours.safeParse({ ...closedWeek, mon: [['00:00', '24:00']] }).success).toBe(true);
    expect(TimeZone.safeParse('Europe/Berlin').success).toBe(true);
    expect(TimeZone.safeParse('Mars/Olympus_Mons').success).toBe(false);
  });
});

describe('slots:find search', () => {
  it('rounds up to the local grid, also across a daylight-saving change', () => {
    expect(new Date(ceilToGrid(Date.parse('2027-01-05T09:07:00Z'), 15, 'UTC')).toISOString()).toBe(
      '2027-01-05T09:15:00.000Z',
    );
    // Kathmandu (+05:45): the next local whole hour after 03:00Z (08:45 local) is 09:00 local = 03:15Z.
    expect(new Date(ceilToGrid(Date.parse('2027-01-05T03:00:00Z'), 60, 'Asia/Kathmandu')).toISOString()).toBe(
      '2027-01-05T03:15:00.000Z',
    );
    // Berlin, 28 Mar 2027 01:50 CET: the next half hour would be 02:00, which does not exist: 03:00 CEST.
    expect(new Date(ceilToGrid(Date.parse('2027-03-28T00:50:00Z'), 30, 'Europe/Berlin')).toISOString()).toBe(
      '2027-03-28T01:00:00.000Z',
    );
  });

  it('finds the earliest gap that keeps the buffer, inside opening hours', () => {
    const p = policy({
      slotMinutes: 15,
      bufferMinutes: 10,
      openingHours: { ...closedWeek, tue: [['08:00', '12:00']] },
    });
    const busy = [
      { start: Date.parse('2027-01-05T08:00:00Z'), end: Date.parse('2027-01-05T09:00:00Z'), quantity: 1 },
      { start: Date.parse('2027-01-05T10:00:00Z'), end: Date.parse('2027-01-05T10:30:00Z'), quantity: 1 },
    ];
    const slot = (minutes: number) =>
      earliestSlot({
        policy: p,
        zone: 'UTC',
        from: at('2027-01-05T00:00:00Z'),
        to: at('2027-01-06T00:00:00Z'),
        minutes,
        now: NOW,
        staff: false,
        busy,
        capacity: 1,
        quantity: 1,
      });
    // 09:00 + 10 min buffer → 09:15 on the grid; 30 minutes fit before 10:00 − 10 min.
    expect(slot(30)?.start.toISOString()).toBe('2027-01-05T09:15:00.000Z');
    // An hour does not fit there: after 10:30 + 10 → 10:45.
    expect(slot(60)?.start.toISOString()).toBe('2027-01-05T10:45:00.000Z');
    // Two hours do not fit at all that day.
    expect(slot(120)).toBeNull();
    // Off the grid or outside the duration limits: nothing.
    expect(slot(20)).toBeNull();
  });

  it('finds where enough units are free on a resource of several, counting units per instant', () => {
    const p = policy({
      slotMinutes: 15,
      bufferMinutes: 0,
      openingHours: { ...closedWeek, tue: [['08:00', '12:00']] },
    });
    const iv = (a: string, b: string, quantity: number) => ({
      start: Date.parse(`2027-01-05T${a}:00Z`),
      end: Date.parse(`2027-01-05T${b}:00Z`),
      quantity,
    });
    // Capacity 3. Staggered: 08-09 (1), 08:30-09:30 (1), 09-10 (1); three overlap 08:00-10:00 but at
    // most two units are used at any instant, so one unit is free from 08:00.
    const staggered = [iv('08:00', '09:00', 1), iv('08:30', '09:30', 1), iv('09:00', '10:00', 1)];
    const slot = (busy: Array<ReturnType<typeof iv>>, minutes: number, quantity: number) =>
      earliestSlot({
        policy: p,
        zone: 'UTC',
        from: at('2027-01-05T00:00:00Z'),
        to: at('2027-01-06T00:00:00Z'),
        minutes,
        now: NOW,
        staff: false,
        busy,
        capacity: 3,
        quantity,
      })?.start.toISOString() ?? null;
    expect(slot(staggered, 120, 1)).toBe('2027-01-05T08:00:00.000Z');
    // Two units for half an hour fit at 08:00 (one in use); for an hour they do not until 09:30, as
    // 08:30-09:30 has two in use (a count of overlapping bookings would say three from 08:00 to 10:00).
    expect(slot(staggered, 30, 2)).toBe('2027-01-05T08:00:00.000Z');
    expect(slot(staggered, 60, 2)).toBe('2027-01-05T09:30:00.000Z');
    // Three units: only after 10:00.
    expect(slot(staggered, 60, 3)).toBe('2027-01-05T10:00:00.000Z');
    // Full to 11:00 by one booking of three units; nothing fits before.
    expect(slot([iv('08:00', '11:00', 3)], 60, 1)).toBe('2027-01-05T11:00:00.000Z');
    // More units than the resource has: nothing.
    expect(slot([], 15, 4)).toBeNull();
  });
});
