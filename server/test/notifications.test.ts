/**
 * The notification service in-process against real MongoDB, Redis, two server nodes and a real
 * SMTP server (scripts/lib/mail-catcher.ts: smtp-server + mailparser).
 */
import type { Queue } from 'bullmq';
import type { Booking, FailedJob, Notification, Resource } from '@booking/shared';
import { NOTIFICATIONS_QUEUE } from '../src/infra/channels';
import { openQueue } from '../src/infra/queue';
import type { NotificationJobData } from '../src/notifications/notification.job';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { CaughtMail, MailCatcher } from '../../scripts/lib/mail-catcher';
import { createNotificationAdmin } from '../src/notifications/notification.admin';
import type { NotificationAdmin } from '../src/notifications/notification.admin';
import { formatInterval, renderNotification } from '../src/notifications/notification.email';
import { startNotificationService } from '../src/notifier';
import type { Notifier } from '../src/notifier';
import { testConfig } from '../../test/support/env';
import {
  connectClient,
  createResource,
  http,
  loginStaff,
  minutesFrom,
  registerUser,
  send,
  sendUntilDecided,
  slot,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';
import { waitFor } from '../../test/support/wait';

let h: Harness;
let catcher: MailCatcher;
let notifier: Notifier;
let admin: NotificationAdmin;
let queue: Queue<NotificationJobData>;
const refused = new Set<string>();
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  catcher = await startMailCatcher({
    onRcpt: (address) => (refused.has(address) ? { code: 550, message: 'mailbox unavailable' } : null),
  });
  // The load test books 60 each for four users: above the default per-user quota, not its subject.
  h = await startHarness({ label: 'notifications', count: 2, env: { MAX_ACTIVE_BOOKINGS_PER_USER: '1000' } });
  notifier = await startNotificationService({
    config: testConfig({ db: h.db, env: { NODE_ID: `${h.db}-notifier`, SMTP_URL: catcher.smtpUrl } }),
    retry: { attempts: 6, backoffMs: 150 },
    sweepIntervalMs: 1000,
  });
  const { redis, names } = h.node.stores;
  admin = createNotificationAdmin({ connection: redis.bullmqOptions, names });
  queue = openQueue<NotificationJobData>({ name: NOTIFICATIONS_QUEUE, connection: redis.bullmqOptions, names });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await admin?.close();
  await queue?.close();
  await notifier?.close();
  await h?.close();
  await catcher?.stop();
});

async function client(nodeIndex: number, token: string): Promise<ClientSocket> {
  const node = h.nodes[nodeIndex];
  if (!node) throw new Error('no such node');
  const s = await connectClient(node.url, token);
  sockets.push(s);
  return s;
}

function mailsTo(email: string): CaughtMail[] {
  return catcher.messages().filter((m) => m.to.includes(email));
}

/** The unfolded content lines of an iCalendar text, as name → value (first occurrence). */
function icsFields(ics: string): Map<string, string> {
  const unfolded = ics.replace(/\r\n[ \t]/g, '');
  const fields = new Map<string, string>();
  for (const line of unfolded.split(/\r\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).split(';')[0] ?? '';
    if (!fields.has(name)) fields.set(name, line.slice(colon + 1));
  }
  return fields;
}

const icsTime = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');

test('booking, modify, cancel: three emails with .ics and three live notices on another node', async () => {
  const staff = await loginStaff(h.node.url);
  const resource = await createResource(h.node.url, staff.token, 'Fjord Room');
  const owner = await registerUser(h.node.url, 'owner');
  const other = await registerUser(h.node.url, 'other');
  const booker = await client(0, owner.token);
  const watcher = await client(1, owner.token); // the owner's second tab, on the other node
  const stranger = await client(1, other.token);
  const seen: Notification[] = [];
  const strangerSeen: Notification[] = [];
  watcher.on('notification', (n) => seen.push(n));
  stranger.on('notification', (n) => strangerSeen.push(n));

  const first = slot(30);
  const booked = unwrap(await send(booker, 'booking:create', { resourceId: resource.id, ...first })).booking;
  const moved = { start: minutesFrom(first.start, 120), end: minutesFrom(first.end, 150) };
  unwrap(await send(booker, 'booking:modify', { bookingId: booked.id, ...moved }));
  unwrap(await send(booker, 'booking:cancel', { bookingId: booked.id }));

  const mails = await waitFor(
    'three emails',
    () => (mailsTo(owner.user.email).length >= 3 ? mailsTo(owner.user.email) : null),
    15_000,
  );
  await waitFor('three live notices', () => seen.length >= 3, 10_000);
  expect(mails).toHaveLength(3);

  const byType = (word: string) => {
    const m = mails.find((x) => x.subject.startsWith(word));
    if (!m) throw new Error(`no "${word}" mail among ${mails.map((x) => x.subject).join(' | ')}`);
    return m;
  };
  const confirmed = byType('Booking confirmed');
  const modified = byType('Booking changed');
  const cancelled = byType('Booking cancelled');
  const firstWhen = formatInterval(first.start, first.end);
  const movedWhen = formatInterval(moved.start, moved.end);
  expect(firstWhen).toMatch(/UTC$/);

  expect(confirmed.subject).toBe(`Booking confirmed: Fjord Room, ${firstWhen}`);
  expect(modified.subject).toBe(`Booking changed: Fjord Room, ${movedWhen}`);
  expect(cancelled.subject).toBe(`Booking cancelled: Fjord Room, ${movedWhen}`);
  expect(confirmed.text).toContain(`Hello ${owner.user.name}`);
  expect(confirmed.text).toContain(`Your booking of Fjord Room on ${firstWhen} is confirmed.`);
  expect(modified.text).toContain(`Was:      ${firstWhen}`);
  expect(cancelled.text).toContain('is cancelled');
  for (const m of mails) {
    expect(m.to).toEqual([owner.user.email]);
    expect(m.from).toContain('bookings@localhost');
    expect(m.html).toContain('Fjord Room');
    expect(m.html).toContain('<strong>');
    expect(m.headers['x-booking-id']).toBe(booked.id);
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]?.contentType).toBe('text/calendar');
  }

  const ics = [confirmed, modified, cancelled].map((m) => icsFields(m.attachments[0]?.content ?? ''));
  const [c, mo, ca] = ics;
  if (!c || !mo || !ca) throw new Error('unreachable');
  expect(c.get('UID')).toBe(`${booked.id}@booking`);
  expect(mo.get('UID')).toBe(c.get('UID'));
  expect(ca.get('UID')).toBe(c.get('UID'));
  expect([c.get('METHOD'), mo.get('METHOD'), ca.get('METHOD')]).toEqual(['REQUEST', 'REQUEST', 'CANCEL']);
  expect(ca.get('STATUS')).toBe('CANCELLED');
  expect(c.get('DTSTART')).toBe(icsTime(first.start));
  expect(c.get('DTEND')).toBe(icsTime(first.end));
  expect(mo.get('DTSTART')).toBe(icsTime(moved.start));
  expect(ca.get('DTSTART')).toBe(icsTime(moved.start));
  const seqs = [c, mo, ca].map((f) => Number(f.get('SEQUENCE')));
  expect(seqs[0]).toBeLessThan(seqs[1] ?? -1);
  expect(seqs[1]).toBeLessThan(seqs[2] ?? -1);
  expect(ca.get('ATTENDEE')).toBe(`mailto:${owner.user.email}`);

  expect(seen).toHaveLength(3);
  expect(seen.map((n) => n.type).sort()).toEqual(['booking.cancelled', 'booking.confirmed', 'booking.modified']);
  for (const n of seen) {
    expect(n.bookingId).toBe(booked.id);
    expect(n.message).toContain('Fjord Room');
    expect(Number.isNaN(Date.parse(n.at))).toBe(false);
    expect(typeof n.id).toBe('string');
  }
  expect(new Set(seen.map((n) => n.id)).size).toBe(3);
  expect(strangerSeen).toHaveLength(0);
});

test('a booking whose transaction aborts sends nothing', async () => {
  const staff = await loginStaff(h.node.url);
  const resource = await createResource(h.node.url, staff.token, 'Contested');
  const winner = await registerUser(h.node.url, 'winner');
  const loser = await registerUser(h.node.url, 'loser');
  const w = await client(0, winner.token);
  const l = await client(1, loser.token);
  const loserSeen: Notification[] = [];
  l.on('notification', (n) => loserSeen.push(n));

  const contested = slot(40);
  unwrap(await send(w, 'booking:create', { resourceId: resource.id, ...contested }));
  const lost = await send(l, 'booking:create', { resourceId: resource.id, ...contested });
  expect(lost.ok ? 'ok' : lost.error.code).toBe('SLOT_TAKEN');
  const movedOnto = unwrap(await send(l, 'booking:create', { resourceId: resource.id, ...slot(42) })).booking;
  const badMove = await send(l, 'booking:modify', { bookingId: movedOnto.id, ...contested });
  expect(badMove.ok ? 'ok' : badMove.error.code).toBe('SLOT_TAKEN');
  // A sentinel booked after the failures: once its mail is here, anything the failures had
  // queued would have been handled too (the relay hands entries over oldest first).
  const sentinel = unwrap(await send(l, 'booking:create', { resourceId: resource.id, ...slot(44) })).booking;
  await waitFor(
    'the sentinel mail',
    () => mailsTo(loser.user.email).some((m) => m.headers['x-booking-id'] === sentinel.id),
    10_000,
  );
  await waitFor('the winner mail', () => mailsTo(winner.user.email).length === 1, 10_000);
  await waitFor('queue drained', async () => {
    const c = await admin.counts();
    return c.waiting + c.active + c.delayed === 0;
  });

  const loserMails = mailsTo(loser.user.email);
  expect(loserMails.map((m) => m.headers['x-booking-id']).sort()).toEqual([movedOnto.id, sentinel.id].sort());
  expect(loserMails.every((m) => m.subject.startsWith('Booking confirmed'))).toBe(true);
  expect(await notifier.models.Outbox.countDocuments({ userId: loser.user.id })).toBe(2);
  await waitFor('two live notices', () => loserSeen.length >= 2);
  expect(loserSeen.map((n) => n.bookingId).sort()).toEqual([movedOnto.id, sentinel.id].sort());
});

test('SMTP down for a while: the mail arrives once it is back', async () => {
  const staff = await loginStaff(h.node.url);
  const resource = await createResource(h.node.url, staff.token, 'Patient Room');
  const user = await registerUser(h.node.url, 'patient');
  const s = await client(0, user.token);
  await catcher.stopSmtp();
  let booked: Booking;
  try {
    booked = unwrap(await send(s, 'booking:create', { resourceId: resource.id, ...slot(50) })).booking;
    const outbox = await waitFor('the outbox entry', () =>
      notifier.models.Outbox.findOne({ bookingId: booked.id }).lean(),
    );
    const jobId = outbox._id.toHexString();
    // Proof that it really failed while SMTP was away: at least two attempts made, now delayed.
    await waitFor(
      'failed attempts while SMTP is down',
      async () => ((await queue.getJob(jobId))?.attemptsMade ?? 0) >= 2,
      10_000,
    );
    expect(mailsTo(user.user.email)).toHaveLength(0);
  } finally {
    await catcher.startSmtp();
  }
  const mail = await waitFor('the mail after SMTP is back', () => mailsTo(user.user.email)[0], 15_000);
  expect(mail.headers['x-booking-id']).toBe(booked.id);
  expect(mail.subject).toContain('Patient Room');
});

test('SMTP refusing permanently: the job lands in the failed set; a retry delivers after the fix', async () => {
  const staff = await loginStaff(h.node.url);
  const resource = await createResource(h.node.url, staff.token, 'Refused Room');
  const user = await registerUser(h.node.url, 'refused');
  const s = await client(0, user.token);
  refused.add(user.user.email);
  const before = (await admin.counts()).failed;
  const booked = unwrap(await send(s, 'booking:create', { resourceId: resource.id, ...slot(60) })).booking;

  const failed = await waitFor(
    'the failed job',
    async () => (await admin.failedJobs()).find((j) => j.bookingId === booked.id),
    10_000,
  );
  expect(failed.type).toBe('booking.confirmed');
  expect(failed.failedReason).toMatch(/550|mailbox unavailable/);
  expect((await admin.counts()).failed).toBe(before + 1);
  expect(mailsTo(user.user.email)).toHaveLength(0);
  await expect(admin.retry('no-such-job')).rejects.toMatchObject({ code: 'NOT_FOUND' });

  refused.delete(user.user.email);
  await admin.retry(failed.jobId);
  const mail = await waitFor('the retried mail', () => mailsTo(user.user.email)[0], 10_000);
  expect(mail.headers['x-booking-id']).toBe(booked.id);
  await waitFor('the failed set to shrink back', async () => (await admin.counts()).failed === before);
  await expect(admin.retry(failed.jobId)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  expect(mailsTo(user.user.email)).toHaveLength(1);
});

test('commit → SMTP latency under load (200 bookings from two nodes), printed', async () => {
  const staff = await loginStaff(h.node.url);
  const resources = await Promise.all(
    Array.from({ length: 10 }, (_, i) => createResource(h.node.url, staff.token, `Load ${i}`)),
  );
  const users = await Promise.all(Array.from({ length: 4 }, (_, i) => registerUser(h.node.url, `load${i}`)));
  const clients = await Promise.all(users.map((u, i) => client(i % 2, u.token)));
  const bookings: Booking[] = [];
  const N = 200;
  const burstStart = Date.now();
  for (let i = 0; i < N; i += 20) {
    const acks = await Promise.all(
      Array.from({ length: 20 }, (_, j) => {
        const n = i + j;
        const socket = clients[n % clients.length];
        const resource = resources[n % resources.length];
        if (!socket || !resource) throw new Error('unreachable');
        // Retried on BUSY with its key, as every client does (a busy machine makes the user fences contend).
        return sendUntilDecided(socket, 'booking:create', {
          resourceId: resource.id,
          ...slot(100 + Math.floor(n / resources.length)),
          idempotencyKey: `load-${n}`,
        });
      }),
    );
    for (const ack of acks) bookings.push(unwrap(ack).booking);
  }
  const arrived = () => {
    const at = new Map<string, number>();
    for (const m of catcher.messages()) {
      const id = m.headers['x-booking-id'];
      if (id && !at.has(id)) at.set(id, Date.parse(m.receivedAt));
    }
    return at;
  };
  const at = await waitFor(
    'every load mail',
    () => {
      const a = arrived();
      return bookings.every((b) => a.has(b.id)) ? a : null;
    },
    30_000,
    50,
  );
  const latencies = bookings.map((b) => (at.get(b.id) ?? Number.NaN) - Date.parse(b.createdAt)).sort((x, y) => x - y);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
  expect(latencies.every((l) => Number.isFinite(l) && l >= 0)).toBe(true);
  const lastMail = Math.max(...bookings.map((b) => at.get(b.id) ?? 0));
  const lastCommit = Math.max(...bookings.map((b) => Date.parse(b.createdAt)));
  process.stdout.write(
    `commit→SMTP latency over ${N} bookings committed in ${lastCommit - burstStart} ms: p50 ${pct(50)} ms, p95 ${pct(95)} ms, ` +
      `p99 ${pct(99)} ms, max ${pct(100)} ms; mail rate ${Math.round((N * 1000) / Math.max(1, lastMail - burstStart))}/s\n`,
  );

  // The same without a backlog: one booking at a time, each waiting for its mail.
  const quiet: number[] = [];
  const socket = clients[0];
  const resource = resources[0];
  if (!socket || !resource) throw new Error('unreachable');
  for (let i = 0; i < 10; i += 1) {
    const b = unwrap(await send(socket, 'booking:create', { resourceId: resource.id, ...slot(300 + i) })).booking;
    const got = await waitFor('the quiet mail', () => arrived().get(b.id), 5000, 5);
    quiet.push(got - Date.parse(b.createdAt));
  }
  quiet.sort((x, y) => x - y);
  process.stdout.write(`commit→SMTP latency one at a time: median ${quiet[5]} ms, max ${quiet[9]} ms\n`);
});

test('SMTP down past every attempt: the job ends in the failed set, and a retry delivers once it is back', async () => {
  const staff = await loginStaff(h.node.url);
  const resource = await createResource(h.node.url, staff.token, 'Exhausted Room');
  const user = await registerUser(h.node.url, 'exhausted');
  const s = await client(1, user.token);
  await catcher.stopSmtp();
  let failed: FailedJob;
  let booked: Booking;
  try {
    booked = unwrap(await send(s, 'booking:create', { resourceId: resource.id, ...slot(70) })).booking;
    // 6 attempts, backoff 150 ms doubling: about 4.7 s of retries.
    failed = await waitFor(
      'the exhausted job',
      async () => (await admin.failedJobs()).find((j) => j.bookingId === booked.id),
      15_000,
      100,
    );
  } finally {
    await catcher.startSmtp();
  }
  expect(failed.attemptsMade).toBe(6);
  expect(failed.failedReason).toMatch(/ECONNREFUSED/);
  expect(mailsTo(user.user.email)).toHaveLength(0);
  await admin.retry(failed.jobId);
  const mail = await waitFor('the retried mail', () => mailsTo(user.user.email)[0], 10_000);
  expect(mail.headers['x-booking-id']).toBe(booked.id);
});

test('emails write times in the resource’s zone, with the zone named', async () => {
  expect(formatInterval('2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z', 'Europe/Berlin')).toBe(
    'Tue, 1 Dec 2026, 10:00–11:00 CET (Europe/Berlin)',
  );
  expect(formatInterval('2027-07-01T13:00:00Z', '2027-07-01T14:30:00Z', 'America/New_York')).toBe(
    'Thu, 1 Jul 2027, 09:00–10:30 EDT (America/New_York)',
  );
  expect(formatInterval('2026-12-01T22:30:00Z', '2026-12-01T23:30:00Z', 'Europe/Berlin')).toBe(
    'Tue, 1 Dec 2026, 23:30 – Wed, 2 Dec 2026, 00:30 CET (Europe/Berlin)',
  );

  const staff = await loginStaff(h.node.url);
  const created = await http<{ resource: Resource }>(h.node.url, '/api/resources', {
    body: { name: 'Berlin Room', type: 'room', timeZone: 'Europe/Berlin' },
    token: staff.token,
  });
  const user = await registerUser(h.node.url, 'berliner');
  const s = await client(0, user.token);
  const iv = slot(40);
  unwrap(await send(s, 'booking:create', { resourceId: created.body.resource.id, ...iv }));
  const mail = await waitFor('the Berlin mail', () => mailsTo(user.user.email)[0], 10_000);
  const when = formatInterval(iv.start, iv.end, 'Europe/Berlin');
  expect(when).toMatch(/ CES?T \(Europe\/Berlin\)$/);
  expect(mail.subject).toBe(`Booking confirmed: Berlin Room, ${when}`);
  expect(mail.text).toContain(`When:     ${when}`);
});

test('calendar text escapes every line break, a bare CR included (RFC 5545)', () => {
  const rendered = renderNotification({
    job: {
      outboxId: 'aaaaaaaaaaaaaaaaaaaaaaaa',
      type: 'booking.confirmed',
      bookingId: 'bbbbbbbbbbbbbbbbbbbbbbbb',
      userId: 'cccccccccccccccccccccccc',
      resourceId: 'dddddddddddddddddddddddd',
      start: '2026-12-01T09:00:00.000Z',
      end: '2026-12-01T10:00:00.000Z',
      version: 1,
      createdAt: '2026-11-30T09:00:00.000Z',
    },
    user: { name: 'Ada', email: 'ada@example.com' },
    resourceName: 'Room\rA\nB\r\nC; D, E',
    timeZone: 'UTC',
    from: 'Bookings <bookings@localhost>',
    now: new Date('2026-11-30T09:00:00.000Z'),
  });
  const ics = String(rendered.mail.attachments?.[0]?.content ?? '');
  // Every CR in the file is part of a CRLF line ending, and the summary keeps its text escaped.
  expect(ics.replace(/\r\n/g, '')).not.toMatch(/\r/);
  expect(ics.replace(/\r\n[ \t]/g, '')).toContain('SUMMARY:Booking: Room\\nA\\nB\\nC\\; D\\, E');
});

test('a booking of several units says how many in its mails, calendar files and live notices; one unit says nothing', async () => {
  const staff = await loginStaff(h.node.url);
  const created = await http<{ resource: Resource }>(h.node.url, '/api/resources', {
    body: { name: 'Desk Pool', type: 'desk', capacity: 4 },
    token: staff.token,
  });
  expect(created.status).toBe(201);
  const pool = created.body.resource;
  const team = await registerUser(h.node.url, 'team');
  const solo = await registerUser(h.node.url, 'solo');
  const t = await client(0, team.token);
  const s = await client(1, solo.token);
  const seen: Notification[] = [];
  t.on('notification', (n) => seen.push(n));

  const iv = slot(70);
  const three = unwrap(await send(t, 'booking:create', { resourceId: pool.id, ...iv, quantity: 3 })).booking;
  expect(three.quantity).toBe(3);
  unwrap(await send(s, 'booking:create', { resourceId: pool.id, ...iv }));
  unwrap(await send(t, 'booking:modify', { bookingId: three.id, ...iv, quantity: 2 }));
  unwrap(await send(t, 'booking:cancel', { bookingId: three.id }));

  const mails = await waitFor('the team’s three mails', () => {
    const m = mailsTo(team.user.email);
    return m.length >= 3 ? m : null;
  });
  const soloMail = await waitFor('the single unit’s mail', () => mailsTo(solo.user.email)[0]);
  const when = formatInterval(iv.start, iv.end);
  const find = (word: string) => {
    const m = mails.find((x) => x.subject.startsWith(word));
    if (!m) throw new Error(`no "${word}" mail among ${mails.map((x) => x.subject).join(' | ')}`);
    return m;
  };
  const confirmed = find('Booking confirmed');
  expect(confirmed.subject).toBe(`Booking confirmed: Desk Pool × 3, ${when}`);
  expect(confirmed.text).toContain(`Your booking of Desk Pool × 3 on ${when} is confirmed.`);
  expect(confirmed.text).toContain('Resource: Desk Pool\nQuantity: 3\n');
  expect(confirmed.html).toContain('<tr><th align="left">Quantity</th><td>3</td></tr>');
  const ics = icsFields(confirmed.attachments[0]?.content ?? '');
  expect(ics.get('SUMMARY')).toBe('Booking: Desk Pool × 3');
  expect(ics.get('LOCATION')).toBe('Desk Pool');
  // A change of quantity is a change like a move: the mail says the units after it.
  expect(find('Booking changed').text).toContain(`Your booking of Desk Pool × 2 moved to ${when}`);
  expect(find('Booking cancelled').text).toContain('Quantity: 2\n');
  expect(find('Booking cancelled').subject).toBe(`Booking cancelled: Desk Pool × 2, ${when}`);
  await waitFor('three live notices', () => seen.length >= 3);
  expect(seen.find((n) => n.type === 'booking.confirmed')?.message).toContain('Desk Pool × 3');

  expect(soloMail.subject).toBe(`Booking confirmed: Desk Pool, ${when}`);
  expect(soloMail.text).toContain(`Your booking of Desk Pool on ${when} is confirmed.`);
  expect(soloMail.text).not.toContain('×');
  expect(soloMail.text).not.toContain('Quantity');
  expect(soloMail.html).not.toContain('Quantity');
  expect(icsFields(soloMail.attachments[0]?.content ?? '').get('SUMMARY')).toBe('Booking: Desk Pool');
});

test('every kind of mail shows a quantity above one; an entry from before capacity (no quantity) reads as one unit', () => {
  const base: NotificationJobData = {
    outboxId: 'a'.repeat(24),
    type: 'booking.confirmed',
    bookingId: 'b'.repeat(24),
    userId: 'c'.repeat(24),
    resourceId: 'd'.repeat(24),
    start: '2026-12-07T09:00:00.000Z',
    end: '2026-12-07T10:00:00.000Z',
    version: 2,
    createdAt: '2026-12-06T09:00:00.000Z',
  };
  const series = {
    seriesId: 'e'.repeat(24),
    occurrences: [{ start: base.start, end: base.end, recurrenceId: base.start }],
    series: { repeat: { every: 'week' as const }, count: 1, skipped: [] },
  };
  const render = (job: NotificationJobData) =>
    renderNotification({
      job,
      user: { name: 'Ada', email: 'ada@example.com' },
      resourceName: 'Laptops',
      timeZone: 'Europe/Berlin',
      from: 'Bookings <bookings@localhost>',
      now: new Date('2026-12-06T09:00:00.000Z'),
    });
  const types = [
    'booking.confirmed',
    'booking.modified',
    'booking.cancelled',
    'booking.reminder',
    'booking.released',
    'series.confirmed',
    'series.cancelled',
  ] as const;
  for (const type of types) {
    const job: NotificationJobData = { ...base, type, ...(type.startsWith('series.') ? series : {}) };
    const many = render({ ...job, quantity: 5 });
    expect({ type, message: many.message }).toEqual({ type, message: expect.stringContaining('Laptops × 5') });
    expect({ type, text: many.mail.text }).toEqual({ type, text: expect.stringContaining('Quantity: 5\n') });
    expect(many.mail.subject).toContain('Laptops × 5, ');
    for (const one of [render(job), render({ ...job, quantity: 1 })]) {
      expect({ type, text: `${one.mail.subject}\n${one.mail.text}${one.mail.html}` }).toEqual({
        type,
        text: expect.not.stringMatching(/×|Quantity/),
      });
    }
  }
});
