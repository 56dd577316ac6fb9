/**
 * The occupancy sweeps (server/src/booking/occupancy.ts, and the shared `useStretches` that the
 * server's availability, the client library and the dashboard draw from) against a model that asks every instant:
 * fast-check throws random intervals and quantities at it (seeded; `OCCUPANCY_SEED` replays one).
 */
import fc from 'fast-check';
import { useStretches } from '@booking/shared';
import { peakOccupancy } from '../src/booking/occupancy';
import type { Occupant } from '../src/booking/occupancy';

/** Units in use at instant `t`, straight from the definition (half-open intervals). */
const usedAt = (occupants: readonly Occupant[], t: number): number =>
  occupants.reduce((sum, o) => (o.start <= t && t < o.end ? sum + o.quantity : sum), 0);

/** The model's peak: use only changes at a boundary, so the boundaries inside the span suffice. */
function modelPeak(occupants: readonly Occupant[], from: number, to: number): number {
  const instants = [from, ...occupants.flatMap((o) => [o.start, o.end])].filter((t) => from <= t && t < to);
  return Math.max(0, ...instants.map((t) => usedAt(occupants, t)));
}

const occupant = fc
  .tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 5 }))
  .map(([start, length, quantity]): Occupant => ({ start, end: start + length, quantity }));
const span = fc
  .tuple(fc.integer({ min: -5, max: 80 }), fc.integer({ min: 0, max: 40 }))
  .map(([from, length]) => ({ from, to: from + length }));
const seed = process.env.OCCUPANCY_SEED ? Number(process.env.OCCUPANCY_SEED) : undefined;
const params = { numRuns: 2000, ...(seed === undefined ? {} : { seed }) };

test('the peak is the most units in use at any instant of the span', () => {
  fc.assert(
    fc.property(fc.array(occupant, { maxLength: 25 }), span, (occupants, { from, to }) => {
      expect(peakOccupancy(occupants, from, to)).toBe(modelPeak(occupants, from, to));
    }),
    params,
  );
});

test('the stretches are the instants of non-zero use in the span, in order, each of constant use, merged', () => {
  // Signed quantities too: a client shifts a view by giving units back.
  const signed = fc
    .tuple(occupant, fc.boolean())
    .map(([o, back]): Occupant => (back ? { ...o, quantity: -o.quantity } : o));
  fc.assert(
    fc.property(fc.array(signed, { maxLength: 25 }), span, (occupants, { from, to }) => {
      const stretches = useStretches(occupants, from, to);
      const covered = new Set<number>();
      stretches.forEach((s, i) => {
        expect(s.start).toBeLessThan(s.end);
        expect(s.used).not.toBe(0);
        const prev = stretches[i - 1];
        if (prev) {
          expect(s.start).toBeGreaterThanOrEqual(prev.end);
          if (s.start === prev.end) expect(s.used).not.toBe(prev.used);
        }
        for (let t = s.start; t < s.end; t += 1) {
          expect(usedAt(occupants, t)).toBe(s.used);
          covered.add(t);
        }
      });
      for (let t = from; t < to; t += 1) if (!covered.has(t)) expect(usedAt(occupants, t)).toBe(0);
    }),
    { ...params, numRuns: 500 },
  );
});

test('staggered bookings: each overlaps the span, never each other, so they hold one unit at a time', () => {
  // A count of the bookings that overlap [0, 30) says 3; the instant-by-instant use is 1.
  const staggered = [
    { start: 0, end: 10, quantity: 1 },
    { start: 10, end: 20, quantity: 1 },
    { start: 20, end: 30, quantity: 1 },
  ];
  expect(peakOccupancy(staggered, 0, 30)).toBe(1);
  // One long booking under all three makes two.
  expect(peakOccupancy([...staggered, { start: 5, end: 25, quantity: 1 }], 0, 30)).toBe(2);
  expect(useStretches(staggered, 0, 30)).toEqual([{ start: 0, end: 30, used: 1 }]);
});

test('an interval that ends where another starts does not share an instant with it', () => {
  expect(
    peakOccupancy(
      [
        { start: 0, end: 10, quantity: 3 },
        { start: 10, end: 20, quantity: 4 },
      ],
      0,
      20,
    ),
  ).toBe(4);
  expect(peakOccupancy([{ start: 0, end: 10, quantity: 3 }], 10, 20)).toBe(0);
  expect(peakOccupancy([{ start: 0, end: 10, quantity: 3 }], 5, 5)).toBe(0);
});
