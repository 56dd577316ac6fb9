/**
 * The rules of holds and the waitlist (docs/protocol.md "Holds", "Waitlist") on one node: an entry
 * that fits only after two cancellations is offered after the second; the holds, waitlist and
 * per-user quotas (an offer is not one of the 3 holds, a hold is one of the active bookings); a
 * hold or offer is its person's alone; a join on a free slot and a second leave are refused; and
 * every freeing change offers the freed units: a move away, a series cancel, an admin's cancel.
 */
import type { Booking, WaitlistEntry } from '@booking/shared';
import { connectAdmin, loginStaff, send, sendAdmin, slot, unwrap } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { createPool, entryStatuses, offeredOutbox, people, storedOffers } from '../../test/support/waitlist';
import type { Person } from '../../test/support/waitlist';

const MAX_ACTIVE = 5;

const h = useHarness({
  label: 'wlrules',
  env: { MAX_ACTIVE_BOOKINGS_PER_USER: String(MAX_ACTIVE), HOLD_MINUTES: '10', WAITLIST_OFFER_MINUTES: '10' },
  node: { rateLimit: { points: 1000, durationSec: 1 } },
});
const sockets = useSockets('each');

async function book(p: Person, req: { resourceId: string; start: string; end: string; quantity?: number }) {
  return unwrap(await send(p.socket, 'booking:create', req)).booking;
}

async function join(p: Person, req: { resourceId: string; start: string; end: string; quantity?: number }) {
  return unwrap(await send(p.socket, 'waitlist:join', req)).entry;
}

/** The entry is offered: its held booking is the person's, carries the entry, and has one outbox entry. */
async function expectOffered(entry: WaitlistEntry, p: Person): Promise<Booking> {
  const mine = unwrap(await send(p.socket, 'waitlist:mine', {})).entries.find((e) => e.id === entry.id);
  expect(mine).toMatchObject({ status: 'offered' });
  const offer = unwrap(await send(p.socket, 'bookings:mine', {})).bookings.find((b) => b.id === mine?.bookingId);
  expect(offer).toMatchObject({
    status: 'held',
    waitlistEntryId: entry.id,
    resourceId: entry.resourceId,
    start: entry.start,
    end: entry.end,
    quantity: entry.quantity,
  });
  expect(Date.parse(offer?.expiresAt ?? '')).toBeGreaterThan(Date.now());
  expect((await offeredOutbox(h.node, { bookingId: offer?.id })).get(offer?.id ?? '')).toBe(1);
  return offer as Booking;
}

test('an entry for 2 units of a full 2-unit pool waits through the first cancel and is offered after the second', async () => {
  const staff = await loginStaff(h.node.url);
  const pool = await createPool(h.node.url, staff.token, 'Pair', 2);
  const [a, b, w] = (await people(h, sockets, 'pair', 3)) as [Person, Person, Person];
  const req = { resourceId: pool.id, ...slot(30) };
  const [first, second] = [await book(a, req), await book(b, req)];
  const entry = await join(w, { ...req, quantity: 2 });
  expect(entry).toMatchObject({ status: 'waiting', quantity: 2 });

  unwrap(await send(a.socket, 'booking:cancel', { bookingId: first.id }));
  expect((await entryStatuses(h.node, [entry.id])).get(entry.id)).toBe('waiting');
  expect(await storedOffers(h.node, { resourceId: pool.id })).toEqual([]);

  unwrap(await send(b.socket, 'booking:cancel', { bookingId: second.id }));
  await expectOffered(entry, w);
  expect(await storedOffers(h.node, { resourceId: pool.id })).toHaveLength(1);
});

test('quotas: 3 holds (an offer is not one of them), 10 waiting entries, holds among the active bookings', async () => {
  const staff = await loginStaff(h.node.url);
  const room = await createPool(h.node.url, staff.token, 'Quota room');
  const [x, u, v, w] = (await people(h, sockets, 'quota', 4)) as [Person, Person, Person, Person];

  // u is offered a slot, then still takes 3 holds of its own; the 4th is refused.
  const taken = await book(x, { resourceId: room.id, ...slot(20) });
  const entry = await join(u, { resourceId: room.id, ...slot(20) });
  unwrap(await send(x.socket, 'booking:cancel', { bookingId: taken.id }));
  await expectOffered(entry, u);
  for (const k of [21, 22, 23])
    expect(unwrap(await send(u.socket, 'booking:hold', { resourceId: room.id, ...slot(k) })).booking.status).toBe(
      'held',
    );
  expect(await send(u.socket, 'booking:hold', { resourceId: room.id, ...slot(24) })).toMatchObject({
    ok: false,
    error: { code: 'QUOTA_EXCEEDED', details: { scope: 'holds', limit: 3 } },
  });

  // v: 3 holds and 2 bookings are MAX_ACTIVE; one more booking is over the per-user quota.
  for (const k of [31, 32, 33]) unwrap(await send(v.socket, 'booking:hold', { resourceId: room.id, ...slot(k) }));
  for (const k of [34, 35]) await book(v, { resourceId: room.id, ...slot(k) });
  expect(await send(v.socket, 'booking:create', { resourceId: room.id, ...slot(36) })).toMatchObject({
    ok: false,
    error: { code: 'QUOTA_EXCEEDED', details: { scope: 'user', limit: MAX_ACTIVE } },
  });

  // w waits for 10 full slots; the 11th join is refused.
  const blockers = await people(h, sockets, 'block', 11);
  const full = await Promise.all(blockers.map((p, k) => book(p, { resourceId: room.id, ...slot(40 + k) })));
  for (const b of full.slice(0, 10)) await join(w, { resourceId: room.id, start: b.start, end: b.end });
  const last = full[10] as Booking;
  expect(
    await send(w.socket, 'waitlist:join', { resourceId: room.id, start: last.start, end: last.end }),
  ).toMatchObject({ ok: false, error: { code: 'QUOTA_EXCEEDED', details: { scope: 'waitlist', limit: 10 } } });
  expect(unwrap(await send(w.socket, 'waitlist:mine', {})).entries.filter((e) => e.status === 'waiting')).toHaveLength(
    10,
  );
});

test("someone else's hold or offer is FORBIDDEN; a join on a free slot and a second leave are INVALID_STATE", async () => {
  const staff = await loginStaff(h.node.url);
  const room = await createPool(h.node.url, staff.token, 'Rules room');
  const [a, b, c] = (await people(h, sockets, 'rules', 3)) as [Person, Person, Person];
  const hold = unwrap(await send(a.socket, 'booking:hold', { resourceId: room.id, ...slot(20) })).booking;
  for (const event of ['booking:confirm', 'booking:cancel'] as const)
    expect(await send(b.socket, event, { bookingId: hold.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  const entry = await join(b, { resourceId: room.id, ...slot(20) });
  unwrap(await send(a.socket, 'booking:cancel', { bookingId: hold.id }));
  const offer = await expectOffered(entry, b);
  for (const event of ['booking:confirm', 'booking:cancel'] as const)
    expect(await send(c.socket, event, { bookingId: offer.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  expect((await h.node.models.Booking.findById(offer.id).lean())?.status).toBe('held');

  expect(await send(c.socket, 'waitlist:join', { resourceId: room.id, ...slot(25) })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_STATE' },
  });
  const waiting = await join(c, { resourceId: room.id, ...slot(20) });
  expect(unwrap(await send(c.socket, 'waitlist:leave', { entryId: waiting.id })).entry).toMatchObject({
    id: waiting.id,
    status: 'left',
  });
  expect(await send(c.socket, 'waitlist:leave', { entryId: waiting.id })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_STATE' },
  });
  // The left entry is never offered: cancelling the offer leaves nobody to offer it to.
  unwrap(await send(b.socket, 'booking:cancel', { bookingId: offer.id }));
  expect(await entryStatuses(h.node, [entry.id, waiting.id])).toEqual(
    new Map([
      [entry.id, 'expired'],
      [waiting.id, 'left'],
    ]),
  );
  expect(await storedOffers(h.node, { resourceId: room.id, status: 'held' })).toEqual([]);
});

test('a move away, a series cancel and an admin cancel each offer the freed slot to the first in line', async () => {
  const staff = await loginStaff(h.node.url);
  const room = await createPool(h.node.url, staff.token, 'Freeing room');
  const [a, w1, w2, w3, later] = (await people(h, sockets, 'free', 5)) as [Person, Person, Person, Person, Person];

  const moved = await book(a, { resourceId: room.id, ...slot(20) });
  const e1 = await join(w1, { resourceId: room.id, ...slot(20) });
  const e1later = await join(later, { resourceId: room.id, ...slot(20) });
  unwrap(await send(a.socket, 'booking:modify', { bookingId: moved.id, ...slot(21) }));
  await expectOffered(e1, w1);

  const series = unwrap(
    await send(a.socket, 'booking:createSeries', {
      resourceId: room.id,
      ...slot(30),
      repeat: { every: 'day', count: 2 },
      onConflict: 'fail',
    }),
  );
  const second = series.bookings[1] as Booking;
  const e2 = await join(w2, { resourceId: room.id, start: second.start, end: second.end });
  unwrap(await send(a.socket, 'booking:cancelSeries', { seriesId: series.seriesId }));
  await expectOffered(e2, w2);

  const adminCancelled = await book(a, { resourceId: room.id, ...slot(40) });
  const e3 = await join(w3, { resourceId: room.id, ...slot(40) });
  const admin = sockets.track(await connectAdmin(h.node.url, staff.token));
  unwrap(await sendAdmin(admin, 'booking:cancel', { bookingId: adminCancelled.id }));
  await expectOffered(e3, w3);

  expect((await entryStatuses(h.node, [e1later.id])).get(e1later.id)).toBe('waiting');
  expect(await storedOffers(h.node, { resourceId: room.id, status: 'held' })).toHaveLength(3);
});
