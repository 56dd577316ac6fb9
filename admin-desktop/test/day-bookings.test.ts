import type { AdminBooking, SlotChanged } from '@booking/shared';
import { applyToDay, eventTouchesDay, renameUser, snapshotDates, viewRange } from '../src/renderer/day-bookings';

const date = viewRange('2030-01-01', [{ timeZone: 'UTC' }]);

function event(over: Partial<SlotChanged>): SlotChanged {
  return {
    resourceId: 'r1',
    bookingId: 'b1',
    change: 'booked',
    start: '2030-01-01T10:00:00.000Z',
    end: '2030-01-01T11:00:00.000Z',
    version: 1,
    at: '2029-12-31T12:00:00.000Z',
    userId: 'u1',
    quantity: 1,
    status: 'active',
    ...over,
  };
}

function booking(over: Partial<AdminBooking>): AdminBooking {
  return {
    id: 'b0',
    resourceId: 'r1',
    userId: 'u0',
    userName: 'Zed',
    start: '2030-01-01T08:00:00.000Z',
    end: '2030-01-01T09:00:00.000Z',
    status: 'active',
    quantity: 1,
    createdAt: '2029-12-30T00:00:00.000Z',
    updatedAt: '2029-12-30T00:00:00.000Z',
    ...over,
  };
}

describe('applyToDay', () => {
  it('adds a booking of the day, in start order, with the name it is given', () => {
    const day = applyToDay({
      view: date,
      bookings: [booking({ start: '2030-01-01T12:00:00.000Z', end: '2030-01-01T13:00:00.000Z' })],
      event: event({}),
      userName: 'Ada',
    });
    expect(day.map((b) => [b.id, b.userName, b.status])).toEqual([
      ['b1', 'Ada', 'active'],
      ['b0', 'Zed', 'active'],
    ]);
    expect(day[0]).toMatchObject({
      resourceId: 'r1',
      userId: 'u1',
      start: '2030-01-01T10:00:00.000Z',
      end: '2030-01-01T11:00:00.000Z',
    });
  });

  it('ignores a booking of another day, moves within the day, and drops one moved away', () => {
    const start = [booking({ id: 'b1', userId: 'u1', userName: 'Ada' })];
    expect(
      applyToDay({
        view: date,
        bookings: start,
        event: event({ bookingId: 'b2', start: '2030-01-02T10:00:00.000Z', end: '2030-01-02T11:00:00.000Z' }),
        userName: 'x',
      }),
    ).toEqual(start);
    const moved = applyToDay({
      view: date,
      bookings: start,
      event: event({ change: 'moved', start: '2030-01-01T15:00:00.000Z', end: '2030-01-01T16:00:00.000Z' }),
      userName: 'x',
    });
    expect(moved).toEqual([
      {
        ...start[0],
        start: '2030-01-01T15:00:00.000Z',
        end: '2030-01-01T16:00:00.000Z',
        updatedAt: '2029-12-31T12:00:00.000Z',
      },
    ]);
    expect(
      applyToDay({
        view: date,
        bookings: start,
        event: event({ change: 'moved', start: '2030-01-03T15:00:00.000Z', end: '2030-01-03T16:00:00.000Z' }),
        userName: 'x',
      }),
    ).toEqual([]);
  });

  it('keeps a released booking, marked cancelled, as the snapshot lists it', () => {
    const day = applyToDay({
      view: date,
      bookings: [booking({ id: 'b1' })],
      event: event({ change: 'released', status: 'cancelled' }),
      userName: 'x',
    });
    expect(day.map((b) => [b.id, b.status])).toEqual([['b1', 'cancelled']]);
    expect(
      applyToDay({
        view: date,
        bookings: [],
        event: event({ change: 'released', status: 'cancelled' }),
        userName: 'x',
      }),
    ).toEqual([]);
  });

  it("takes the booking's quantity and status from the event", () => {
    const added = applyToDay({ view: date, bookings: [], event: event({ quantity: 3 }), userName: 'Ada' });
    expect(added.map((b) => [b.id, b.quantity, b.status])).toEqual([['b1', 3, 'active']]);
    const changed = applyToDay({
      view: date,
      bookings: added,
      event: event({ change: 'moved', quantity: 5, version: 2 }),
      userName: 'Ada',
    });
    expect(changed.map((b) => [b.id, b.quantity, b.status])).toEqual([['b1', 5, 'active']]);
    const released = applyToDay({
      view: date,
      bookings: changed,
      event: event({ change: 'released', status: 'cancelled', quantity: 5, version: 3 }),
      userName: 'Ada',
    });
    expect(released.map((b) => [b.id, b.quantity, b.status])).toEqual([['b1', 5, 'cancelled']]);
  });
});

it('eventTouchesDay looks at the interval and, for a move, where it came from', () => {
  expect(eventTouchesDay(date, event({}))).toBe(true);
  expect(eventTouchesDay(date, event({ start: '2030-01-02T00:00:00.000Z', end: '2030-01-02T01:00:00.000Z' }))).toBe(
    false,
  );
  expect(
    eventTouchesDay(
      date,
      event({
        change: 'moved',
        start: '2030-01-02T00:00:00.000Z',
        end: '2030-01-02T01:00:00.000Z',
        previous: { start: '2030-01-01T23:00:00.000Z', end: '2030-01-02T00:00:00.000Z' },
      }),
    ),
  ).toBe(true);
});

it('renameUser fills in a name learnt later', () => {
  const day = renameUser([booking({ userId: 'u1', userName: '…' }), booking({ id: 'b2' })], 'u1', 'Ada');
  expect(day.map((b) => b.userName)).toEqual(['Ada', 'Zed']);
});

it("the view is the date's local day in every resource's zone, read from the UTC days it spans", () => {
  const view = viewRange('2030-01-01', [
    { timeZone: 'UTC' },
    { timeZone: 'America/New_York' },
    { timeZone: 'Asia/Tokyo' },
  ]);
  // Tokyo's day starts 09:00 the day before (UTC); New York's ends 05:00 the day after.
  expect(new Date(view.from).toISOString()).toBe('2029-12-31T15:00:00.000Z');
  expect(new Date(view.to).toISOString()).toBe('2030-01-02T05:00:00.000Z');
  expect(snapshotDates(view)).toEqual(['2029-12-31', '2030-01-01', '2030-01-02']);
  expect(snapshotDates(viewRange('2030-01-01', []))).toEqual(['2030-01-01']);
  // An evening booking in New York is in the view though it is on the next UTC day.
  expect(eventTouchesDay(view, event({ start: '2030-01-02T01:00:00.000Z', end: '2030-01-02T02:00:00.000Z' }))).toBe(
    true,
  );
});
