/**
 * Helpers of the check-in and reminder tests. Bookings start on whole minutes (the grid) and a
 * check-in window lasts at least a minute, so a test that waited for real deadlines would wait
 * minutes. Instead the nodes run on a clock that lags real time (`laggedClock`): a booking that
 * started up to `lagMs` ago is still "not in the past" for them, so its window closes within the
 * next minute of real time, where a notifier releases it: a real notifier process on the system
 * clock (timers-crash), or one in the test process on a clock set ahead (check-in), which brings
 * the deadline closer still.
 */
import type { Policy, QueueCounts, Resource } from '@booking/shared';
import type { CaughtMail, MailCatcher } from '../../scripts/lib/mail-catcher';
import type { Clock } from '../../server/src/infra/clock';
import { createNotificationAdmin } from '../../server/src/notifications/notification.admin';
import type { BookingNode } from '../../server/src/app';
import { http } from './harness';
import { waitFor } from './wait';

export const MINUTE = 60_000;

/** A clock `lagMs` behind the system's. */
export function laggedClock(lagMs: number): Clock {
  return { now: () => new Date(Date.now() - lagMs) };
}

/** The whole minute at or before `at` (ms). */
export function minuteFloor(at: number): number {
  return Math.floor(at / MINUTE) * MINUTE;
}

/** A room with a policy, created through the REST API as staff. */
export async function createRoom(
  base: string,
  staffToken: string,
  name: string,
  policy: Partial<Policy> = {},
): Promise<Resource> {
  const res = await http<{ resource: Resource }>(base, '/api/resources', {
    body: { name, type: 'room', policy },
    token: staffToken,
  });
  if (res.status !== 201) throw new Error(`create resource failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.resource;
}

/** The caught emails of one notification type (the `X-Notification-Type` header), by booking id. */
export function mailsOf(catcher: MailCatcher, type: string): Map<string, CaughtMail[]> {
  const byBooking = new Map<string, CaughtMail[]>();
  for (const m of catcher.messages()) {
    if (m.headers['x-notification-type'] !== type) continue;
    const id = m.headers['x-booking-id'];
    if (!id) continue;
    byBooking.set(id, [...(byBooking.get(id) ?? []), m]);
  }
  return byBooking;
}

/** p50 and max of a list of numbers. */
export function p50max(values: number[]): { p50: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
}

/**
 * Waits until the notification queue holds nothing waiting, active or delayed, so that a late
 * duplicate would already have been mailed and counted; answers the queue's counts then.
 */
export async function drainedQueue(node: Pick<BookingNode, 'stores'>): Promise<QueueCounts> {
  const admin = createNotificationAdmin({ connection: node.stores.redis.bullmqOptions, names: node.stores.names });
  try {
    await waitFor(
      'the queue to drain',
      async () => {
        const c = await admin.counts();
        return c.waiting + c.active + c.delayed === 0;
      },
      20_000,
      200,
    );
    return await admin.counts();
  } finally {
    await admin.close();
  }
}
