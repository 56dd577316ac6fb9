/**
 * Holds and the waitlist end to end on one node and a notifier (real MongoDB, Redis, SMTP): a
 * hold occupies its slot and confirms; a full slot's waitlist is offered the units a cancel frees,
 * in join order, in the cancel's own commit; an offer confirms; a hold that runs out is free at
 * once at the data level and is marked expired (slot:changed released) by the notifier's timer,
 * which also offers its units to the next in line.
 */
import type { Booking, SlotChanged, WaitlistEntry } from '@booking/shared';
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
import type { ClientSocket, Harness } from '../../test/support/harness';
import { testConfig } from '../../test/support/env';
import { createRoom } from '../../test/support/timers';
import { waitFor } from '../../test/support/wait';

const HOLD_SECONDS = 3;
let h: Harness;
let catcher: MailCatcher;
let notifier: Notifier;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  catcher = await startMailCatcher();
  const env = { HOLD_MINUTES: String(HOLD_SECONDS / 60), WAITLIST_OFFER_MINUTES: '10', SMTP_URL: catcher.smtpUrl };
  h = await startHarness({ label: 'holds', env });
  notifier = await startNotificationService({ config: testConfig({ db: h.db, env }) });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await notifier?.close();
  await h?.close();
  await catcher?.stop();
});

async function person(name: string): Promise<ClientSocket> {
  const user = await registerUser(h.node.url, name);
  const s = await connectClient(h.node.url, user.token);
  sockets.push(s);
  return s;
}

test('hold, confirm, waitlist offer on cancel, confirm the offer', async () => {
  const staff = await loginStaff(h.node.url);
  const room = await createRoom(h.node.url, staff.token, 'Hold room');
  const [a, b, c] = [await person('holder'), await person('waiter1'), await person('waiter2')];
  const { start, end } = slot(30);
  const req = { resourceId: room.id, start, end };

  const held = unwrap(await send(a, 'booking:hold', req)).booking;
  expect(held).toMatchObject({ status: 'held' });
  expect(Date.parse(held.expiresAt ?? '')).toBeGreaterThan(Date.now());
  expect(await send(b, 'booking:create', req)).toMatchObject({ ok: false, error: { code: 'SLOT_TAKEN' } });
  const confirmed = unwrap(await send(a, 'booking:confirm', { bookingId: held.id })).booking;
  expect(confirmed).toMatchObject({ id: held.id, status: 'active' });
  expect(confirmed.expiresAt).toBeUndefined();
  expect(unwrap(await send(a, 'booking:confirm', { bookingId: held.id })).booking.status).toBe('active');

  expect(
    await send(b, 'waitlist:join', { resourceId: room.id, start: slot(40).start, end: slot(40).end }),
  ).toMatchObject({
    ok: false,
    error: { code: 'INVALID_STATE' },
  });
  const first = unwrap(await send(b, 'waitlist:join', req)).entry;
  const second = unwrap(await send(c, 'waitlist:join', req)).entry;
  expect([first.status, second.status]).toEqual(['waiting', 'waiting']);
  expect(await send(b, 'waitlist:join', req)).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });

  const heard: SlotChanged[] = [];
  c.on('slot:changed', (e) => heard.push(e));
  unwrap(await send(a, 'booking:cancel', { bookingId: held.id }));
  const mineB = unwrap(await send(b, 'waitlist:mine', {})).entries;
  const offeredEntry = mineB.find((e: WaitlistEntry) => e.id === first.id);
  expect(offeredEntry).toMatchObject({ status: 'offered' });
  const offerId = offeredEntry?.bookingId ?? '';
  const offers = unwrap(await send(b, 'bookings:mine', {})).bookings.filter((x: Booking) => x.id === offerId);
  expect(offers[0]).toMatchObject({ status: 'held', waitlistEntryId: first.id });
  expect(unwrap(await send(c, 'waitlist:mine', {})).entries[0]).toMatchObject({ id: second.id, status: 'waiting' });
  await waitFor('the offer broadcast', () => heard.some((e) => e.change === 'held' && e.bookingId === offerId));
  expect(await send(c, 'booking:confirm', { bookingId: offerId })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
  expect(unwrap(await send(b, 'booking:confirm', { bookingId: offerId })).booking.status).toBe('active');
  expect(unwrap(await send(b, 'waitlist:mine', {})).entries[0]).toMatchObject({ id: first.id, status: 'booked' });
  await waitFor('the offer email', () =>
    catcher.messages().some((m) => m.headers['x-notification-type'] === 'waitlist.offered'),
  );
});

test('a hold that runs out is free at once, then expired by the timer, which offers it on', async () => {
  const staff = await loginStaff(h.node.url);
  const room = await createRoom(h.node.url, staff.token, 'Expiry room');
  const [a, b, c] = [await person('exp-holder'), await person('exp-other'), await person('exp-waiter')];
  const { start, end } = slot(31);
  const req = { resourceId: room.id, start, end };
  const held = unwrap(await send(a, 'booking:hold', req)).booking;
  const entry = unwrap(await send(c, 'waitlist:join', req)).entry;
  const heard: SlotChanged[] = [];
  b.on('slot:changed', (e) => heard.push(e));
  const expiresAt = Date.parse(held.expiresAt ?? '');
  await waitFor(
    'the expiry broadcast',
    () => heard.some((e) => e.bookingId === held.id && e.change === 'released'),
    15_000,
  );
  const released = heard.find((e) => e.bookingId === held.id && e.change === 'released');
  expect(released?.status).toBe('expired');
  expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
  expect(await send(a, 'booking:confirm', { bookingId: held.id })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_STATE' },
  });
  const mine = unwrap(await send(c, 'waitlist:mine', {})).entries.find((e: WaitlistEntry) => e.id === entry.id);
  expect(mine?.status).toBe('offered');
});

test('a raised capacity offers the new units to the waitlist in its own transaction', async () => {
  const staff = await loginStaff(h.node.url);
  const room = await createRoom(h.node.url, staff.token, 'Raised room');
  const [a, b, c] = [await person('raise-holder'), await person('raise-first'), await person('raise-second')];
  const { start, end } = slot(32);
  const req = { resourceId: room.id, start, end };
  unwrap(await send(a, 'booking:create', req));
  const first = unwrap(await send(b, 'waitlist:join', req)).entry;
  const second = unwrap(await send(c, 'waitlist:join', req)).entry;
  const admin = await connectAdmin(h.node.url, staff.token);
  try {
    expect(unwrap(await sendAdmin(admin, 'resource:update', { id: room.id, capacity: 2 })).resource.capacity).toBe(2);
  } finally {
    admin.close();
  }
  const entries = async (s: ClientSocket) => unwrap(await send(s, 'waitlist:mine', {})).entries;
  expect((await entries(b)).find((e: WaitlistEntry) => e.id === first.id)?.status).toBe('offered');
  expect((await entries(c)).find((e: WaitlistEntry) => e.id === second.id)?.status).toBe('waiting');
});
