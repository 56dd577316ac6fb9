/**
 * An undecided request's expiry survives the notifier (docs/design.md "Lifecycle (v3)"): its timer
 * is a delayed job in the `booking-timers` queue, so a `kill -9` of the real notifier process
 * (server/src/notifier-main.ts) right after the job was scheduled loses nothing. Meanwhile the
 * expiry is exact at the data level: from `expiresAt` on, with no notifier at all, the request
 * can no longer be approved and reads as expired. A notifier started again stores it `expired`
 * within 30 s of its `expiresAt`, broadcasts `released` with status `expired`, mails the owner
 * exactly one `booking.expired`, and the slot is bookable again.
 */
import type { SlotChanged } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { TIMERS_QUEUE } from '../src/infra/channels';
import { openQueue } from '../src/infra/queue';
import type { TimerJobData } from '../src/notifications/timer.job';
import { timerJobId } from '../src/notifications/timer.scheduler';
import { loginStaff, send, sendUntilDecided, slot, unwrap } from '../../test/support/harness';
import { spawnServerProcess } from '../../test/support/spawn';
import type { ServerProcess } from '../../test/support/spawn';
import { useHarness, useSockets } from '../../test/support/suite';
import { createRoom, drainedQueue, mailsOf } from '../../test/support/timers';
import { createUsers } from '../../test/support/users';
import { waitFor } from '../../test/support/wait';

/** 0.004 h = 14.4 s from the request to its expiry. */
const EXPIRE_HOURS = 0.004;
const EXPIRE_MS = EXPIRE_HOURS * 3_600_000;

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startMailCatcher({ keep: 1000 });
});
const h = useHarness({ label: 'apcrash', count: 2 });
const sockets = useSockets('each');
afterAll(async () => {
  await catcher?.stop();
});

test('kill -9 the notifier right after a request was scheduled: it expires exactly, once, and its slot is free', async () => {
  const startNotifier = (): Promise<ServerProcess> =>
    spawnServerProcess({ kind: 'notifier', db: h.db, nodeId: `${h.db}-notifier`, env: { SMTP_URL: catcher.smtpUrl } });
  let notifier = await startNotifier();

  const staff = await loginStaff(h.node.url);
  const [approver, owner, watcher, other] = await createUsers(h.node, { count: 4, label: 'apcrash' });
  if (!approver || !owner || !watcher || !other) throw new Error('no users');
  const room = await createRoom(h.node.url, staff.token, 'Expiring room', {
    approval: { required: 'always', approverIds: [approver.user.id], expireHours: EXPIRE_HOURS },
  });
  const ownerSocket = await sockets.client(h.nodes[0]?.url ?? h.node.url, owner.token);
  const approverSocket = await sockets.client(h.nodes[1]?.url ?? h.node.url, approver.token);
  const watcherSocket = await sockets.client(h.nodes[1]?.url ?? h.node.url, watcher.token);
  const heard: SlotChanged[] = [];
  watcherSocket.on('slot:changed', (e) => heard.push(e));

  const req = { resourceId: room.id, ...slot(20) };
  const requestedAt = Date.now();
  const request = unwrap(await sendUntilDecided(ownerSocket, 'booking:create', req)).booking;
  const answeredAt = Date.now();
  expect(request.status).toBe('pending');
  // Creation + expireHours (the start is hours later): within the command's round trip of it.
  const expiresAt = Date.parse(request.expiresAt ?? '');
  expect(expiresAt).toBeGreaterThanOrEqual(requestedAt + EXPIRE_MS - 1000);
  expect(expiresAt).toBeLessThanOrEqual(answeredAt + EXPIRE_MS + 1000);
  await waitFor(
    'the request heard as booked (pending)',
    () => heard.some((e) => e.bookingId === request.id && e.change === 'booked' && e.status === 'pending'),
    5000,
  );

  // The notifier scheduled its expiry timer; kill -9 it right then.
  const queue = openQueue<TimerJobData>({
    name: TIMERS_QUEUE,
    connection: h.node.stores.redis.bullmqOptions,
    names: h.node.stores.names,
  });
  try {
    const jobId = timerJobId('expire', request.id, new Date(expiresAt));
    await waitFor('the expiry timer scheduled', async () => queue.getJob(jobId), 10_000, 20);
    notifier.signal('SIGKILL');
    expect(await notifier.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(Date.now()).toBeLessThan(expiresAt);
    expect(await queue.getJob(jobId)).toBeDefined();
  } finally {
    await queue.close();
  }
  const stored = async (): Promise<string | undefined> =>
    (await h.node.models.Booking.findById(request.id, { status: 1 }).lean())?.status;
  expect(await stored()).toBe('pending');

  // Expiry is exact at the data level: from expiresAt on, with no notifier to store it, the request
  // reads as expired and cannot be approved.
  await waitFor('expiresAt to pass', () => Date.now() >= expiresAt, EXPIRE_MS + 5000, 5);
  expect(await send(approverSocket, 'booking:approve', { bookingId: request.id })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_STATE' },
  });
  expect(await send(approverSocket, 'booking:decline', { bookingId: request.id })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_STATE' },
  });
  const mineBefore = unwrap(await send(ownerSocket, 'bookings:mine', {})).bookings;
  expect(mineBefore.filter((b) => b.id === request.id).map((b) => b.status)).toEqual(['expired']);
  expect(unwrap(await send(approverSocket, 'approvals:list', {})).bookings).toEqual([]);
  expect(await stored()).toBe('pending');
  expect(heard.filter((e) => e.bookingId === request.id && e.change === 'released')).toEqual([]);

  // A new notifier: the surviving timer fires; stored expired within 30 s of expiresAt.
  notifier = await startNotifier();
  await waitFor(
    'the request stored expired',
    async () => (await stored()) === 'expired',
    expiresAt + 30_000 - Date.now(),
    100,
  );
  await waitFor(
    'released (expired) heard',
    () => heard.some((e) => e.bookingId === request.id && e.change === 'released' && e.status === 'expired'),
    5000,
  );
  const mineAfter = unwrap(await send(ownerSocket, 'bookings:mine', {})).bookings;
  expect(mineAfter.filter((b) => b.id === request.id).map((b) => b.status)).toEqual(['expired']);
  const events = await h.node.models.BookingEvent.find({ bookingId: request.id, action: 'expire' }).lean();
  expect(events).toHaveLength(1);
  const delay = (events[0]?.at.getTime() ?? Infinity) - expiresAt;
  expect(delay).toBeGreaterThanOrEqual(0);
  expect(delay).toBeLessThanOrEqual(30_000);
  process.stdout.write(
    `approval crash test: expiresAt → stored expired ${delay} ms (the notifier restarted after expiresAt)\n`,
  );

  // The owner is told once.
  await waitFor('the booking.expired email', () => mailsOf(catcher, 'booking.expired').has(request.id), 20_000, 100);
  // Wait until nothing is in flight, so a late duplicate would be counted too.
  expect((await drainedQueue(h.node)).failed).toBe(0);
  const mails = mailsOf(catcher, 'booking.expired').get(request.id) ?? [];
  expect(mails).toHaveLength(1);
  expect(mails[0]?.to.map((a) => a.toLowerCase())).toEqual([expect.stringContaining(owner.user.email.toLowerCase())]);
  expect(await h.node.models.Outbox.countDocuments({ bookingId: request.id, type: 'booking.expired' })).toBe(1);

  // The slot is free again: someone else's request on it is taken.
  const otherSocket = await sockets.client(h.node.url, other.token);
  expect(await sendUntilDecided(otherSocket, 'booking:create', req)).toMatchObject({
    ok: true,
    data: { booking: { status: 'pending' } },
  });

  notifier.signal('SIGTERM');
  expect(await notifier.exited).toEqual({ code: 0, signal: null });
}, 90_000);
