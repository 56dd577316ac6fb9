/**
 * When holds and offers run out (docs/protocol.md "Holds", "Waitlist"), on two nodes with 3-second
 * holds and offers: an expired hold is free for everyone within a second of its `expiresAt` with no
 * timer running at all, and a notifier started later marks it `expired` and broadcasts `released`
 * within 2 s; an offer nobody confirms expires and goes to the next in line, and its entry is never
 * offered again. (Confirms racing the expiry: holds-confirm-race.test.ts.)
 */
import type { SlotChanged } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { startNotificationService } from '../src/notifier';
import type { Notifier } from '../src/notifier';
import { connectClient, loginStaff, send, slot, startHarness, unwrap } from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';
import { testConfig } from '../../test/support/env';
import { createUsers } from '../../test/support/users';
import { createPool, entryStatuses, storedOffers } from '../../test/support/waitlist';
import { waitFor } from '../../test/support/wait';

const SHORT = String(3 / 60); // 3 s, for holds and offers alike
let h: Harness;
let catcher: MailCatcher;
let notifier: Notifier | undefined;
const sockets: ClientSocket[] = [];
const env = (): Record<string, string> => ({
  HOLD_MINUTES: SHORT,
  WAITLIST_OFFER_MINUTES: SHORT,
  SMTP_URL: catcher.smtpUrl,
  MAX_ACTIVE_BOOKINGS_PER_USER: '1000',
});

beforeAll(async () => {
  catcher = await startMailCatcher();
  h = await startHarness({ label: 'holdexpiry', count: 2, env: env() });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await notifier?.close();
  await h?.close();
  await catcher?.stop();
});

/** The notifier (the one thing that runs hold expiry timers), started on first need. */
async function ensureNotifier(): Promise<void> {
  notifier ??= await startNotificationService({ config: testConfig({ db: h.db, env: env() }) });
}

/** `count` people, each with `perPerson` sockets spread over both nodes. */
async function people(label: string, count: number, perPerson = 1): Promise<Array<{ id: string; s: ClientSocket[] }>> {
  const users = await createUsers(h.node, { count, label });
  return Promise.all(
    users.map(async (u, i) => {
      const s = await Promise.all(
        Array.from({ length: perPerson }, (_, k) => connectClient(h.nodes[(i + k) % 2]?.url ?? h.node.url, u.token)),
      );
      sockets.push(...s);
      return { id: u.user.id, s };
    }),
  );
}

function first(p: { s: ClientSocket[] }): ClientSocket {
  const s = p.s[0];
  if (!s) throw new Error('no socket');
  return s;
}

async function statusOf(bookingId: string): Promise<string | undefined> {
  return (await h.node.models.Booking.findById(bookingId, { status: 1 }).lean())?.status;
}

test('an expired hold is bookable by someone else within 1 s of expiresAt with no timer; a notifier marks it within 2 s', async () => {
  expect(notifier).toBeUndefined();
  const staff = await loginStaff(h.node.url);
  const room = await createPool(h.node.url, staff.token, 'Unmarked room');
  const [a, b, watcher] = await people('nohold', 3);
  if (!a || !b || !watcher) throw new Error('no people');
  const req = { resourceId: room.id, ...slot(20) };
  const hold = unwrap(await send(first(a), 'booking:hold', req)).booking;
  const expiresAt = Date.parse(hold.expiresAt ?? '');
  const window = { resourceId: room.id, from: req.start, to: req.end };
  const before = unwrap(await send(first(b), 'availability:get', window));
  expect(before.busy).toEqual([expect.objectContaining({ bookingId: hold.id, status: 'held' })]);
  expect(await send(first(b), 'booking:create', req)).toMatchObject({ ok: false, error: { code: 'SLOT_TAKEN' } });

  await waitFor('expiresAt to pass', () => Date.now() >= expiresAt, 10_000, 5);
  const taken = await send(first(b), 'booking:create', req);
  const bookedAt = Date.now();
  expect(taken).toMatchObject({ ok: true, data: { booking: { status: 'active' } } });
  expect(bookedAt - expiresAt).toBeLessThan(1000);
  const after = unwrap(await send(first(watcher), 'availability:get', window));
  expect(after.busy.map((x) => x.bookingId)).toEqual([unwrap(taken).booking.id]);
  // Nothing has marked the hold: the data level alone made it free.
  expect(await statusOf(hold.id)).toBe('held');

  const heard: SlotChanged[] = [];
  first(watcher).on('slot:changed', (e) => heard.push(e));
  await ensureNotifier();
  await waitFor('the hold marked expired', async () => (await statusOf(hold.id)) === 'expired', 2000);
  await waitFor(
    'released (expired) heard',
    () => heard.some((e) => e.bookingId === hold.id && e.change === 'released' && e.status === 'expired'),
    2000,
  );
  expect(await send(first(a), 'booking:confirm', { bookingId: hold.id })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_STATE' },
  });
}, 30_000);

test('an offer nobody confirms expires and goes to the second in line; an expired entry is never offered again', async () => {
  await ensureNotifier();
  const staff = await loginStaff(h.node.url);
  const room = await createPool(h.node.url, staff.token, 'Chain room');
  const [x, w1, w2, watcher] = await people('chain', 4);
  if (!x || !w1 || !w2 || !watcher) throw new Error('no people');
  const heard: SlotChanged[] = [];
  first(watcher).on('slot:changed', (e) => heard.push(e));
  const req = { resourceId: room.id, ...slot(21) };
  const taken = unwrap(await send(first(x), 'booking:create', req)).booking;
  const e1 = unwrap(await send(first(w1), 'waitlist:join', req)).entry;
  const e2 = unwrap(await send(first(w2), 'waitlist:join', req)).entry;
  unwrap(await send(first(x), 'booking:cancel', { bookingId: taken.id }));
  const [offer1] = await storedOffers(h.node, { resourceId: room.id });
  expect(offer1).toMatchObject({ entryId: e1.id, userId: w1.id, status: 'held' });
  const id1 = offer1?.id ?? '';

  await waitFor('the first offer to expire', async () => (await statusOf(id1)) === 'expired', 10_000);
  await waitFor('released (expired) of the first offer', () =>
    heard.some((e) => e.bookingId === id1 && e.change === 'released' && e.status === 'expired'),
  );
  const offers = await storedOffers(h.node, { resourceId: room.id });
  expect(offers).toHaveLength(2);
  const offer2 = offers.find((o) => o.id !== id1);
  expect(offer2).toMatchObject({ entryId: e2.id, userId: w2.id, status: 'held' });
  expect(await entryStatuses(h.node, [e1.id, e2.id])).toEqual(
    new Map([
      [e1.id, 'expired'],
      [e2.id, 'offered'],
    ]),
  );
  await waitFor('the offer broadcast to the second', () =>
    heard.some((e) => e.bookingId === offer2?.id && e.change === 'held'),
  );
  expect(await send(first(w1), 'booking:confirm', { bookingId: id1 })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_STATE' },
  });

  // The second runs out too: its units are free, and nobody (w1 least of all) is offered them.
  await waitFor('the second offer to expire', async () => (await statusOf(offer2?.id ?? '')) === 'expired', 10_000);
  expect(await entryStatuses(h.node, [e1.id, e2.id])).toEqual(
    new Map([
      [e1.id, 'expired'],
      [e2.id, 'expired'],
    ]),
  );
  expect(await storedOffers(h.node, { resourceId: room.id })).toHaveLength(2);
  expect(await send(first(x), 'booking:create', req)).toMatchObject({ ok: true });
}, 40_000);
