/**
 * The waitlist offer's email and live notice (issue 25): the mail says until when the place is
 * held (in the resource's zone, zone named) and links to the page opened on the offer
 * (`PUBLIC_URL/#offer=<bookingId>`), with no calendar file (nothing is booked until `booking:confirm`,
 * whose confirmation mail carries it); the live `notification` carries `action: 'confirm'`.
 *
 * The renderer on its own, then the whole path: an outbox entry as the promotion's transaction
 * writes it, the relay, the worker, a real SMTP server (scripts/lib/mail-catcher.ts) and the
 * person's socket on a server node.
 */
import { Types } from 'mongoose';
import type { Notification, Resource } from '@booking/shared';
import { NotificationOut } from '../src/docs/wire.schemas';
import type { NotificationJobData } from '../src/notifications/notification.job';
import { formatInterval, offerLink, renderNotification } from '../src/notifications/notification.email';
import { notificationPayload } from '../src/notifications/notification.payload';
import { startNotificationService } from '../src/notifier';
import type { Notifier } from '../src/notifier';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { testConfig } from '../../test/support/env';
import {
  connectClient,
  http,
  loginStaff,
  minutesFrom,
  registerUser,
  slot,
  startHarness,
} from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';
import { waitFor } from '../../test/support/wait';

const PUBLIC_URL = 'https://rooms.example.org';

const offerJob = (over: Partial<NotificationJobData> = {}): NotificationJobData => ({
  outboxId: 'a'.repeat(24),
  type: 'waitlist.offered',
  bookingId: 'b'.repeat(24),
  userId: 'c'.repeat(24),
  resourceId: 'd'.repeat(24),
  // 10:00–11:00 in Berlin (CET, UTC+1); the offer is held until 09:15 Berlin time the same day.
  start: '2026-12-07T09:00:00.000Z',
  end: '2026-12-07T10:00:00.000Z',
  expiresAt: '2026-12-07T08:15:00.000Z',
  version: 4,
  createdAt: '2026-12-07T08:00:00.000Z',
  ...over,
});

const render = (job: NotificationJobData, publicUrl: string | undefined = PUBLIC_URL) =>
  renderNotification({
    job,
    user: { name: 'Lin', email: 'lin@example.com' },
    resourceName: 'Aurora',
    timeZone: 'Europe/Berlin',
    from: 'Bookings <bookings@localhost>',
    now: new Date('2026-12-07T08:00:00.000Z'),
    ...(publicUrl !== undefined ? { publicUrl } : {}),
  });

describe('the offer as rendered', () => {
  test('subject, held-until in the resource zone, the link to the offer, and no calendar file', () => {
    const { mail, message } = render(offerJob());
    const when = 'Mon, 7 Dec 2026, 10:00–11:00 CET (Europe/Berlin)';
    expect(formatInterval(offerJob().start, offerJob().end, 'Europe/Berlin')).toBe(when);
    expect(mail.subject).toBe(`A place is held for you until 09:15: Aurora, ${when}`);
    expect(message).toBe(
      `A place on Aurora on ${when} is free for you: it is held for you until 09:15 CET (Europe/Berlin). Confirm it to book it.`,
    );
    const link = `${PUBLIC_URL}/#offer=${'b'.repeat(24)}`;
    expect(offerLink(PUBLIC_URL, 'b'.repeat(24))).toBe(link);
    expect(mail.text).toContain('Held until: 09:15 CET (Europe/Berlin)\n');
    expect(mail.text).toContain(`\n${link}\n`);
    expect(mail.html).toContain(`<a href="${link}">Confirm this place</a>`);
    expect(mail.html).toContain('<tr><th align="left">Held until</th><td>09:15 CET (Europe/Berlin)</td></tr>');
    expect(mail.attachments ?? []).toEqual([]);
    expect(`${mail.text}${mail.html}`).not.toMatch(/VCALENDAR|attached calendar file/);
    expect(mail.headers).toEqual({
      'X-Booking-Id': 'b'.repeat(24),
      'X-Notification-Id': 'a'.repeat(24),
      'X-Notification-Type': 'waitlist.offered',
    });
  });

  test('an offer running out on another day than its slot names that day; several units say how many', () => {
    // Held until Sun 6 Dec 23:30 Berlin for a slot on Mon 7 Dec: the date must be there.
    const { mail } = render(offerJob({ expiresAt: '2026-12-06T22:30:00.000Z', quantity: 2 }));
    expect(mail.subject).toMatch(
      /^A place is held for you until Sun, 6 Dec 2026, 23:30: Aurora × 2, Mon, 7 Dec 2026, /,
    );
    expect(mail.text).toContain('Held until: Sun, 6 Dec 2026, 23:30 CET (Europe/Berlin)\n');
    expect(mail.text).toContain('Quantity: 2\n');
  });

  test('the other mails keep their calendar file', () => {
    const { mail } = render(offerJob({ type: 'booking.confirmed' }));
    expect(mail.attachments?.map((a) => a.filename)).toEqual(['invite.ics']);
    expect(mail.text).not.toContain('#offer=');
  });

  test('the live notice of an offer invites a confirm, within the contract', () => {
    const job = offerJob();
    const n = notificationPayload(job, render(job).message, new Date('2026-12-07T08:00:01.000Z'));
    expect(n).toEqual({
      id: 'a'.repeat(24),
      type: 'waitlist.offered',
      bookingId: 'b'.repeat(24),
      message: expect.stringContaining('held for you until 09:15 CET (Europe/Berlin)'),
      at: '2026-12-07T08:00:01.000Z',
      action: 'confirm',
    });
    expect(NotificationOut.parse(n)).toEqual(n);
  });
});

describe('the offer delivered', () => {
  let h: Harness;
  let catcher: MailCatcher;
  let notifier: Notifier;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    catcher = await startMailCatcher();
    h = await startHarness({ label: 'waitlist-email', env: { PUBLIC_URL: `${PUBLIC_URL}/` } });
    notifier = await startNotificationService({
      config: testConfig({
        db: h.db,
        env: { NODE_ID: `${h.db}-notifier`, SMTP_URL: catcher.smtpUrl, PUBLIC_URL: `${PUBLIC_URL}/` },
      }),
      retry: { attempts: 3, backoffMs: 150 },
      sweepIntervalMs: 1000,
    });
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await notifier?.close();
    await h?.close();
    await catcher?.stop();
  });

  test('an offer entry in the outbox reaches its person as an email with the link and a notice with action confirm', async () => {
    const staff = await loginStaff(h.node.url);
    const created = await http<{ resource: Resource }>(h.node.url, '/api/resources', {
      body: { name: 'Berlin Room', type: 'room', timeZone: 'Europe/Berlin' },
      token: staff.token,
    });
    expect(created.status).toBe(201);
    const resource = created.body.resource;
    const person = await registerUser(h.node.url, 'waiting');
    const other = await registerUser(h.node.url, 'bystander');
    const socket = await connectClient(h.node.url, person.token);
    const otherSocket = await connectClient(h.node.url, other.token);
    sockets.push(socket, otherSocket);
    const seen: Notification[] = [];
    const otherSeen: Notification[] = [];
    socket.on('notification', (n) => seen.push(n));
    otherSocket.on('notification', (n) => otherSeen.push(n));

    // As the promotion writes it: the offer's booking, its person, until when it is held.
    const iv = slot(3);
    const expiresAt = minutesFrom(new Date().toISOString(), 15);
    const bookingId = new Types.ObjectId();
    const entry = await notifier.models.Outbox.create({
      type: 'waitlist.offered',
      bookingId,
      userId: new Types.ObjectId(person.user.id),
      resourceId: new Types.ObjectId(resource.id),
      start: new Date(iv.start),
      end: new Date(iv.end),
      version: 2,
      createdAt: new Date(),
      quantity: 1,
      expiresAt: new Date(expiresAt),
      handedOverAt: null,
    });
    await notifier.relay.sweep();

    const mail = await waitFor('the offer mail', () =>
      catcher.messages().find((m) => m.to.includes(person.user.email)),
    );
    const when = formatInterval(iv.start, iv.end, 'Europe/Berlin');
    const until = formatDeadlineForTest(expiresAt, iv.start);
    expect(mail.subject).toBe(`A place is held for you until ${until.short}: Berlin Room, ${when}`);
    const link = `${PUBLIC_URL}/#offer=${bookingId.toHexString()}`;
    expect(mail.text).toContain(`Held until: ${until.named}\n`);
    expect(mail.text).toContain(`\n${link}\n`);
    expect(mail.html).toContain(`<a href="${link}">`);
    expect(mail.headers['x-notification-type']).toBe('waitlist.offered');
    expect(mail.headers['x-booking-id']).toBe(bookingId.toHexString());
    // No calendar part of any kind: nothing is booked yet.
    expect(mail.attachments).toEqual([]);
    expect(`${mail.text}${mail.html}`).not.toContain('VCALENDAR');

    const notice = await waitFor('the live notice', () => seen.find((n) => n.id === entry._id.toHexString()));
    expect(notice).toMatchObject({ type: 'waitlist.offered', bookingId: bookingId.toHexString(), action: 'confirm' });
    expect(notice.message).toContain(`held for you until ${until.named}`);
    expect(NotificationOut.parse(notice)).toEqual(notice);
    await waitFor('the entry stamped sent', async () => {
      const doc = await notifier.models.Outbox.findById(entry._id).lean();
      return doc?.sentAt ? doc : null;
    });
    expect(otherSeen).toEqual([]);
    expect(catcher.messages().filter((m) => m.to.includes(other.user.email))).toEqual([]);
  });

  test('an offer handed over behind a backlog of confirmations is mailed before the backlog', async () => {
    const staff = await loginStaff(h.node.url);
    const created = await http<{ resource: Resource }>(h.node.url, '/api/resources', {
      body: { name: 'Backlog Room', type: 'room' },
      token: staff.token,
    });
    const resource = created.body.resource;
    const busy = await registerUser(h.node.url, 'backlog');
    const waiting = await registerUser(h.node.url, 'offered-late');
    const iv = slot(4);
    const base = {
      userId: new Types.ObjectId(busy.user.id),
      resourceId: new Types.ObjectId(resource.id),
      start: new Date(iv.start),
      end: new Date(iv.end),
      version: 1,
      quantity: 1,
      handedOverAt: null,
    };
    const BACKLOG = 40;
    const at = Date.now();
    // Forty confirmations first (oldest), then the offer: one relay pass hands them over in that order.
    await notifier.models.Outbox.insertMany(
      Array.from({ length: BACKLOG }, (_, i) => ({
        ...base,
        type: 'booking.confirmed',
        bookingId: new Types.ObjectId(),
        createdAt: new Date(at + i),
      })),
    );
    await notifier.models.Outbox.create({
      ...base,
      userId: new Types.ObjectId(waiting.user.id),
      type: 'waitlist.offered',
      bookingId: new Types.ObjectId(),
      createdAt: new Date(at + BACKLOG),
      expiresAt: new Date(at + 15 * 60_000),
    });
    const before = catcher.messages().length;
    await notifier.relay.sweep();
    await waitFor('every mail of the pass', () => catcher.messages().length >= before + BACKLOG + 1, 30_000);
    const order = catcher.messages().slice(before);
    const offerAt = order.findIndex((m) => m.to.includes(waiting.user.email));
    // The worker takes a few jobs at a time (its concurrency) before the offer reaches the queue's head.
    expect(offerAt).toBeGreaterThanOrEqual(0);
    expect(offerAt).toBeLessThan(BACKLOG / 2);
  });
});

/**
 * The expected held-until texts, computed independently of the renderer with Intl: "HH:mm" on the
 * slot's Berlin day, with the date ("Sun, 6 Dec 2026, HH:mm") on another; named adds the zone.
 */
function formatDeadlineForTest(iso: string, slotStart: string): { short: string; named: string } {
  const zone = 'Europe/Berlin';
  const part = (d: Date, o: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, ...o }).format(d);
  const at = new Date(iso);
  const day = (d: Date) => part(d, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const time = part(at, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const date = `${part(at, { weekday: 'short' })}, ${part(at, { day: 'numeric', month: 'short', year: 'numeric' })}`;
  const short = day(at) === day(new Date(slotStart)) ? time : `${date}, ${time}`;
  const zoneName = part(at, { timeZoneName: 'short' });
  const offset = zoneName.includes('CEST') || zoneName.includes('GMT+2') ? 'CEST' : 'CET';
  return { short, named: `${short} ${offset} (${zone})` };
}
