/**
 * What the grid draws of the person's own hold (web/src/booking/shown-availability.ts): their hold
 * is the selection, not a taken time, from the moment they ask for it. Its `held` broadcast can
 * arrive before the answer that names it; a CI run's Shift-click then met the anchor cell drawn as
 * someone else's and the selection did not grow.
 */
import type { Availability, BusyInterval } from '@booking/shared';
import { shownAvailability } from '../src/booking/shown-availability';

const at = (hh: string): string => `2030-01-07T${hh}:00.000Z`;
const held = (id: string, from: string, to: string): BusyInterval => ({
  bookingId: id,
  start: at(from),
  end: at(to),
  quantity: 1,
  status: 'held',
  expiresAt: '2030-01-07T09:10:00.000Z',
});

function availability(busy: BusyInterval[]): Availability {
  return {
    resourceId: 'room',
    from: at('00:00'),
    to: '2030-01-08T00:00:00.000Z',
    timeZone: 'UTC',
    busy,
    open: [{ start: at('00:00'), end: '2030-01-08T00:00:00.000Z' }],
    version: 3,
    capacity: 1,
    bufferMinutes: 0,
    occupancy: busy.map((b) => ({ start: b.start, end: b.end, used: 1 })),
  };
}

const now = Date.parse('2030-01-07T09:00:00.000Z');
const asking = {
  resourceId: 'room',
  start: Date.parse(at('10:00')),
  end: Date.parse(at('10:30')),
  quantity: 1,
  sendQuantity: false,
};

test('the hold being asked for is not drawn as taken before its answer names it', () => {
  const shown = shownAvailability(availability([held('h1', '10:00', '10:30')]), null, now, asking);
  expect(shown?.busy).toEqual([]);
  expect(shown?.occupancy).toEqual([]);
});

test('another interval, another resource or another quantity is still someone else’s', () => {
  const other = availability([held('h2', '10:30', '11:00')]);
  expect(shownAvailability(other, null, now, asking)?.busy.map((b) => b.bookingId)).toEqual(['h2']);
  const elsewhere = shownAvailability(availability([held('h1', '10:00', '10:30')]), null, now, {
    ...asking,
    resourceId: 'x',
  });
  expect(elsewhere?.busy.map((b) => b.bookingId)).toEqual(['h1']);
  const more = shownAvailability(availability([held('h1', '10:00', '10:30')]), null, now, { ...asking, quantity: 2 });
  expect(more?.busy.map((b) => b.bookingId)).toEqual(['h1']);
});

test('with nothing asked for, only the named own hold and holds that ran out are hidden', () => {
  const a = availability([held('h1', '10:00', '10:30'), held('h3', '12:00', '12:30')]);
  expect(shownAvailability(a, null, now)?.busy.map((b) => b.bookingId)).toEqual(['h1', 'h3']);
  expect(shownAvailability(a, 'h3', now)?.busy.map((b) => b.bookingId)).toEqual(['h1']);
  expect(shownAvailability(a, null, Date.parse('2030-01-07T09:10:00.000Z'))?.busy).toEqual([]);
});
