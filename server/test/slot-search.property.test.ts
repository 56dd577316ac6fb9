/**
 * `slots:find`'s search (`slot-search.ts`, on epoch ms and local day numbers) against a
 * straightforward reference: the search as it was written on the shared policy rules
 * (`openStretches`, `policyViolation`, a grid rounding through `localParts`/`localInstant`), kept
 * here verbatim. Random resources, rules and bookings (seeded, so a failure reruns the same way):
 * zones with daylight-saving changes of an hour, of half an hour (Lord Howe) and at midnight
 * (Santiago), weeks across those changes, opening windows around the skipped and repeated hours,
 * closures, buffers, notice and advance limits, staff and not, several units.
 *
 * One memo is shared by every case of a run, as one call shares it among its resources: a key
 * that left out something the stretches depend on shows up as a different answer.
 */
import fc from 'fast-check';
import { DEFAULT_POLICY, addDays, localInstant, localParts, openStretches, policyViolation } from '@booking/shared';
import type { OpeningHours, Policy } from '@booking/shared';
import { peakOccupancy } from '../src/booking/occupancy';
import { searchEarliest, searchMemo } from '../src/availability/slot-search';
import type { Busy, SearchInput } from '../src/availability/slot-search';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const SEED = 20_261_206;

// ---- The reference: the search before the fast path, unchanged but for taking ms. ----

function refCeilToGrid(t: number, slotMinutes: number, zone: string): number {
  const local = localParts(t, zone);
  const minutes = local.minute + (t % MINUTE_MS !== 0 ? 1 : 0);
  const rounded = Math.ceil(minutes / slotMinutes) * slotMinutes;
  let next = rounded >= 1440 ? localInstant(addDays(local.date, 1), 0, zone) : localInstant(local.date, rounded, zone);
  for (let i = 0; next < t && i < 1440; i += 1) next += slotMinutes * MINUTE_MS;
  return Math.max(next, t);
}

function refUnitsFreeAfter(busy: readonly Busy[], from: number, to: number, gap: number, spare: number): number | null {
  const inSpan = busy.filter((b) => b.start < to && b.end + gap > from);
  if (inSpan.length === 0) return null;
  if (
    peakOccupancy(
      inSpan.map((b) => ({ start: b.start, end: b.end + gap, quantity: b.quantity })),
      from,
      to,
    ) <= spare
  )
    return null;
  return Math.min(...inSpan.map((b) => b.end + gap));
}

function refEarliest(o: SearchInput): { start: number; end: number } | null {
  const { policy, zone, minutes } = o;
  if (minutes < policy.minMinutes || minutes > policy.maxMinutes || minutes % policy.slotMinutes !== 0) return null;
  if (o.quantity > o.capacity) return null;
  const length = minutes * MINUTE_MS;
  const gap = policy.bufferMinutes * MINUTE_MS;
  const notice = o.staff ? 0 : policy.minNoticeMinutes * MINUTE_MS;
  const lower = Math.max(o.from, o.now + notice);
  const toMs = o.to;
  if (lower >= toMs) return null;
  const open = openStretches(policy, zone, new Date(lower), new Date(toMs + length)).map((s) => ({
    start: s.start.getTime(),
    end: s.end.getTime(),
  }));
  const busy = [...o.busy].sort((a, b) => a.start - b.start);
  let candidate = lower;
  for (let step = 0; step < 2000; step += 1) {
    candidate = refCeilToGrid(candidate, policy.slotMinutes, zone);
    if (candidate >= toMs) return null;
    const stretch = open.find((s) => s.end > candidate);
    if (!stretch) return null;
    if (stretch.start > candidate) {
      candidate = stretch.start;
      continue;
    }
    const end = candidate + length;
    if (end > stretch.end) {
      const next = open.find((s) => s.start > stretch.start);
      if (!next) return null;
      candidate = next.start;
      continue;
    }
    const freeAt = refUnitsFreeAfter(busy, candidate, end + gap, gap, o.capacity - o.quantity);
    if (freeAt !== null) {
      candidate = freeAt;
      continue;
    }
    const rule = policyViolation({
      policy,
      timeZone: zone,
      start: new Date(candidate),
      end: new Date(end),
      now: new Date(o.now),
      staff: o.staff,
    });
    if (rule === null) return { start: candidate, end };
    if (rule === 'advance') return null;
    candidate += policy.slotMinutes * MINUTE_MS;
  }
  return null;
}

// ---- Random cases. ----

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe', // half-hour change, 2027-04-04 and 2027-10-03
  'America/Santiago', // changes at local midnight, 2027-04-04 and 2027-09-05
  'Asia/Kathmandu', // +05:45
] as const;

/** Days just before a change in one of the zones (2027), and one without any. */
const ANCHORS = [
  '2027-03-13',
  '2027-03-27',
  '2027-10-30',
  '2027-11-06',
  '2027-04-03',
  '2027-10-02',
  '2027-09-04',
  '2027-01-05',
];

/** Window sets of one day, each sorted and non-overlapping: around the skipped/repeated hours, midnight, a whole day. */
const DAY_WINDOWS: Array<Array<[string, string]>> = [
  [['08:00', '18:00']],
  [['00:00', '24:00']],
  [
    ['00:00', '02:30'],
    ['02:30', '03:30'],
    ['08:00', '12:00'],
    ['13:00', '18:00'],
    ['22:00', '24:00'],
  ],
  [
    ['01:30', '03:30'],
    ['09:15', '17:45'],
  ],
  [['02:00', '02:45']],
  [],
];

const dayWindows = fc.constantFrom(...DAY_WINDOWS).chain((set) => fc.subarray(set));

const openingHours: fc.Arbitrary<OpeningHours | null> = fc.option(
  fc.record({
    mon: dayWindows,
    tue: dayWindows,
    wed: dayWindows,
    thu: dayWindows,
    fri: dayWindows,
    sat: dayWindows,
    sun: dayWindows,
  }),
  { nil: null, freq: 4 },
);

const caseArb = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    anchor: fc.constantFrom(...ANCHORS),
    /** Minutes after the anchor's UTC midnight where the range starts; sometimes off the minute. */
    fromMinutes: fc.integer({ min: -600, max: 2 * 1440 }),
    fromSeconds: fc.constantFrom(0, 0, 0, 30),
    spanMinutes: fc.integer({ min: 30, max: 8 * 1440 }),
    slotMinutes: fc.constantFrom(1, 5, 10, 15, 20, 30, 60, 120),
    slots: fc.integer({ min: 1, max: 4 }),
    offGrid: fc.constantFrom(0, 0, 0, 0, 5),
    minMinutes: fc.constantFrom(1, 15, 30),
    maxMinutes: fc.constantFrom(60, 240, 1440),
    bufferMinutes: fc.constantFrom(0, 0, 5, 10, 15, 30, 60),
    minNoticeMinutes: fc.constantFrom(0, 30, 120, 1440),
    maxAdvanceDays: fc.integer({ min: 1, max: 12 }),
    openingHours,
    closures: fc.subarray([-1, 0, 1, 2, 3, 4, 5, 6, 7, 8]),
    /** Now, in minutes before the range's start (negative: the range starts in the past). */
    nowBefore: fc.integer({ min: -1440, max: 4 * 1440 }),
    staff: fc.boolean(),
    capacity: fc.integer({ min: 1, max: 3 }),
    quantity: fc.constantFrom(1, 1, 1, 2, 3, 4),
    busy: fc.array(
      fc.record({
        at: fc.integer({ min: -1440, max: 9 * 1440 }),
        length: fc.integer({ min: 5, max: 600 }),
        quantity: fc.integer({ min: 1, max: 3 }),
      }),
      { maxLength: 12 },
    ),
  })
  .map((c) => {
    const base = Date.parse(`${c.anchor}T00:00:00Z`);
    const from = base + c.fromMinutes * MINUTE_MS + c.fromSeconds * 1000;
    const policy: Policy = {
      ...DEFAULT_POLICY,
      openingHours: c.openingHours,
      closures: c.closures.map((d) => ({ date: addDays(c.anchor, d) })),
      slotMinutes: c.slotMinutes,
      minMinutes: c.minMinutes,
      maxMinutes: c.maxMinutes,
      bufferMinutes: c.bufferMinutes,
      minNoticeMinutes: c.minNoticeMinutes,
      maxAdvanceDays: c.maxAdvanceDays,
    };
    const input: SearchInput = {
      policy,
      zone: c.zone,
      from,
      to: from + c.spanMinutes * MINUTE_MS,
      minutes: c.slotMinutes * c.slots + c.offGrid,
      now: from - c.nowBefore * MINUTE_MS,
      staff: c.staff,
      busy: c.busy.map((b) => ({
        start: base + b.at * MINUTE_MS,
        end: base + (b.at + b.length) * MINUTE_MS,
        quantity: b.quantity,
      })),
      capacity: c.capacity,
      quantity: c.quantity,
    };
    return input;
  });

const show = (r: { start: number; end: number } | null) =>
  r ? `${new Date(r.start).toISOString()}–${new Date(r.end).toISOString()}` : 'none';

describe('slots:find search against the straightforward reference', () => {
  it('gives the same earliest slot on random resources, rules and bookings (seeded)', () => {
    const memo = searchMemo();
    let found = 0;
    fc.assert(
      fc.property(caseArb, (input) => {
        const want = refEarliest(input);
        if (want) found += 1;
        expect(show(searchEarliest(input, memo))).toBe(show(want));
        // And without a memo shared with other cases.
        expect(show(searchEarliest(input))).toBe(show(want));
      }),
      { seed: SEED, numRuns: 3000 },
    );
    // The cases are not mostly empty answers: a good share finds a slot.
    expect(found).toBeGreaterThan(400);
  });

  it('finds the same slots across the changes in one week of every zone, hour by hour', () => {
    const memo = searchMemo();
    const policy: Policy = {
      ...DEFAULT_POLICY,
      openingHours: {
        mon: [['08:00', '18:00']],
        tue: [['00:00', '24:00']],
        wed: [['01:30', '03:30']],
        thu: [['08:00', '18:00']],
        fri: [['08:00', '18:00']],
        sat: [['00:00', '24:00']],
        sun: [['00:00', '24:00']],
      },
      slotMinutes: 15,
      bufferMinutes: 10,
    };
    for (const zone of ZONES)
      for (const anchor of ANCHORS)
        for (let h = 0; h < 7 * 24; h += 5) {
          const from = Date.parse(`${anchor}T00:00:00Z`) + h * 3_600_000;
          const input: SearchInput = {
            policy,
            zone,
            from,
            to: from + 7 * DAY_MS,
            minutes: 60,
            now: from - DAY_MS,
            staff: false,
            busy: [{ start: from, end: from + 3 * 3_600_000, quantity: 1 }],
            capacity: 1,
            quantity: 1,
          };
          expect(show(searchEarliest(input, memo))).toBe(show(refEarliest(input)));
        }
  });
});
