/**
 * The live notification says what its recipient can do (`action`, protocol v3) as a field, so a
 * page never decides from the English sentence: a reminder of a booking on a resource with
 * check-in (its job carries `checkInBy`) invites a check-in; nothing else does.
 */
import { NotificationOut } from '../src/docs/wire.schemas';
import type { NotificationJobData } from '../src/notifications/notification.job';
import { renderNotification } from '../src/notifications/notification.email';
import { notificationPayload } from '../src/notifications/notification.payload';

const job = (over: Partial<NotificationJobData>): NotificationJobData => ({
  outboxId: 'a'.repeat(24),
  type: 'booking.reminder',
  bookingId: 'b'.repeat(24),
  userId: 'c'.repeat(24),
  resourceId: 'd'.repeat(24),
  start: '2026-12-07T09:00:00.000Z',
  end: '2026-12-07T10:00:00.000Z',
  version: 3,
  createdAt: '2026-12-07T08:45:00.000Z',
  ...over,
});

const live = (data: NotificationJobData) => {
  const { message } = renderNotification({
    job: data,
    user: { name: 'Lin', email: 'lin@example.com' },
    resourceName: 'Aurora',
    timeZone: 'Europe/Berlin',
    from: 'bookings@example.com',
    now: new Date('2026-12-07T08:45:00Z'),
  });
  return notificationPayload(data, message, new Date('2026-12-07T08:45:01Z'));
};

test('a reminder of a booking with check-in carries action "checkIn"; the page needs no sentence', () => {
  const n = live(job({ checkInBy: '2026-12-07T09:10:00.000Z' }));
  expect(n.action).toBe('checkIn');
  expect(NotificationOut.parse(n)).toEqual(n);
});

test('a reminder without check-in, and every other type, carries no action', () => {
  expect(live(job({})).action).toBeUndefined();
  expect('action' in live(job({}))).toBe(false);
  for (const type of ['booking.confirmed', 'booking.modified', 'booking.cancelled'] as const) {
    expect(live(job({ type })).action).toBeUndefined();
  }
  // A release names when the window closed (`checkInBy`) but there is nothing left to check in to.
  expect(live(job({ type: 'booking.released', checkInBy: '2026-12-07T09:10:00.000Z' })).action).toBeUndefined();
});

test('the payload keeps the other fields of the contract', () => {
  const n = live(job({ type: 'booking.confirmed', seriesId: 'e'.repeat(24) }));
  expect(n).toEqual({
    id: 'a'.repeat(24),
    type: 'booking.confirmed',
    bookingId: 'b'.repeat(24),
    message: expect.stringContaining('Aurora'),
    at: '2026-12-07T08:45:01.000Z',
    seriesId: 'e'.repeat(24),
  });
});
