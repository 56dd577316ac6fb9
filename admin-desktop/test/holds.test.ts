/**
 * The dashboard's holds and waitlist offers (issue 25), without a browser: which bookings the
 * timeline draws (a hold only before its `expiresAt`), hold or offer, the queue's words, the held
 * units of a pool's fill level, and the live events `held` → `confirmed` / `released` (expired).
 */
import type { AdminBooking, SlotChanged } from '@booking/shared';
import { applyToDay, viewRange } from '../src/renderer/day-bookings';
import { holdKind, isShown, lacksHoldDetails, queueLabel } from '../src/renderer/holds';
import { occupancyWithHolds } from '../src/renderer/occupancy';
import type { OccupyingBooking } from '../src/renderer/occupancy';

const T = (hhmm: string) => Date.parse(`2030-01-01T${hhmm}:00.000Z`);
const iso = (hhmm: string) => new Date(T(hhmm)).toISOString();
const view = viewRange('2030-01-01', [{ timeZone: 'UTC' }]);

function booking(over: Partial<AdminBooking>): AdminBooking {
  return {
    id: 'b1',
    resourceId: 'r1',
    userId: 'u1',
    userName: 'Ada',
    start: iso('10:00'),
    end: iso('11:00'),
    status: 'held',
    quantity: 1,
    createdAt: iso('08:00'),
    updatedAt: iso('08:00'),
    expiresAt: iso('09:10'),
    ...over,
  };
}

function event(over: Partial<SlotChanged>): SlotChanged {
  return {
    resourceId: 'r1',
    bookingId: 'b1',
    change: 'held',
    start: iso('10:00'),
    end: iso('11:00'),
    version: 1,
    at: iso('09:00'),
    userId: 'u1',
    quantity: 1,
    status: 'held',
    ...over,
  };
}

describe('holds on the timeline', () => {
  it('tells a plain hold from a waitlist offer, and neither from an active booking', () => {
    expect(holdKind(booking({}))).toBe('hold');
    expect(holdKind(booking({ waitlistEntryId: 'w1' }))).toBe('offer');
    expect(holdKind(booking({ status: 'active', waitlistEntryId: 'w1' }))).toBeNull();
  });

  it('draws a hold only before its expiresAt, and never an expired or cancelled booking', () => {
    const hold = booking({});
    expect(isShown(hold, new Date(T('09:09')))).toBe(true);
    // From expiresAt on its units are free, before any timer marks it expired.
    expect(isShown(hold, new Date(T('09:10')))).toBe(false);
    expect(isShown(booking({ status: 'expired' }), new Date(T('09:00')))).toBe(false);
    expect(isShown(booking({ status: 'cancelled' }), new Date(T('09:00')))).toBe(false);
    expect(isShown(booking({ status: 'active', expiresAt: undefined }), new Date(T('12:00')))).toBe(true);
  });

  it('says the queue length only when somebody waits', () => {
    expect(queueLabel(3)).toBe('3 waiting');
    expect(queueLabel(0)).toBeNull();
    expect(queueLabel(undefined)).toBeNull();
  });
});

describe('live hold events', () => {
  it('adds a held booking without its expiry (to be read), turns it active on confirmed, and keeps an expired release undrawn', () => {
    const held = applyToDay({ view, bookings: [], event: event({}), userName: 'Ada' });
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ id: 'b1', status: 'held' });
    expect(lacksHoldDetails(held[0] as AdminBooking)).toBe(true);

    // After the re-read the hold has its expiry; a confirm makes it active and drops the expiry.
    const read = [booking({})];
    expect(lacksHoldDetails(read[0] as AdminBooking)).toBe(false);
    const confirmed = applyToDay({
      view,
      bookings: read,
      event: event({ change: 'confirmed', status: 'active', version: 2 }),
      userName: 'Ada',
    });
    expect(confirmed[0]).toMatchObject({ status: 'active' });
    expect(confirmed[0]?.expiresAt).toBeUndefined();
    expect(isShown(confirmed[0] as AdminBooking, new Date(T('09:30')))).toBe(true);

    const expired = applyToDay({
      view,
      bookings: read,
      event: event({ change: 'released', status: 'expired', version: 2 }),
      userName: 'Ada',
    });
    expect(expired[0]).toMatchObject({ status: 'expired' });
    expect(isShown(expired[0] as AdminBooking, new Date(T('09:05')))).toBe(false);
  });
});

describe('occupancyWithHolds', () => {
  const b = (start: string, end: string, quantity: number, status: string): OccupyingBooking => ({
    start: iso(start),
    end: iso(end),
    quantity,
    status,
  });
  const show = (stretches: Array<{ start: number; end: number; used: number; held: number }>) =>
    stretches.map(
      (s) =>
        `${new Date(s.start).toISOString().slice(11, 16)}-${new Date(s.end).toISOString().slice(11, 16)} ${s.used}/${s.held}`,
    );

  it('says the held units of each stretch of use, splitting where only the held share changes', () => {
    // 2 active 10-12; a hold of 1 10-11 then an active 1 from 11: use stays 3, held drops to 0 at 11.
    const use = occupancyWithHolds(
      [b('10:00', '12:00', 2, 'active'), b('10:00', '11:00', 1, 'held'), b('11:00', '12:00', 1, 'active')],
      0,
    );
    expect(show(use)).toEqual(['10:00-11:00 3/1', '11:00-12:00 3/0']);
  });

  it('is the plain sweep with nothing held', () => {
    const use = occupancyWithHolds([b('10:00', '11:00', 1, 'active'), b('11:00', '12:00', 1, 'active')], 0);
    expect(show(use)).toEqual(['10:00-12:00 1/0']);
  });
});
