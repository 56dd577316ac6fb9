/**
 * Free units of a multi-unit resource over a grid cell, from `availability:get`'s occupancy
 * stretches (pure; no browser): the capacity less the peak use of the stretches that overlap the
 * cell, touching stretches not counted, never below 0. And the words the page shows with them.
 */
import type { OccupancyStretch } from '@booking/shared';
import { clampQuantity, freeText, freeUnits, quantitySuffix, resourceFacts } from '../src/booking/capacity';

const at = (hhmm: string) => Date.parse(`2030-03-04T${hhmm}:00.000Z`);
const stretch = (start: string, end: string, used: number): OccupancyStretch => ({
  start: new Date(at(start)).toISOString(),
  end: new Date(at(end)).toISOString(),
  used,
});

// Staggered bookings on a 40-unit pool: 09:00-10:00 x 5, 09:30-11:00 x 30, 10:30-12:00 x 8.
const occupancy = [
  stretch('09:00', '09:30', 5),
  stretch('09:30', '10:00', 35),
  stretch('10:00', '10:30', 30),
  stretch('10:30', '11:00', 38),
  stretch('11:00', '12:00', 8),
];

describe('freeUnits', () => {
  it('is the capacity where no stretch overlaps, including stretches that only touch the cell', () => {
    expect(freeUnits([], 40, at('09:00'), at('09:30'))).toBe(40);
    expect(freeUnits(occupancy, 40, at('08:30'), at('09:00'))).toBe(40);
    expect(freeUnits(occupancy, 40, at('12:00'), at('12:30'))).toBe(40);
  });

  it('takes the peak of the overlapping stretches, not their sum nor the count of bookings', () => {
    expect(freeUnits(occupancy, 40, at('09:00'), at('09:30'))).toBe(35);
    expect(freeUnits(occupancy, 40, at('09:00'), at('10:00'))).toBe(5);
    expect(freeUnits(occupancy, 40, at('10:00'), at('10:30'))).toBe(10);
    expect(freeUnits(occupancy, 40, at('10:00'), at('11:00'))).toBe(2);
    expect(freeUnits(occupancy, 40, at('09:00'), at('12:00'))).toBe(2);
    // A cell that overlaps a stretch by one minute counts it.
    expect(freeUnits(occupancy, 40, at('10:59'), at('11:30'))).toBe(2);
    expect(freeUnits(occupancy, 40, at('11:00'), at('11:30'))).toBe(32);
  });

  it('is 0 when full, and never negative when a capacity was lowered below what is booked (force)', () => {
    expect(freeUnits([stretch('09:00', '10:00', 4)], 4, at('09:00'), at('09:30'))).toBe(0);
    expect(freeUnits(occupancy, 20, at('10:30'), at('11:00'))).toBe(0);
  });
});

describe('the words for units', () => {
  it('says free units, quantities and facts, and nothing for one unit', () => {
    expect(freeText(3, 40)).toBe('3 of 40 free');
    expect(quantitySuffix(1)).toBe('');
    expect(quantitySuffix(3)).toBe(' × 3');
    expect(resourceFacts({ capacity: 1, seats: null })).toBe('');
    expect(resourceFacts({ capacity: 1, seats: 8 })).toBe('Seats 8');
    expect(resourceFacts({ capacity: 40, seats: null })).toBe('Capacity 40');
    expect(resourceFacts({ capacity: 12, seats: 30 })).toBe('Capacity 12 · Seats 30');
  });

  it('keeps a quantity whole and within 1 to the capacity', () => {
    expect(clampQuantity(3, 40)).toBe(3);
    expect(clampQuantity(0, 40)).toBe(1);
    expect(clampQuantity(41, 40)).toBe(40);
    expect(clampQuantity(2.7, 40)).toBe(2);
    expect(clampQuantity(Number.NaN, 40)).toBe(1);
    expect(clampQuantity(5, 1)).toBe(1);
  });
});
