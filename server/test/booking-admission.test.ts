/**
 * The admission pipeline's steps on their own (server/src/booking/booking.admission.ts): the order
 * of the named steps decides which refusal a command answers, a series counts the occurrences it
 * accepted before each one, and a single booking's refusal becomes the same error code and
 * details as before the pipeline existed. The paths through MongoDB are covered by policy,
 * user-quota, series and booking-rules.
 */
import { DEFAULT_POLICY, ErrorCode } from '@booking/shared';
import type { Policy } from '@booking/shared';
import { ADMISSION_STEPS, CAPACITY_STEPS, judge, refusalError } from '../src/booking/booking.admission';
import type { Candidate, Facts } from '../src/booking/booking.admission';
import { AppError } from '../src/infra/errors';

const NOW = new Date('2027-01-04T12:00:00Z');
const at = (hhmm: string) => new Date(`2027-01-05T${hhmm}:00Z`);
const slot = (from: string, to: string): Candidate => ({ start: at(from), end: at(to) });
const busy = (from: string, to: string) => ({ start: at(from).getTime(), end: at(to).getTime(), quantity: 1 });

function facts(
  o: {
    policy?: Partial<Policy>;
    taken?: Facts['taken'];
    here?: Facts['here'];
    person?: Facts['person'];
    staff?: boolean;
    capacity?: number;
  } = {},
): Facts {
  return {
    rules: { timeZone: 'UTC', policy: { ...DEFAULT_POLICY, ...o.policy }, capacity: o.capacity ?? 1, access: null },
    now: NOW,
    staff: o.staff ?? false,
    taken: o.taken ?? [],
    capacity: o.capacity ?? 1,
    here: o.here ?? null,
    person: o.person ?? null,
  };
}

const refusals = (candidates: Candidate[], f: Facts) => judge(candidates, f).map((j) => j.refusal);

describe('admission pipeline', () => {
  test('the steps run in one declared order', () => {
    expect(ADMISSION_STEPS.map((s) => s.name)).toEqual([
      'quantity',
      'calendar',
      'policy',
      'overlap',
      'buffer',
      'resourceQuota',
      'userQuota',
      'holdQuota',
    ]);
    // A waitlist join and a promotion judge only whether the units are free.
    expect(CAPACITY_STEPS.map((s) => s.name)).toEqual(['quantity', 'overlap', 'buffer']);
  });

  test('a fourth hold of one person is QUOTA_EXCEEDED holds; the capacity steps ignore policy and quotas', () => {
    const full = { ...facts({ person: { held: 3, limit: 50 } }), holds: { held: 3, limit: 3 } };
    expect(refusals([slot('10:00', '11:00')], full)).toEqual([{ code: 'QUOTA_EXCEEDED', scope: 'holds', limit: 3 }]);
    const two = { ...full, holds: { held: 2, limit: 3 } };
    expect(refusals([slot('10:00', '11:00')], two)).toEqual([null]);
    // Off the grid and over every quota, yet free: a waitlist join would answer "the slot is free".
    const strict = facts({ policy: { slotMinutes: 60 }, here: { held: 9, limit: 1 } });
    expect(judge([slot('10:10', '11:10')], strict, CAPACITY_STEPS).map((j) => j.refusal)).toEqual([null]);
    expect(judge([slot('10:10', '11:10')], strict).map((j) => j.refusal)).toEqual([
      { code: 'POLICY_VIOLATION', rule: 'grid' },
    ]);
  });

  test('the slot itself taken answers SLOT_TAKEN; only the buffer in the way answers POLICY_VIOLATION buffer', () => {
    const f = facts({ policy: { bufferMinutes: 10 }, taken: [busy('10:00', '11:00')] });
    expect(refusals([slot('10:30', '11:30')], f)).toEqual([{ code: 'SLOT_TAKEN', available: 0 }]);
    expect(refusals([slot('11:05', '12:00')], f)).toEqual([{ code: 'POLICY_VIOLATION', rule: 'buffer' }]);
    expect(refusals([slot('11:10', '12:00')], f)).toEqual([null]);
    // The buffer holds before a booking too: ending 5 minutes before it is too close.
    expect(refusals([slot('09:00', '09:55')], f)).toEqual([{ code: 'POLICY_VIOLATION', rule: 'buffer' }]);
    expect(refusals([slot('09:00', '09:50')], f)).toEqual([null]);
    expect(refusals([slot('11:05', '12:00')], facts({ taken: [busy('10:00', '11:00')] }))).toEqual([null]);
  });

  test('capacity: units add up instant by instant; SLOT_TAKEN says the fewest free over the span and its buffer', () => {
    const units = (from: string, to: string, quantity: number) => ({ ...busy(from, to), quantity });
    // Capacity 3: 2 units 10-11, 1 unit 11-12 (staggered: never 3 at once).
    const f = facts({ capacity: 3, taken: [units('10:00', '11:00', 2), units('11:00', '12:00', 1)] });
    const want = (from: string, to: string, quantity: number): Candidate => ({ ...slot(from, to), quantity });
    expect(refusals([want('10:00', '12:00', 1)], f)).toEqual([null]);
    expect(refusals([want('10:00', '12:00', 2)], f)).toEqual([{ code: 'SLOT_TAKEN', available: 1 }]);
    expect(refusals([want('11:00', '12:00', 2)], f)).toEqual([null]);
    expect(refusals([want('09:00', '10:00', 3)], f)).toEqual([null]);
    // More than the resource has at all: a shape error of this request, before any other step.
    expect(refusals([want('15:00', '16:00', 4)], f)).toEqual([{ code: 'VALIDATION_ERROR', capacity: 3 }]);
    // Accepted candidates hold their units for the later ones.
    expect(refusals([want('13:00', '14:00', 2), want('13:30', '14:30', 2)], f)).toEqual([
      null,
      { code: 'SLOT_TAKEN', available: 1 },
    ]);
  });

  test('capacity with a buffer: fitting only without buffers is the buffer rule; available counts the buffer', () => {
    const f = facts({
      capacity: 2,
      policy: { bufferMinutes: 10 },
      taken: [
        { ...busy('10:00', '11:00'), quantity: 1 },
        { ...busy('10:30', '11:00'), quantity: 1 },
      ],
    });
    // 11:05 fits without buffers (both end at 11:00) but both still occupy until 11:10.
    expect(refusals([{ ...slot('11:05', '12:00'), quantity: 1 }], f)).toEqual([
      { code: 'POLICY_VIOLATION', rule: 'buffer' },
    ]);
    expect(refusals([{ ...slot('11:10', '12:00'), quantity: 2 }], f)).toEqual([null]);
    // 10:45 does not fit at all; over [10:45, 12:10) the fewest free is 0.
    expect(refusals([{ ...slot('10:45', '12:00'), quantity: 1 }], f)).toEqual([{ code: 'SLOT_TAKEN', available: 0 }]);
  });

  test('a policy rule comes before the slot, and a nonexistent local start is outside opening hours', () => {
    const f = facts({ policy: { minMinutes: 30 }, taken: [busy('10:00', '11:00')] });
    expect(refusals([slot('10:00', '10:10')], f)).toEqual([{ code: 'POLICY_VIOLATION', rule: 'duration' }]);
    expect(refusals([{ ...slot('12:00', '13:00'), nonexistent: true }], f)).toEqual([
      { code: 'POLICY_VIOLATION', rule: 'openingHours' },
    ]);
  });

  test('accepted candidates count against the later ones: taken, buffer and both quotas', () => {
    const series = [
      slot('08:00', '09:00'),
      slot('08:30', '09:30'),
      slot('09:05', '09:30'),
      slot('12:00', '13:00'),
      slot('14:00', '15:00'),
    ];
    const f = facts({ policy: { bufferMinutes: 10 }, here: { held: 0, limit: 2 }, person: { held: 0, limit: 5 } });
    expect(refusals(series, f)).toEqual([
      null,
      { code: 'SLOT_TAKEN', available: 0 },
      { code: 'POLICY_VIOLATION', rule: 'buffer' },
      null,
      { code: 'QUOTA_EXCEEDED', scope: 'resource', limit: 2 },
    ]);
    const person = facts({ person: { held: 1, limit: 2 } });
    expect(refusals([slot('08:00', '09:00'), slot('10:00', '11:00')], person)).toEqual([
      null,
      { code: 'QUOTA_EXCEEDED', scope: 'user', limit: 2 },
    ]);
  });

  test('the resource quota comes before the person quota, and judging leaves the facts as they were', () => {
    const f = facts({ here: { held: 3, limit: 3 }, person: { held: 9, limit: 9 } });
    expect(refusals([slot('08:00', '09:00')], f)).toEqual([{ code: 'QUOTA_EXCEEDED', scope: 'resource', limit: 3 }]);
    const open = facts({ here: { held: 0, limit: 3 }, person: { held: 0, limit: 9 } });
    judge([slot('08:00', '09:00'), slot('10:00', '11:00')], open);
    expect(open).toEqual(facts({ here: { held: 0, limit: 3 }, person: { held: 0, limit: 9 } }));
    // The same facts judged twice answer the same (a single booking re-runs the steps).
    expect(refusals([slot('08:00', '09:00')], open)).toEqual([null]);
    expect(refusals([slot('08:00', '09:00')], open)).toEqual([null]);
  });

  test('a refusal becomes the error a single booking answered before the pipeline', () => {
    const cases = [
      [{ code: 'SLOT_TAKEN', available: 2 }, ErrorCode.SLOT_TAKEN, 'the slot is taken', { available: 2 }],
      [
        { code: 'VALIDATION_ERROR', capacity: 3 },
        ErrorCode.VALIDATION_ERROR,
        'at most 3 units of this resource',
        [{ path: 'quantity', message: 'at most 3' }],
      ],
      [
        { code: 'POLICY_VIOLATION', rule: 'buffer' },
        ErrorCode.POLICY_VIOLATION,
        'too close to another booking',
        { rule: 'buffer' },
      ],
      [
        { code: 'POLICY_VIOLATION', rule: 'notice' },
        ErrorCode.POLICY_VIOLATION,
        'the booking breaks the notice rule',
        { rule: 'notice' },
      ],
      [
        { code: 'QUOTA_EXCEEDED', scope: 'resource', limit: 2 },
        ErrorCode.QUOTA_EXCEEDED,
        'at most 2 active bookings of this resource',
        { scope: 'resource', limit: 2 },
      ],
      [
        { code: 'QUOTA_EXCEEDED', scope: 'user', limit: 4 },
        ErrorCode.QUOTA_EXCEEDED,
        'at most 4 active bookings per person',
        { scope: 'user', limit: 4 },
      ],
    ] as const;
    for (const [refusal, code, message, details] of cases) {
      const err = refusalError(refusal);
      expect(err).toBeInstanceOf(AppError);
      expect({ code: err.code, message: err.message, details: err.details }).toEqual({ code, message, details });
    }
  });
});
