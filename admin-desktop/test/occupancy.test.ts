import { assignTracks, occupancySweep, peakUse } from '../src/renderer/occupancy';
import type { OccupyingBooking } from '../src/renderer/occupancy';

const T = (hhmm: string) => Date.parse(`2030-01-01T${hhmm}:00.000Z`);
const iso = (hhmm: string) => new Date(T(hhmm)).toISOString();

function b(start: string, end: string, quantity = 1, status = 'active'): OccupyingBooking {
  return { start: iso(start), end: iso(end), quantity, status };
}

/** The stretches as `HH:mm-HH:mm used` for readable expectations. */
function show(stretches: Array<{ start: number; end: number; used: number }>): string[] {
  const hm = (t: number) => new Date(t).toISOString().slice(11, 16);
  return stretches.map((s) => `${hm(s.start)}-${hm(s.end)} ${s.used}`);
}

describe('occupancySweep', () => {
  it('adds the quantities of overlapping bookings, stretch by stretch', () => {
    const use = occupancySweep([b('10:00', '12:00', 3), b('11:00', '13:00', 2), b('14:00', '15:00', 1)], 0);
    expect(show(use)).toEqual(['10:00-11:00 3', '11:00-12:00 5', '12:00-13:00 2', '14:00-15:00 1']);
    expect(peakUse(use)).toBe(5);
  });

  it('is not a count of overlapping bookings: staggered ones that never meet all at once', () => {
    // A overlaps B and C, but B and C never overlap: the peak is 2 units, not 3.
    const use = occupancySweep([b('09:00', '12:00', 1), b('09:00', '10:00', 1), b('11:00', '12:00', 1)], 0);
    expect(show(use)).toEqual(['09:00-10:00 2', '10:00-11:00 1', '11:00-12:00 2']);
    expect(peakUse(use)).toBe(2);
  });

  it('lets a booking end where the next starts without adding them, and merges equal neighbours', () => {
    const use = occupancySweep([b('10:00', '11:00', 2), b('11:00', '12:00', 2)], 0);
    expect(show(use)).toEqual(['10:00-12:00 2']);
  });

  it('extends each booking by the buffer after its end', () => {
    const use = occupancySweep([b('10:00', '11:00', 1), b('11:10', '12:00', 1)], 15);
    expect(show(use)).toEqual(['10:00-11:10 1', '11:10-11:15 2', '11:15-12:15 1']);
  });

  it('counts active and completed bookings, never cancelled ones', () => {
    const use = occupancySweep([b('10:00', '11:00', 4, 'cancelled'), b('10:00', '11:00', 1, 'completed')], 0);
    expect(show(use)).toEqual(['10:00-11:00 1']);
    expect(occupancySweep([], 10)).toEqual([]);
    expect(peakUse([])).toBe(0);
  });

  it('clips to the range it is given', () => {
    const use = occupancySweep([b('22:00', '23:30', 2)], 60, { from: T('00:00'), to: T('23:59') });
    expect(show(use)).toEqual(['22:00-23:59 2']);
    expect(occupancySweep([b('08:00', '09:00', 2)], 0, { from: T('10:00'), to: T('11:00') })).toEqual([]);
  });
});

it('assignTracks stacks overlapping intervals and reuses a track once it is free', () => {
  const tracks = assignTracks([
    { start: T('10:00'), end: T('12:00') },
    { start: T('09:00'), end: T('11:00') },
    { start: T('11:00'), end: T('13:00') },
    { start: T('10:30'), end: T('10:45') },
  ]);
  // In start order: 09:00 → 0, 10:00 → 1, 10:30 → 2, 11:00 → 0 (free since 11:00).
  expect(tracks).toEqual([1, 0, 0, 2]);
  expect(assignTracks([])).toEqual([]);
});
