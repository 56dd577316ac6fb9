/**
 * Timers a change leaves behind, and a booking moved away and back (issue 22, item 12; issue 30).
 *
 * A move, a cancel or a cancelled series removes the timers the booking no longer owes at once,
 * so they do not wait in Redis until their moment (the soak's growth). A timer that was running
 * when its booking moved cannot be removed: it completes doing nothing, and BullMQ keeps that
 * completed job under the id `reminder-<booking>-<start>`, which a move back asks for again. The
 * scheduler must clear it and add the timer anew, or the booking is never reminded.
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
  const homeData = (await q.getJob(homeId))?.data;
  await move(booking.id, away);
  await waitFor('the timer of the new start', async () => (await state(awayId)) === 'delayed', 10_000, 50);
  // The move removed the timer of the start it left.
  await waitFor('the timer of the old start removed', async () => (await state(homeId)) === 'unknown', 10_000, 50);

  // A timer that was running at the move (it could not be removed) completes without reminding.
  if (!homeData) throw new Error('the first timer had no data');
  await q.add('reminder', homeData, { jobId: homeId, removeOnComplete: { age: 3600 } });
  await waitFor('the left-over timer to complete', async () => (await state(homeId)) === 'completed', 10_000, 50);
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

  // A cancelled booking's reminder and a cancelled series' reminders are removed, not left delayed.
  const later = start + 24 * 60 * MINUTE;
  const single = unwrap(
    await send(client, 'booking:create', { resourceId: room.id, start: iso(later), end: iso(later + 30 * MINUTE) }),
  ).booking;
  const singleId = timerJobId('reminder', single.id, new Date(later));
  await waitFor('the reminder of the booking', async () => (await state(singleId)) === 'delayed', 10_000, 50);
  unwrap(await send(client, 'booking:cancel', { bookingId: single.id }));
  await waitFor(
    'the reminder of the cancelled booking removed',
    async () => (await state(singleId)) === 'unknown',
    10_000,
    50,
  );

  const series = unwrap(
    await send(client, 'booking:createSeries', {
      resourceId: room.id,
      start: iso(later + 60 * MINUTE),
      end: iso(later + 90 * MINUTE),
      repeat: { every: 'day', count: 3 },
      onConflict: 'fail',
    }),
  );
  const seriesIds = series.bookings.map((b) => timerJobId('reminder', b.id, new Date(b.start)));
  const states = async () => Promise.all(seriesIds.map(state));
  await waitFor('the series reminders', async () => (await states()).every((st) => st === 'delayed'), 10_000, 50);
  unwrap(await send(client, 'booking:cancelSeries', { seriesId: series.seriesId }));
  await waitFor(
    'the series reminders removed',
    async () => (await states()).every((st) => st === 'unknown'),
    10_000,
    50,
  );
}, 60_000);
