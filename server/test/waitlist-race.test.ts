/**
 * Waitlist promotion under concurrency, on two nodes sharing MongoDB and Redis, with and without
 * Redlock (docs/protocol.md "Waitlist"): 20 cancels at once, each freeing a unit that three people
 * wait for, make exactly 20 offers, each to the first in line, each with exactly one
 * `waitlist.offered` outbox entry; nobody is offered twice, no unit is offered twice, and no
 * instant holds more units than the capacity (counting unexpired holds and offers). A join racing
 * the cancel of the slot it joins is either offered the slot or told the slot is free.
 */
import type { Ack, Booking } from '@booking/shared';
import { overCapacityHolding } from '../../test/support/invariants';
import { loginStaff, sendUntilDecided, slot, unwrap } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { createPool, entryStatuses, offeredOutbox, people, storedOffers } from '../../test/support/waitlist';
import type { Person } from '../../test/support/waitlist';

const SLOTS = 20;
const IN_LINE = 3;
/** The joins racing the cancels start this far apart. */
const JOIN_SPREAD_MS = 4;

describe.each(['on', 'off'])('BOOKING_LOCKS=%s', (locks) => {
  const h = useHarness(() => ({
    label: `wlrace-${locks}`,
    count: 2,
    env: { BOOKING_LOCKS: locks, WAITLIST_OFFER_MINUTES: '30' },
    node: { rateLimit: { points: 1000, durationSec: 1 } },
  }));
  const sockets = useSockets('each');

  /** Everyone waiting joins in the order given, one after the other (join order is the promise). */
  async function joinInOrder(
    line: Person[],
    req: { resourceId: string; start: string; end: string },
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const p of line) ids.push(unwrap(await sendUntilDecided(p.socket, 'waitlist:join', req)).entry.id);
    return ids;
  }

  async function cancelAll(bookings: Array<{ owner: Person; id: string }>): Promise<void> {
    const acks: Array<Ack<{ booking: Booking }>> = await Promise.all(
      bookings.map((b) => sendUntilDecided(b.owner.socket, 'booking:cancel', { bookingId: b.id })),
    );
    for (const a of acks) expect(a).toMatchObject({ ok: true, data: { booking: { status: 'cancelled' } } });
  }

  /** Exactly the `first` entries are offered, each to its own person with one outbox entry; the rest wait. */
  async function expectOffersTo(
    resourceIds: string[],
    first: string[],
    rest: string[],
    line: Map<string, Person>,
  ): Promise<void> {
    const mine = { resourceId: { $in: resourceIds } };
    const offers = await storedOffers(h.node, mine);
    expect(offers).toHaveLength(first.length);
    expect(offers.map((o) => o.entryId).sort()).toEqual([...first].sort());
    for (const o of offers) {
      expect(o.status).toBe('held');
      expect(o.userId).toBe(line.get(o.entryId)?.user.id);
    }
    expect(new Set(offers.map((o) => o.userId)).size).toBe(offers.length);
    const statuses = await entryStatuses(h.node, [...first, ...rest]);
    for (const id of first) expect([id, statuses.get(id)]).toEqual([id, 'offered']);
    for (const id of rest) expect([id, statuses.get(id)]).toEqual([id, 'waiting']);
    const stored = await h.node.models.WaitlistEntry.find({ _id: { $in: first } }, { bookingId: 1 }).lean();
    expect(stored.map((e) => e.bookingId?.toHexString()).sort()).toEqual(offers.map((o) => o.id).sort());
    const outbox = await offeredOutbox(h.node, mine);
    expect([...outbox.keys()].sort()).toEqual(offers.map((o) => o.id).sort());
    for (const n of outbox.values()) expect(n).toBe(1);
    expect(await overCapacityHolding(h.node.models.Booking, h.node.models.Resource)).toEqual([]);
  }

  it(`${SLOTS} cancels at once on ${SLOTS} rooms, ${IN_LINE} waiting for each: ${SLOTS} offers, each to the first in line`, async () => {
    const staff = await loginStaff(h.node.url);
    const rooms = await Promise.all(
      Array.from({ length: SLOTS }, (_, i) => createPool(h.node.url, staff.token, `Room ${locks} ${i}`)),
    );
    const owners = await people(h, sockets, `rown${locks}`, SLOTS);
    const waiters = await people(h, sockets, `rwait${locks}`, SLOTS * IN_LINE);
    const { start, end } = slot(50);
    const booked = await Promise.all(
      rooms.map(async (room, i) => {
        const owner = owners[i] as Person;
        const ack = await sendUntilDecided(owner.socket, 'booking:create', { resourceId: room.id, start, end });
        return { owner, id: unwrap(ack).booking.id };
      }),
    );
    const line = new Map<string, Person>();
    const firsts: string[] = [];
    const rest: string[] = [];
    await Promise.all(
      rooms.map(async (room, i) => {
        const queue = waiters.slice(i * IN_LINE, (i + 1) * IN_LINE);
        const ids = await joinInOrder(queue, { resourceId: room.id, start, end });
        ids.forEach((id, k) => line.set(id, queue[k] as Person));
        firsts.push(ids[0] ?? '');
        rest.push(...ids.slice(1));
      }),
    );
    expect(await storedOffers(h.node, { resourceId: { $in: rooms.map((r) => r.id) } })).toEqual([]);

    await cancelAll(booked);
    const roomIds = rooms.map((r) => r.id);
    await expectOffersTo(roomIds, firsts, rest, line);
    // One offer per room, on the room whose first in line it is.
    const offers = await storedOffers(h.node, { resourceId: { $in: roomIds } });
    expect(new Set(offers.map((o) => o.resourceId)).size).toBe(SLOTS);
  });

  it(`${SLOTS} cancels at once in one ${SLOTS}-unit pool, ${SLOTS * IN_LINE} waiting: offers to the first ${SLOTS} in join order`, async () => {
    const staff = await loginStaff(h.node.url);
    const pool = await createPool(h.node.url, staff.token, `Pool ${locks}`, SLOTS);
    const owners = await people(h, sockets, `pown${locks}`, SLOTS);
    const waiters = await people(h, sockets, `pwait${locks}`, SLOTS * IN_LINE);
    const { start, end } = slot(60);
    const req = { resourceId: pool.id, start, end };
    const booked = await Promise.all(
      owners.map(async (owner) => ({
        owner,
        id: unwrap(await sendUntilDecided(owner.socket, 'booking:create', req)).booking.id,
      })),
    );
    const ids = await joinInOrder(waiters, req);
    const line = new Map(ids.map((id, k) => [id, waiters[k] as Person]));

    await cancelAll(booked);
    await expectOffersTo([pool.id], ids.slice(0, SLOTS), ids.slice(SLOTS), line);
  });
  it(`${SLOTS} joins racing ${SLOTS} cancels of the slots they join: each joiner is offered the slot or told it is free`, async () => {
    const staff = await loginStaff(h.node.url);
    const rooms = await Promise.all(
      Array.from({ length: SLOTS }, (_, i) => createPool(h.node.url, staff.token, `Join room ${locks} ${i}`)),
    );
    const owners = await people(h, sockets, `jown${locks}`, SLOTS);
    const joiners = await people(h, sockets, `jjoin${locks}`, SLOTS);
    const { start, end } = slot(70);
    const booked = await Promise.all(
      rooms.map(async (room, i) => {
        const owner = owners[i] as Person;
        const ack = await sendUntilDecided(owner.socket, 'booking:create', { resourceId: room.id, start, end });
        return { owner, id: unwrap(ack).booking.id };
      }),
    );
    const [, joins] = await Promise.all([
      cancelAll(booked),
      Promise.all(
        // Spread over the cancels' commits: early joins come before them, late ones after.
        rooms.map(async (room, i) => {
          await new Promise((r) => setTimeout(r, i * JOIN_SPREAD_MS));
          return sendUntilDecided((joiners[i] as Person).socket, 'waitlist:join', { resourceId: room.id, start, end });
        }),
      ),
    ]);
    const roomIds = rooms.map((r) => r.id);
    const offers = await storedOffers(h.node, { resourceId: { $in: roomIds } });
    let offered = 0;
    for (const [i, ack] of joins.entries()) {
      const room = rooms[i]?.id;
      if (!ack.ok) {
        // Joined after the cancel: the slot was free, and nobody was offered it.
        expect(ack.error.code).toBe('INVALID_STATE');
        expect(offers.filter((o) => o.resourceId === room)).toEqual([]);
        continue;
      }
      // Joined before the cancel committed: the cancel offered it the slot. Never left waiting on a free slot.
      offered += 1;
      expect((await entryStatuses(h.node, [ack.data.entry.id])).get(ack.data.entry.id)).toBe('offered');
      expect(offers.filter((o) => o.resourceId === room)).toEqual([
        expect.objectContaining({ entryId: ack.data.entry.id, userId: joiners[i]?.user.id, status: 'held' }),
      ]);
    }
    expect(offers).toHaveLength(offered);
    const outbox = await offeredOutbox(h.node, { resourceId: { $in: roomIds } });
    expect([...outbox.values()]).toEqual(offers.map(() => 1));
    expect(await overCapacityHolding(h.node.models.Booking, h.node.models.Resource)).toEqual([]);
    process.stdout.write(
      `join race (locks ${locks}): ${offered} of ${SLOTS} joins offered, the rest told the slot is free\n`,
    );
  });
});
