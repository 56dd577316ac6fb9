/**
 * Approval end to end on one node and a notifier (real MongoDB, Redis, SMTP): under `always` a
 * person's booking is a pending request that holds its slot; the approvers (staff, and the users
 * the policy names) hear of it by notification and email, and decide it once; approval mails the
 * owner the calendar file, a decline frees the slot (for the next booking, or the waitlist) and
 * says why; an undecided request runs out by itself. Under `outsidePolicy` an approvable refusal
 * says so, and the same command with `requestApproval` asks instead.
 */
import type { Booking, Notification, Policy, SlotChanged } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { startNotificationService } from '../src/notifier';
import type { Notifier } from '../src/notifier';
import {
  connectAdmin,
  connectClient,
  loginStaff,
  registerUser,
  send,
  sendAdmin,
  slot,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { AdminSocket, ClientSocket, Harness } from '../../test/support/harness';
import { testConfig } from '../../test/support/env';
import { createRoom, mailsOf } from '../../test/support/timers';
import { waitFor } from '../../test/support/wait';

let h: Harness;
let catcher: MailCatcher;
let notifier: Notifier;
let staffToken: string;
let admin: AdminSocket;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  catcher = await startMailCatcher();
  const env = { SMTP_URL: catcher.smtpUrl };
  h = await startHarness({ label: 'approvals', env });
  notifier = await startNotificationService({ config: testConfig({ db: h.db, env }) });
  staffToken = (await loginStaff(h.node.url)).token;
  admin = await connectAdmin(h.node.url, staffToken);
});

afterAll(async () => {
  admin?.close();
  for (const s of sockets) s.close();
  await notifier?.close();
  await h?.close();
  await catcher?.stop();
});

async function person(name: string): Promise<{ socket: ClientSocket; id: string; email: string }> {
  const user = await registerUser(h.node.url, name);
  const socket = await connectClient(h.node.url, user.token);
  sockets.push(socket);
  return { socket, id: user.user.id, email: user.user.email };
}

const approval = (a: Partial<NonNullable<Policy['approval']>> & Pick<NonNullable<Policy['approval']>, 'required'>) => ({
  approval: { approverIds: [], expireHours: 72, ...a },
});

test('always: a request holds its slot, its approver decides once, the owner gets the calendar file', async () => {
  const approver = await person('approver');
  const [owner, other] = [await person('requester'), await person('other')];
  const room = await createRoom(
    h.node.url,
    staffToken,
    'Board room',
    approval({ required: 'always', approverIds: [approver.id] }),
  );
  const notices: Notification[] = [];
  approver.socket.on('notification', (n) => notices.push(n));
  const heard: SlotChanged[] = [];
  other.socket.on('slot:changed', (e) => heard.push(e));
  const req = { resourceId: room.id, ...slot(40) };

  const pending = unwrap(await send(owner.socket, 'booking:create', req)).booking;
  expect(pending).toMatchObject({ status: 'pending', requested: true });
  expect(Date.parse(pending.expiresAt ?? '')).toBe(
    Math.min(Date.parse(req.start), Date.parse(pending.createdAt) + 72 * 3_600_000),
  );
  // The request holds the slot while it waits.
  expect(await send(other.socket, 'booking:create', req)).toMatchObject({ ok: false, error: { code: 'SLOT_TAKEN' } });
  await waitFor('the request broadcast', () => heard.some((e) => e.bookingId === pending.id && e.status === 'pending'));
  // The approver hears of it (live, with what to do) and by email; staff too; the requester does not.
  await waitFor('the approver notice', () =>
    notices.some((n) => n.bookingId === pending.id && n.type === 'booking.requested'),
  );
  expect(notices.find((n) => n.bookingId === pending.id)?.action).toBe('decide');
  const asked = await waitFor('the request emails', () => {
    const mails = mailsOf(catcher, 'booking.requested').get(pending.id) ?? [];
    return mails.length >= 2 ? mails : null;
  });
  expect(asked.map((m) => m.to[0]).sort()).toEqual([approver.email, 'staff@example.com'].sort());
  expect(asked[0]?.text).toContain('requester asks to book Board room');
  expect(asked[0]?.text).toContain('/#approvals');
  expect(asked[0]?.attachments).toHaveLength(0);

  // Who may decide: the named approver and staff list it; the requester and others are not approvers.
  expect(unwrap(await send(approver.socket, 'approvals:list', {})).bookings.map((b: Booking) => b.id)).toContain(
    pending.id,
  );
  expect(unwrap(await sendAdmin(admin, 'approvals:list', {})).bookings.find((b) => b.id === pending.id)?.userName).toBe(
    'requester',
  );
  expect(unwrap(await send(other.socket, 'approvals:list', {})).bookings).toEqual([]);
  expect(await send(other.socket, 'booking:approve', { bookingId: pending.id })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
  expect(await send(owner.socket, 'booking:approve', { bookingId: pending.id })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
  expect(unwrap(await sendAdmin(admin, 'dashboard:snapshot', {})).stats.pendingApprovals).toBeGreaterThanOrEqual(1);

  const approved = unwrap(await send(approver.socket, 'booking:approve', { bookingId: pending.id })).booking;
  expect(approved).toMatchObject({ status: 'active', decidedBy: approver.id });
  expect(approved.expiresAt).toBeUndefined();
  expect(await sendAdmin(admin, 'booking:decline', { bookingId: pending.id })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_STATE' },
  });
  await waitFor('the approval broadcast', () =>
    heard.some((e) => e.bookingId === pending.id && e.change === 'confirmed' && e.status === 'active'),
  );
  const mail = await waitFor(
    'the approval email',
    () => mailsOf(catcher, 'booking.approved').get(pending.id)?.[0] ?? null,
  );
  expect(mail.to).toEqual([owner.email]);
  expect(mail.attachments[0]?.content).toContain('METHOD:REQUEST');
  expect(mailsOf(catcher, 'booking.confirmed').get(pending.id)).toBeUndefined();
  const history = unwrap(await sendAdmin(admin, 'booking:history', { bookingId: pending.id })).events;
  expect(history.map((e) => e.action)).toEqual(['request', 'approve']);
});

test('a decline frees the slot for the next booking and tells the owner why', async () => {
  const [owner, next] = [await person('declined-owner'), await person('next-in-line')];
  const room = await createRoom(h.node.url, staffToken, 'Studio', approval({ required: 'always' }));
  const req = { resourceId: room.id, ...slot(41) };
  const pending = unwrap(await send(owner.socket, 'booking:create', req)).booking;
  const declined = unwrap(
    await sendAdmin(admin, 'booking:decline', { bookingId: pending.id, reason: 'Reserved for the audit' }),
  ).booking;
  expect(declined).toMatchObject({ status: 'declined', declineReason: 'Reserved for the audit' });
  expect(await send(owner.socket, 'booking:cancel', { bookingId: pending.id })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_STATE' },
  });
  const mail = await waitFor(
    'the decline email',
    () => mailsOf(catcher, 'booking.declined').get(pending.id)?.[0] ?? null,
  );
  expect(mail.text).toContain('Reserved for the audit');
  expect(mail.attachments[0]?.content).toContain('METHOD:CANCEL');
  // The freed slot books again (as another request: the room always asks).
  expect(unwrap(await send(next.socket, 'booking:create', req)).booking.status).toBe('pending');
});

test('a decline offers the freed units to the waitlist in its own commit', async () => {
  const [owner, waiter] = [await person('wl-owner'), await person('wl-waiter')];
  const room = await createRoom(h.node.url, staffToken, 'Lab', approval({ required: 'always' }));
  const req = { resourceId: room.id, ...slot(42) };
  const pending = unwrap(await send(owner.socket, 'booking:create', req)).booking;
  const entry = unwrap(await send(waiter.socket, 'waitlist:join', req)).entry;
  unwrap(await sendAdmin(admin, 'booking:decline', { bookingId: pending.id }));
  const mine = unwrap(await send(waiter.socket, 'waitlist:mine', {})).entries.find((e) => e.id === entry.id);
  expect(mine?.status).toBe('offered');
  // Confirming the offer where approval is always required is itself a request.
  const confirmed = unwrap(await send(waiter.socket, 'booking:confirm', { bookingId: mine?.bookingId ?? '' })).booking;
  expect(confirmed.status).toBe('pending');
});

test('an undecided request runs out by itself and tells its owner', async () => {
  const [owner, other] = [await person('expiry-owner'), await person('expiry-other')];
  // 0.002 h = 7.2 s.
  const room = await createRoom(
    h.node.url,
    staffToken,
    'Quick room',
    approval({ required: 'always', expireHours: 0.002 }),
  );
  const req = { resourceId: room.id, ...slot(43) };
  const heard: SlotChanged[] = [];
  other.socket.on('slot:changed', (e) => heard.push(e));
  const pending = unwrap(await send(owner.socket, 'booking:create', req)).booking;
  const expiresAt = Date.parse(pending.expiresAt ?? '');
  const released = await waitFor(
    'the expiry broadcast',
    () => heard.find((e) => e.bookingId === pending.id && e.change === 'released') ?? null,
    40_000,
  );
  expect(released.status).toBe('expired');
  expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
  expect(Date.now() - expiresAt).toBeLessThan(30_000);
  expect(await sendAdmin(admin, 'booking:approve', { bookingId: pending.id })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_STATE' },
  });
  const mine = unwrap(await send(owner.socket, 'bookings:mine', {})).bookings.find((b) => b.id === pending.id);
  // Marked a request for good: an expired request reads apart from an expired hold.
  expect(mine).toMatchObject({ status: 'expired', requested: true });
  await waitFor('the expiry email', () => mailsOf(catcher, 'booking.expired').get(pending.id)?.[0] ?? null);
});

test('outsidePolicy: an approvable refusal says so, and requestApproval asks instead; grid and capacity never', async () => {
  const owner = await person('outside-owner');
  const room = await createRoom(h.node.url, staffToken, 'Hall', {
    maxMinutes: 60,
    slotMinutes: 15,
    ...approval({ required: 'outsidePolicy' }),
  });
  const long = { resourceId: room.id, ...slot(44, 2) };
  expect(await send(owner.socket, 'booking:create', long)).toMatchObject({
    ok: false,
    error: { code: 'POLICY_VIOLATION', details: { rule: 'duration', approvable: true } },
  });
  // A hold runs the same checks and says the same; it takes no requestApproval.
  expect(await send(owner.socket, 'booking:hold', long)).toMatchObject({
    ok: false,
    error: { details: { approvable: true } },
  });
  const asked = unwrap(await send(owner.socket, 'booking:create', { ...long, requestApproval: true })).booking;
  expect(asked.status).toBe('pending');
  // An undecided request moved, even into the policy, is still a request: it asks again at its new time.
  const movedIn = unwrap(await send(owner.socket, 'booking:modify', { bookingId: asked.id, ...slot(45) })).booking;
  expect(movedIn.status).toBe('pending');
  expect(movedIn.start).toBe(slot(45).start);
  const moved = unwrap(
    await send(owner.socket, 'booking:modify', { bookingId: asked.id, ...long, requestApproval: true }),
  );
  expect(moved.booking.status).toBe('pending');
  // Within the policy nothing needs approving, asked or not.
  const inside = { resourceId: room.id, ...slot(47) };
  expect(unwrap(await send(owner.socket, 'booking:create', { ...inside, requestApproval: true })).booking.status).toBe(
    'active',
  );
  // Off the grid is never approvable.
  const off = {
    resourceId: room.id,
    start: new Date(Date.parse(slot(48).start) + 60_000).toISOString(),
    end: slot(48).end,
  };
  const refused = await send(owner.socket, 'booking:create', { ...off, requestApproval: true });
  expect(refused).toMatchObject({ ok: false, error: { code: 'POLICY_VIOLATION', details: { rule: 'grid' } } });
  expect(refused.ok ? null : refused.error.details).not.toHaveProperty('approvable');
  // A series too long for the policy says the same, and asks when told to.
  const series = {
    resourceId: room.id,
    ...slot(60, 2),
    repeat: { every: 'day' as const, count: 2 },
    onConflict: 'fail' as const,
  };
  expect(await send(owner.socket, 'booking:createSeries', series)).toMatchObject({
    ok: false,
    error: { code: 'POLICY_VIOLATION', details: { rule: 'duration', approvable: true } },
  });
  const askedSeries = unwrap(await send(owner.socket, 'booking:createSeries', { ...series, requestApproval: true }));
  expect(askedSeries.bookings.map((b) => b.status)).toEqual(['pending', 'pending']);
  // The pending request holds its slot like a booking: nothing else fits there.
  expect(await send(owner.socket, 'booking:create', { ...long, requestApproval: true })).toMatchObject({
    ok: false,
    error: { code: 'SLOT_TAKEN' },
  });
});

test('always: every occurrence of a series is a request, and a modify asks again at its new time', async () => {
  const owner = await person('series-owner');
  const room = await createRoom(h.node.url, staffToken, 'Series room', approval({ required: 'always' }));
  const first = slot(50);
  const series = unwrap(
    await send(owner.socket, 'booking:createSeries', {
      resourceId: room.id,
      ...first,
      repeat: { every: 'day', count: 3 },
      onConflict: 'fail',
    }),
  );
  expect(series.bookings.map((b) => b.status)).toEqual(['pending', 'pending', 'pending']);
  const [one, two] = series.bookings;
  const approved = unwrap(await sendAdmin(admin, 'booking:approve', { bookingId: one?.id ?? '' })).booking;
  expect(approved.status).toBe('active');
  const mine = unwrap(await send(owner.socket, 'bookings:mine', {})).bookings.filter(
    (b) => b.seriesId === series.seriesId,
  );
  expect(mine.map((b) => b.status).sort()).toEqual(['active', 'pending', 'pending']);
  // Each staff member hears of the series once.
  const asked = await waitFor(
    'the series request email',
    () => mailsOf(catcher, 'booking.requested').get(one?.id ?? '')?.[0] ?? null,
  );
  expect(asked.text).toContain('3 occurrences');
  // Moving the approved occurrence makes it a request again, at its new time.
  const moved = unwrap(await send(owner.socket, 'booking:modify', { bookingId: one?.id ?? '', ...slot(53) })).booking;
  expect(moved.status).toBe('pending');
  // Staff (approvers) act without asking: their on-behalf booking is active at once.
  const onBehalf = unwrap(
    await sendAdmin(admin, 'booking:create', { resourceId: room.id, ...slot(56), userId: owner.id }),
  ).booking;
  expect(onBehalf.status).toBe('active');
  expect(two?.status).toBe('pending');
});
