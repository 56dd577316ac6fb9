/**
 * Check-in, no-show release and reminders end to end: two in-process nodes, the notification
 * service (relay, timer scheduler and worker, mailer) in process on a clock of its own, and a real
 * SMTP server. The notifier as a process of its own (`npm run notifier`'s entry) releasing and
 * reminding, killed mid-way too, is server/test/timers-crash.test.ts.
 *
 * Every booking is made in `beforeAll`, so all timers run down together. The nodes run on a clock
 * 90 s behind (see test/support/timers.ts) so a booking can start at the current whole minute; the
 * notifier's clock runs ahead of real time so that for it the one-minute check-in window of those
 * bookings closes 12 s after they are made, instead of up to a minute of real time later (the
 * deadline is the grid's next whole minute). Its reminder lead is chosen at start so the
 * reminders of bookings starting at T1 fire about 15 s later. Times of the notifier's deadlines
 * are measured in real time as `due(deadline)`.
 *
 * A release committed in the notifier also invalidates the calendar feeds: a subscriber's `mine`
 * feed, polled (and so cached) just before, drops the released booking on the next poll.
 */
import * as nodeIcal from 'node-ical';
import type { VEvent } from 'node-ical';
import type { Booking, Resource } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { TIMERS_QUEUE } from '../src/infra/channels';
import { openQueue } from '../src/infra/queue';
import { startNotificationService } from '../src/notifier';
import type { Notifier } from '../src/notifier';
import type { TimerJobData } from '../src/notifications/timer.job';
import { timerJobId } from '../src/notifications/timer.scheduler';
import {
  connectAdmin,
  connectClient,
  http,
  loginStaff,
  registerUser,
  send,
  sendAdmin,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';
import { testConfig } from '../../test/support/env';
import { createRoom, laggedClock, mailsOf, MINUTE, minuteFloor } from '../../test/support/timers';
import { waitFor } from '../../test/support/wait';

const LAG_MS = 90_000;

let h: Harness;
let catcher: MailCatcher;
let notifier: Notifier;
/** How far the notifier's clock runs ahead of real time. */
let aheadMs = 0;
/** The real time at which the notifier's clock reaches `at` (ms). */
const due = (at: number): number => at - aheadMs;
let queue: ReturnType<typeof openQueue<TimerJobData>>;
const sockets: ClientSocket[] = [];

/** What beforeAll made. */
let owner: ClientSocket;
let other: ClientSocket;
let watcher: ClientSocket;
let roomA: Resource;
let released: Booking;
let checkedIn: Booking;
let remindOnce: Booking;
let remindCancelled: Booking;
let remindMoved: Booking;
let movedFrom: number;
/** The subscriber's booking to be released, one kept, their feed URL and its first poll. */
let subscribed: Booking;
let subscribedKept: Booking;
let feedUrl: string;
let primed: { etag: string; uids: string[] };
let releaseDeadline: number;
let checkedInDeadline: number;
const slotEvents: Array<{ bookingId: string; change: string; at: number }> = [];
const notices: Array<{ type: string; bookingId: string; message: string }> = [];

const iso = (ms: number) => new Date(ms).toISOString();

/** A poll of a feed, as a calendar program makes it; the events' UIDs as node-ical reads them. */
async function pollFeed(url: string): Promise<{ status: number; etag: string; uids: string[] }> {
  const res = await fetch(url);
  const text = await res.text();
  const events = Object.values(nodeIcal.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT');
  return { status: res.status, etag: res.headers.get('etag') ?? '', uids: events.map((e) => e.uid) };
}

async function jobOutcome(id: string): Promise<unknown> {
  // The state first, then the job: a job read before it completed has no return value yet.
  if ((await queue.getJobState(id)) !== 'completed') return null;
  return (await queue.getJob(id))?.returnvalue ?? null;
}

/**
 * A timer its booking no longer owes: removed when the change was relayed (the scheduler's
 * `dropStale`), or, when it was already running then, completed doing nothing ('stale').
 */
async function leftOutcome(id: string): Promise<unknown> {
  return (await queue.getJobState(id)) === 'unknown' ? 'removed' : jobOutcome(id);
}

beforeAll(async () => {
  catcher = await startMailCatcher();
  h = await startHarness({ label: 'checkin', count: 2, node: { clock: laggedClock(LAG_MS) } });
  queue = openQueue<TimerJobData>({
    name: TIMERS_QUEUE,
    connection: h.node.stores.redis.bullmqOptions,
    names: h.node.stores.names,
  });

  const staff = await loginStaff(h.node.url);
  const [a, b, c, c1, c2, c3] = await Promise.all([
    createRoom(h.node.url, staff.token, 'Check-in A', { checkIn: { windowMinutes: 1 } }),
    createRoom(h.node.url, staff.token, 'Check-in B', { checkIn: { windowMinutes: 1 } }),
    createRoom(h.node.url, staff.token, 'Check-in C', { checkIn: { windowMinutes: 1 } }),
    createRoom(h.node.url, staff.token, 'Reminder 1'),
    createRoom(h.node.url, staff.token, 'Reminder 2'),
    createRoom(h.node.url, staff.token, 'Reminder 3'),
  ]);
  if (!a || !b || !c || !c1 || !c2 || !c3) throw new Error('unreachable');
  roomA = a;
  const [ownerAuth, otherAuth, subscriberAuth] = await Promise.all([
    registerUser(h.node.url, 'owner'),
    registerUser(h.node.url, 'other'),
    registerUser(h.node.url, 'subscriber'),
  ]);
  const node1 = h.nodes[1];
  if (!node1) throw new Error('two nodes');
  owner = await connectClient(h.node.url, ownerAuth.token);
  other = await connectClient(h.node.url, otherAuth.token);
  // The release must reach a page connected to the other node.
  watcher = await connectClient(node1.url, otherAuth.token);
  const subscriber = await connectClient(h.node.url, subscriberAuth.token);
  sockets.push(owner, other, watcher, subscriber);
  watcher.on('slot:changed', (e) => slotEvents.push({ bookingId: e.bookingId, change: e.change, at: Date.now() }));
  owner.on('notification', (n) => notices.push({ type: n.type, bookingId: n.bookingId, message: n.message }));

  // The current whole minute, at most 60 s past and not yet begun for the lagging nodes: the
  // one-minute windows of bookings starting then close at m0 + 1 min, which the notifier's clock
  // reaches 12 s from now (the commands up to the check-in below take a second or two; the margin
  // left is printed). T1, four minutes after that deadline: reminders of bookings starting then
  // fire 15 s from now.
  const m0 = minuteFloor(Date.now());
  aheadMs = m0 + MINUTE - (Date.now() + 12_000);
  const t1 = m0 + 5 * MINUTE;
  const reminderMs = t1 - (Date.now() + aheadMs + 15_000);
  notifier = await startNotificationService({
    config: testConfig({
      db: h.db,
      env: { NODE_ID: `${h.db}-notifier`, SMTP_URL: catcher.smtpUrl, REMINDER_MINUTES: String(reminderMs / MINUTE) },
    }),
    clock: { now: () => new Date(Date.now() + aheadMs) },
  });
  const bookAs = async (socket: ClientSocket, room: Resource, start: number) =>
    unwrap(
      await send(socket, 'booking:create', { resourceId: room.id, start: iso(start), end: iso(start + 30 * MINUTE) }),
    ).booking;
  const book = (room: Resource, start: number) => bookAs(owner, room, start);
  // The subscriber's last changes, then a poll that caches their feed: the release is their
  // feed's only later change, so only its invalidation can make the next poll differ. First
  // thing after m0, so the poll comes well before the release.
  subscribed = await bookAs(subscriber, c, m0);
  subscribedKept = await bookAs(subscriber, c, m0 + 180 * MINUTE);
  const feed = await http<{ url: string }>(h.node.url, '/api/calendar/feeds', {
    body: { scope: 'mine' },
    token: subscriberAuth.token,
  });
  feedUrl = feed.body.url;
  primed = await pollFeed(feedUrl);
  released = await book(a, m0);
  releaseDeadline = m0 + MINUTE;
  checkedIn = await book(b, m0);
  checkedInDeadline = m0 + MINUTE;
  // Check in once its release timer exists, so the test sees that timer do nothing.
  await waitFor(
    'the release timer',
    () => queue.getJob(timerJobId('release', checkedIn.id, new Date(checkedInDeadline))),
    10_000,
  );
  unwrap(await send(owner, 'booking:checkIn', { bookingId: checkedIn.id }));
  process.stdout.write(`check-in: checked in ${due(checkedInDeadline) - Date.now()} ms before the deadline\n`);

  remindOnce = await book(c1, t1);
  remindCancelled = await book(c2, t1);
  // Cancel it once its reminder timer exists (the scheduler only creates timers of active
  // bookings, and the relay may reach the booking after a quick cancel): that timer must then
  // find nothing to do.
  await waitFor(
    'the cancelled booking’s reminder timer to exist',
    () => queue.getJob(timerJobId('reminder', remindCancelled.id, new Date(t1))),
    10_000,
  );
  unwrap(await send(owner, 'booking:cancel', { bookingId: remindCancelled.id }));
  movedFrom = t1 + MINUTE;
  const toMove = await book(c3, movedFrom);
  // Move it once its first reminder timer exists: that timer must then do nothing.
  await waitFor(
    'the first reminder timer',
    () => queue.getJob(timerJobId('reminder', toMove.id, new Date(movedFrom))),
    10_000,
  );
  remindMoved = unwrap(
    await send(owner, 'booking:modify', { bookingId: toMove.id, start: iso(t1), end: iso(t1 + 30 * MINUTE) }),
  ).booking;
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await queue?.close();
  await notifier?.close();
  await h?.close();
  await catcher?.stop();
});

test('nobody checks in: released within 30 s of the deadline, on the other node, by email and notice, by the system; the slot is bookable again', async () => {
  const event = await waitFor(
    'slot:changed released on the other node',
    () => slotEvents.find((e) => e.bookingId === released.id && e.change === 'released'),
    due(releaseDeadline) - Date.now() + 45_000,
    100,
  );
  const delayMs = event.at - due(releaseDeadline);
  process.stdout.write(`check-in: released ${delayMs} ms after the deadline\n`);
  expect(delayMs).toBeGreaterThanOrEqual(0);
  expect(delayMs).toBeLessThanOrEqual(30_000);

  const mail = await waitFor(
    'the released email',
    () => mailsOf(catcher, 'booking.released').get(released.id)?.[0],
    20_000,
    100,
  );
  expect(mail.text).toContain('released because nobody checked in by');
  expect(mail.attachments[0]?.content).toContain('METHOD:CANCEL');
  await waitFor(
    'the released notification',
    () => notices.find((n) => n.type === 'booking.released' && n.bookingId === released.id),
    10_000,
  );

  const mine = unwrap(await send(owner, 'bookings:mine', {})).bookings.find((b) => b.id === released.id);
  expect(mine).toMatchObject({ status: 'cancelled', cancelReason: 'no-show' });

  const staff = await loginStaff(h.node.url);
  const admin = await connectAdmin(h.node.url, staff.token);
  try {
    const { events } = unwrap(await sendAdmin(admin, 'booking:history', { bookingId: released.id }));
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['create', expect.objectContaining({ name: 'owner' })],
      ['cancel', null],
    ]);
    // The day's stats count the release on its resource.
    const { stats } = unwrap(await sendAdmin(admin, 'dashboard:snapshot', { date: released.start.slice(0, 10) }));
    expect(stats.noShows?.[roomA.id]).toEqual({ released: 1, rate: 1 });
  } finally {
    admin.close();
  }

  // The same slot, free again, for someone else.
  const again = await send(other, 'booking:create', { resourceId: roomA.id, start: released.start, end: released.end });
  expect(again.ok).toBe(true);
}, 120_000);

test('a release committed in the notifier reaches calendar feeds: the next poll of the owner’s mine feed no longer lists it', async () => {
  expect(primed.uids.sort()).toEqual([`${subscribed.id}@booking`, `${subscribedKept.id}@booking`].sort());
  await waitFor(
    'the subscriber’s booking to be released',
    () => slotEvents.find((e) => e.bookingId === subscribed.id && e.change === 'released'),
    due(releaseDeadline) - Date.now() + 45_000,
    100,
  );
  // Within seconds of the release, not the cached entry's 15 minutes; a few polls at most (the
  // feed allows 120 an hour).
  const after = await waitFor(
    'the feed to drop the released booking',
    async () => {
      const poll = await pollFeed(feedUrl);
      return poll.uids.includes(`${subscribed.id}@booking`) ? null : poll;
    },
    10_000,
    250,
  );
  expect(after.status).toBe(200);
  expect(after.etag).not.toBe(primed.etag);
  expect(after.uids).toEqual([`${subscribedKept.id}@booking`]);
}, 120_000);

test('checked in: never released; check-in too early, by someone else or after a cancel is refused', async () => {
  // Its release timer fires at the deadline, re-reads the booking and does nothing.
  const id = timerJobId('release', checkedIn.id, new Date(checkedInDeadline));
  expect(
    await waitFor(
      'the checked-in booking’s release timer to run',
      () => jobOutcome(id),
      due(checkedInDeadline) - Date.now() + 45_000,
      200,
    ),
  ).toBe('stale');
  const mine = unwrap(await send(owner, 'bookings:mine', {})).bookings.find((b) => b.id === checkedIn.id);
  expect(mine?.status).toBe('active');
  expect(mine?.checkedInAt).toEqual(expect.any(String));
  expect(mailsOf(catcher, 'booking.released').get(checkedIn.id)).toBeUndefined();

  // A repeat answers the same booking.
  const repeat = unwrap(await send(owner, 'booking:checkIn', { bookingId: checkedIn.id })).booking;
  expect(repeat.checkedInAt).toBe(mine?.checkedInAt);

  const forbidden = await send(other, 'booking:checkIn', { bookingId: checkedIn.id });
  expect(!forbidden.ok && forbidden.error.code).toBe('FORBIDDEN');

  // More than 10 minutes before its start (by the nodes' clock): too early. Hours ahead, clear of
  // the first test's bookings of this room (its freed slot is booked again there).
  const later = minuteFloor(Date.now() - LAG_MS) + 180 * MINUTE;
  const early = unwrap(
    await send(owner, 'booking:create', { resourceId: roomA.id, start: iso(later), end: iso(later + 30 * MINUTE) }),
  ).booking;
  const tooEarly = await send(owner, 'booking:checkIn', { bookingId: early.id });
  expect(!tooEarly.ok && tooEarly.error.code).toBe('INVALID_STATE');
  expect(await h.node.models.Booking.countDocuments({ _id: early.id, checkedInAt: { $exists: true } })).toBe(0);

  unwrap(await send(owner, 'booking:cancel', { bookingId: early.id }));
  const cancelled = await send(owner, 'booking:checkIn', { bookingId: early.id });
  expect(!cancelled.ok && cancelled.error.code).toBe('INVALID_STATE');
  const malformed = await send(owner, 'booking:checkIn', { bookingId: 'nope' });
  expect(!malformed.ok && malformed.error.code).toBe('NOT_FOUND');
}, 120_000);

test('reminders: once; none for a booking cancelled before; a moved booking at its new time only', async () => {
  const reminders = () => mailsOf(catcher, 'booking.reminder');
  await waitFor(
    'the reminders of the kept and the moved booking',
    () => reminders().has(remindOnce.id) && reminders().has(remindMoved.id),
    60_000,
    100,
  );
  await waitFor(
    'the reminder notification',
    () => notices.find((n) => n.type === 'booking.reminder' && n.bookingId === remindOnce.id),
    10_000,
  );

  // The cancelled booking's timer was removed with the cancel (or, running then, did nothing).
  expect(['removed', 'stale']).toContain(
    await waitFor(
      'the cancelled booking’s reminder timer',
      () => leftOutcome(timerJobId('reminder', remindCancelled.id, new Date(remindCancelled.start))),
      10_000,
      100,
    ),
  );
  // So was the moved booking's old timer.
  expect(['removed', 'stale']).toContain(
    await waitFor(
      'the moved booking’s old reminder timer',
      () => leftOutcome(timerJobId('reminder', remindMoved.id, new Date(movedFrom))),
      10_000,
      100,
    ),
  );
  await waitFor(
    'the timer queue to settle',
    async () => {
      const c = await queue.getJobCounts('active', 'waiting');
      return (c.active ?? 0) + (c.waiting ?? 0) === 0;
    },
    10_000,
    100,
  );

  const byBooking = reminders();
  expect(byBooking.get(remindOnce.id)).toHaveLength(1);
  expect(byBooking.get(remindCancelled.id)).toBeUndefined();
  expect(byBooking.get(remindMoved.id)).toHaveLength(1);
  // No reminder for a booking of a room without check-in mentions it; the moved one names its new time.
  expect(byBooking.get(remindOnce.id)?.[0]?.text).not.toContain('Check in');
  const movedStart = new Date(remindMoved.start);
  const hhmm = `${String(movedStart.getUTCHours()).padStart(2, '0')}:${String(movedStart.getUTCMinutes()).padStart(2, '0')}`;
  expect(byBooking.get(remindMoved.id)?.[0]?.text).toContain(hhmm);
  // Exactly one reminder entry per booking in the outbox, whatever ran twice.
  // (Counted for this test's bookings: the check-in bookings above may start inside the reminder
  // lead too, depending on the second the setup ended on, and are reminded at once.)
  const ours = [remindOnce.id, remindCancelled.id, remindMoved.id];
  expect(await h.node.models.Outbox.countDocuments({ type: 'booking.reminder', bookingId: { $in: ours } })).toBe(2);
}, 120_000);
