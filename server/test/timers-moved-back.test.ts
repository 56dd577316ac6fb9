/**
 * A booking moved away and back is reminded (issue 22, item 12). Its first reminder timer fires
 * while the booking is elsewhere and completes doing nothing; BullMQ keeps that completed job under
 * the id `reminder-<booking>-<start>`, which the move back asks for again. The scheduler must clear
 * it and add the timer anew, or the booking is never reminded.
 *
 * Real BullMQ and Redis, the notifier in process on an injected clock; timers are promoted (run
 * now) instead of waited for, as check-in.test.ts does with a moved booking's old timer.
 */
import type { Booking } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { TIMERS_QUEUE } from '../src/infra/channels';
import { openQueue } from '../src/infra/queue';
import { startNotificationService } from '../src/notifier';
import type { Notifier } from '../src/notifier';
import type { TimerJobData } from '../src/notifications/timer.job';
import { timerJobId } from '../src/notifications/timer.scheduler';
import { connectClient, loginStaff, registerUser, send, startHarness, unwrap } from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';
import { testConfig } from '../../test/support/env';
import { createRoom, mailsOf, MINUTE, minuteFloor } from '../../test/support/timers';
import { waitFor } from '../../test/support/wait';

let h: Harness;
let catcher: MailCatcher;
let notifier: Notifier | undefined;
let socket: ClientSocket | undefined;
let queue: ReturnType<typeof openQueue<TimerJobData>> | undefined;

afterAll(async () => {
  socket?.close();
  await queue?.close();
  await notifier?.close();
  await h?.close();
  await catcher?.stop();
});

test('a booking moved away and back after its first reminder timer completed is reminded at its start', async () => {
  catcher = await startMailCatcher();
  h = await startHarness({ label: 'movedback' });
  const clock = { now: () => new Date() };
  notifier = await startNotificationService({
    config: testConfig({ db: h.db, env: { SMTP_URL: catcher.smtpUrl, REMINDER_MINUTES: '60' } }),
    clock,
    reconcileIntervalMs: 500,
  });
  const staff = await loginStaff(h.node.url);
  const room = await createRoom(h.node.url, staff.token, 'Moved back');
  const user = await registerUser(h.node.url, 'movedback');
  socket = await connectClient(h.node.url, user.token);
  const client = socket;
  queue = openQueue<TimerJobData>({
    name: TIMERS_QUEUE,
    connection: h.node.stores.redis.bullmqOptions,
    names: h.node.stores.names,
  });
  const q = queue;

  // Reminders are due an hour before: both starts' timers wait about an hour, until promoted.
  const start = minuteFloor(Date.now()) + 180 * MINUTE;
  const away = start + 60 * MINUTE;
  const iso = (ms: number) => new Date(ms).toISOString();
  const move = async (id: string, at: number): Promise<Booking> =>
    unwrap(await send(client, 'booking:modify', { bookingId: id, start: iso(at), end: iso(at + 30 * MINUTE) })).booking;
  const booking = unwrap(
    await send(client, 'booking:create', { resourceId: room.id, start: iso(start), end: iso(start + 30 * MINUTE) }),
  ).booking;
  const homeId = timerJobId('reminder', booking.id, new Date(start));
  const awayId = timerJobId('reminder', booking.id, new Date(away));
  const state = (id: string) => q.getJobState(id);

  await waitFor('the first reminder timer', async () => (await state(homeId)) === 'delayed', 10_000, 50);
  await move(booking.id, away);
  await waitFor('the timer of the new start', async () => (await state(awayId)) === 'delayed', 10_000, 50);

  // The first timer fires while the booking is elsewhere: it completes without reminding.
  await (await q.getJob(homeId))?.promote();
  await waitFor('the first timer to complete', async () => (await state(homeId)) === 'completed', 10_000, 50);
  expect((await q.getJob(homeId))?.returnvalue).toBe('stale');

  // Back to the first start: its timer is owed again and must wait (not stay completed).
  await move(booking.id, start);
  await waitFor(
    'the timer of the first start to be scheduled again',
    async () => (await state(homeId)) === 'delayed',
    10_000,
    50,
  );
  await (await q.getJob(homeId))?.promote();
  await waitFor('the reminder email', () => mailsOf(catcher, 'booking.reminder').get(booking.id)?.[0], 20_000, 100);
  expect(
    await waitFor(
      'the timer to complete',
      async () => ((await state(homeId)) === 'completed' ? (await q.getJob(homeId))?.returnvalue : null),
      10_000,
      50,
    ),
  ).toBe('done');

  expect(await h.node.models.Outbox.countDocuments({ type: 'booking.reminder', bookingId: booking.id })).toBe(1);
}, 60_000);
