/**
 * The reconciler: Redis loses every timer job between scheduling and firing (this deployment's
 * keys deleted, as a flush without a saved file would), and the scheduler's next pass recreates
 * them from MongoDB; they then fire. The notifier runs in process on a clock ahead of real time
 * (a test clock), so its timers are due seconds from now instead of a minute.
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
import { createRoom, laggedClock, mailsOf, MINUTE, minuteFloor } from '../../test/support/timers';
import { waitFor } from '../../test/support/wait';

let h: Harness;
let catcher: MailCatcher;
let notifier: Notifier | undefined;
let socket: ClientSocket | undefined;

afterAll(async () => {
  socket?.close();
  await notifier?.close();
  await h?.close();
  await catcher?.stop();
});

test('timers lost with Redis are recreated by the reconciler and fire', async () => {
  catcher = await startMailCatcher();
  h = await startHarness({ label: 'reconcile', node: { clock: laggedClock(90_000) } });
  const staff = await loginStaff(h.node.url);
  const strict = await createRoom(h.node.url, staff.token, 'Strict', { checkIn: { windowMinutes: 1 } });
  const plain = await createRoom(h.node.url, staff.token, 'Plain');
  const user = await registerUser(h.node.url, 'reconcile');
  const client = await connectClient(h.node.url, user.token);
  socket = client;

  const m0 = minuteFloor(Date.now());
  const deadline = m0 + MINUTE;
  const t1 = m0 + 5 * MINUTE;
  // The notifier's clock runs ahead so the deadline is 8 s of real time away; the reminder of the
  // booking at T1 is due 8 s after that (its lead chosen to match).
  const aheadMs = deadline - (Date.now() + 8000);
  const clock = { now: () => new Date(Date.now() + aheadMs) };
  notifier = await startNotificationService({
    config: testConfig({
      db: h.db,
      env: { SMTP_URL: catcher.smtpUrl, REMINDER_MINUTES: String((t1 - deadline - 8000) / MINUTE) },
    }),
    clock,
    reconcileIntervalMs: 500,
  });
  const book = async (resourceId: string, start: number): Promise<Booking> =>
    unwrap(
      await send(client, 'booking:create', {
        resourceId,
        start: new Date(start).toISOString(),
        end: new Date(start + 30 * MINUTE).toISOString(),
      }),
    ).booking;
  const noShow = await book(strict.id, m0);
  const later = await book(plain.id, t1);

  const queue = openQueue<TimerJobData>({
    name: TIMERS_QUEUE,
    connection: h.node.stores.redis.bullmqOptions,
    names: h.node.stores.names,
  });
  try {
    const releaseId = timerJobId('release', noShow.id, new Date(deadline));
    const reminderId = timerJobId('reminder', later.id, new Date(t1));
    await waitFor(
      'both timers scheduled',
      async () => (await queue.getJob(releaseId)) && (await queue.getJob(reminderId)),
      10_000,
    );

    // Lose them: delete every BullMQ key of this deployment.
    const redis = h.node.stores.redis.cmd;
    const keys = await redis.keys(`${h.node.stores.names.bull}*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    expect(await queue.getJob(releaseId)).toBeUndefined();

    await waitFor(
      'the reconciler to recreate both',
      async () => (await queue.getJob(releaseId)) && (await queue.getJob(reminderId)),
      10_000,
      100,
    );
    await waitFor(
      'the no-show released',
      async () => (await h.node.models.Booking.countDocuments({ _id: noShow.id, cancelReason: 'no-show' })) === 1,
      30_000,
      100,
    );
    await waitFor('the reminder email', () => mailsOf(catcher, 'booking.reminder').has(later.id), 30_000, 100);
    await waitFor('the release email', () => mailsOf(catcher, 'booking.released').has(noShow.id), 30_000, 100);
  } finally {
    await queue.close();
  }
}, 90_000);
