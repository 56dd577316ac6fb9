/**
 * Capacity and quantity end to end (docs/protocol.md "Capacity and quantity"), on two nodes sharing
 * MongoDB and Redis, with and without Redlock: units add up instant by instant (a count of the
 * bookings that overlap a span gives the wrong answer both ways), buffers on a pool, modify up and
 * down, series and on-behalf bookings with a quantity, capacity 1 exactly as before, bad input
 * refused with nothing changed, and a capacity lowered below what is booked refused unless forced.
 * Every test ends with the invariant read straight from the database.
 */
import { randomUUID } from 'node:crypto';
import type { Ack, Booking, Resource, SeriesResult } from '@booking/shared';
import { overCapacity } from '../../test/support/invariants';
import { lostAcks, storm } from '../../test/support/storm';
import { http, loginStaff, sendAdmin, sendUntilDecided, slot, unwrap } from '../../test/support/harness';
import type { AdminSocket, ClientSocket } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { createUsers } from '../../test/support/users';

type BookingAck = Ack<{ booking: Booking }>;

describe.each(['on', 'off'])('capacity, BOOKING_LOCKS=%s', (locks) => {
  const h = useHarness(() => ({
    label: `capacity-cases-${locks}`,
    count: 2,
    env: { BOOKING_LOCKS: locks, MAX_ACTIVE_BOOKINGS_PER_USER: '500' },
    node: { rateLimit: { points: 1000, durationSec: 1 } },
  }));
  const sockets = useSockets('each');
  let staffToken = '';
  /** A whole hour two days ahead, fixed for the file: each test books a fresh resource. */
  let day = 0;
  beforeAll(async () => {
    staffToken = (await loginStaff(h.node.url)).token;
    day = Date.parse(slot(48).start);
  });

  /** A new resource of `capacity` units (with a policy when given). */
  async function pool(capacity: number | undefined, policy: Record<string, unknown> = {}): Promise<Resource> {
    const body = { name: `Pool ${randomUUID().slice(0, 8)}`, type: 'desk', policy, ...(capacity ? { capacity } : {}) };
    const res = await http<{ resource: Resource }>(h.node.url, '/api/resources', { body, token: staffToken });
    if (res.status !== 201) throw new Error(`create resource failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.resource;
  }

  /** `count` people, each with a socket, alternating between the two nodes. */
  async function people(count: number): Promise<Array<{ id: string; socket: ClientSocket }>> {
    const users = await createUsers(h.node, { count, label: `cap${locks}` });
    return Promise.all(
      users.map(async (u, i) => ({
        id: u.user.id,
        socket: await sockets.client(h.nodes[i % 2]?.url ?? h.node.url, u.token),
      })),
    );
  }

  const staffSocket = async (): Promise<AdminSocket> => sockets.admin(h.nodes[1]?.url ?? h.node.url, staffToken);

  /** `hh:mm` after the start of the test day, as an ISO instant. */
  const t = (hhmm: string): string => {
    const [hh, mm] = hhmm.split(':').map(Number);
    return new Date(day + ((hh ?? 0) * 60 + (mm ?? 0)) * 60_000).toISOString();
  };

  const book = (
    s: ClientSocket,
    resourceId: string,
    from: string,
    to: string,
    quantity?: number,
  ): Promise<BookingAck> =>
    sendUntilDecided(s, 'booking:create', {
      resourceId,
      start: t(from),
      end: t(to),
      idempotencyKey: randomUUID(),
      ...(quantity === undefined ? {} : { quantity }),
    });
  const modify = (s: ClientSocket, b: Booking, change: { from?: string; to?: string; quantity?: number }) =>
    sendUntilDecided(s, 'booking:modify', {
      bookingId: b.id,
      start: change.from ? t(change.from) : b.start,
      end: change.to ? t(change.to) : b.end,
      ...(change.quantity === undefined ? {} : { quantity: change.quantity }),
    });
  const booked = (ack: BookingAck): Booking => unwrap(ack).booking;
  const slotTaken = (available: number) => ({ ok: false, error: { code: 'SLOT_TAKEN', details: { available } } });
  const bufferRule = { ok: false, error: { code: 'POLICY_VIOLATION', details: { rule: 'buffer' } } };
  const invalid = { ok: false, error: { code: 'VALIDATION_ERROR' } };

  /** The resource's active bookings as stored: start, end and quantity, earliest first. */
  async function stored(resourceId: string): Promise<string[]> {
    const rows = await h.node.models.Booking.find({ resourceId, status: 'active' }).sort({ start: 1, end: 1 }).lean();
    return rows.map((r) => `${r.start.toISOString()}/${r.end.toISOString()}x${r.quantity ?? 1}`);
  }

  afterEach(async () => {
    expect(await overCapacity(h.node.models.Booking, h.node.models.Resource)).toEqual([]);
  });

  it('staggered bookings: three overlap 9:30-10:30 but hold at most 2 units at any instant', async () => {
    const desks = await pool(2);
    const [a, b, c, d] = await people(4);
    if (!a || !b || !c || !d) throw new Error('no people');
    expect(await book(a.socket, desks.id, '09:00', '10:00')).toMatchObject({ ok: true });
    expect(await book(b.socket, desks.id, '10:00', '11:00')).toMatchObject({ ok: true });
    // A count of the bookings overlapping 9:30-10:30 says 2 of 2 are taken; at every instant only 1 is.
    expect(await book(c.socket, desks.id, '09:30', '10:30')).toMatchObject({
      ok: true,
      data: { booking: { quantity: 1 } },
    });
    // Now 9:30-10:30 holds 2 at every instant: nothing more fits inside it, whichever side.
    expect(await book(d.socket, desks.id, '09:45', '10:15')).toMatchObject(slotTaken(0));
    expect(await book(d.socket, desks.id, '10:15', '10:45')).toMatchObject(slotTaken(0));
    // Outside C's span one unit is still free on each side.
    expect(await book(d.socket, desks.id, '08:00', '09:30', 2)).toMatchObject(slotTaken(1));
    expect(await book(d.socket, desks.id, '10:30', '11:00')).toMatchObject({ ok: true });
    expect(await book(d.socket, desks.id, '08:00', '09:30')).toMatchObject({ ok: true });
    expect(await stored(desks.id)).toHaveLength(5);
  });

  it('units, not bookings: a count of bookings says it fits where the units do not, and says full where they fit', async () => {
    const cart = await pool(3);
    const [a, b, c, d] = await people(4);
    if (!a || !b || !c || !d) throw new Error('no people');
    expect(await book(a.socket, cart.id, '09:00', '10:00', 2)).toMatchObject({ ok: true });
    // One booking overlaps: "1 of 3" by count, but 2 + 2 units is more than 3.
    expect(await book(b.socket, cart.id, '09:00', '10:00', 2)).toMatchObject(slotTaken(1));
    expect(await book(b.socket, cart.id, '10:00', '11:00', 2)).toMatchObject({ ok: true });
    // 9:00-11:00 touches 4 units by sum, but never more than 2 at once: 1 more fits over both.
    expect(await book(c.socket, cart.id, '09:00', '11:00', 1)).toMatchObject({ ok: true });
    expect(await book(d.socket, cart.id, '09:55', '10:05', 1)).toMatchObject(slotTaken(0));
    // Back to back at 11:00: the units free again at the end instant.
    expect(await book(d.socket, cart.id, '11:00', '12:00', 3)).toMatchObject({ ok: true });
    expect(await stored(cart.id)).toEqual([
      `${t('09:00')}/${t('10:00')}x2`,
      `${t('09:00')}/${t('11:00')}x1`,
      `${t('10:00')}/${t('11:00')}x2`,
      `${t('11:00')}/${t('12:00')}x3`,
    ]);
  });

  it('buffers on a pool of 2: only the buffer in the way is POLICY_VIOLATION buffer; not fitting at all is SLOT_TAKEN with available', async () => {
    const desks = await pool(2, { bufferMinutes: 15 });
    const [a, b, c] = await people(3);
    if (!a || !b || !c) throw new Error('no people');
    expect(await book(a.socket, desks.id, '10:00', '11:00')).toMatchObject({ ok: true });
    // One unit left while A holds [10:00, 11:15): two units fit neither the slot nor the buffer.
    expect(await book(c.socket, desks.id, '10:30', '11:30', 2)).toMatchObject(slotTaken(1));
    // Two units right after A: they fit without buffers, not with A's buffer (and theirs, before A).
    expect(await book(c.socket, desks.id, '11:05', '12:00', 2)).toMatchObject(bufferRule);
    expect(await book(c.socket, desks.id, '09:00', '09:50', 2)).toMatchObject(bufferRule);
    expect(await book(b.socket, desks.id, '10:00', '11:00')).toMatchObject({ ok: true });
    // Both units held 10:00-11:15: a third booking that would fit without the buffer breaks it.
    expect(await book(c.socket, desks.id, '11:05', '12:00')).toMatchObject(bufferRule);
    expect(await book(c.socket, desks.id, '09:50', '10:00')).toMatchObject(bufferRule);
    // One that does not fit even without buffers says how many units its span has free.
    expect(await book(c.socket, desks.id, '10:30', '11:30')).toMatchObject(slotTaken(0));
    expect(await book(c.socket, desks.id, '11:15', '12:00', 2)).toMatchObject({ ok: true });
    expect(await book(c.socket, desks.id, '09:00', '09:45', 2)).toMatchObject({ ok: true });
    expect(await stored(desks.id)).toHaveLength(4);
  });

  it('modify up and down: raising where units are free, past the capacity, and lowering to free units for another', async () => {
    const cart = await pool(3);
    const [a, b, c] = await people(3);
    if (!a || !b || !c) throw new Error('no people');
    const mine = booked(await book(a.socket, cart.id, '09:00', '10:00', 1));
    const theirs = booked(await book(b.socket, cart.id, '09:30', '10:30', 1));
    // Up where units are free: 2 + 1 = 3.
    const raised = booked(await modify(a.socket, mine, { quantity: 2 }));
    expect(raised).toMatchObject({ id: mine.id, quantity: 2, start: mine.start, end: mine.end });
    // Past the capacity: the answer does not count the booking's own 2 units as taken (3 - 1 = 2 free).
    expect(await modify(a.socket, raised, { quantity: 3 })).toMatchObject(slotTaken(2));
    expect(await modify(a.socket, raised, { quantity: 4 })).toMatchObject(invalid);
    expect(await book(c.socket, cart.id, '09:30', '09:45')).toMatchObject(slotTaken(0));
    // Down: the unit it frees is another's to take at once.
    const lowered = booked(await modify(a.socket, raised, { quantity: 1 }));
    expect(lowered.quantity).toBe(1);
    const taken = booked(await book(c.socket, cart.id, '09:30', '09:45'));
    expect(await modify(a.socket, lowered, { quantity: 2 })).toMatchObject(slotTaken(1));
    // A move keeps the quantity when none is given, and is judged with it: 8:30-9:30 is free.
    expect(await modify(a.socket, lowered, { from: '08:30', to: '09:30' })).toMatchObject({
      ok: true,
      data: { booking: { quantity: 1, start: t('08:30') } },
    });
    // Theirs moved over mine (8:30-9:30) and the unit taken 9:30-9:45: one at a time, so 2 free.
    expect(await modify(b.socket, theirs, { from: '09:00', to: '10:00', quantity: 3 })).toMatchObject(slotTaken(2));
    expect(await modify(b.socket, theirs, { from: '10:00', to: '11:00', quantity: 3 })).toMatchObject({ ok: true });
    expect(await stored(cart.id)).toEqual([
      `${t('08:30')}/${t('09:30')}x1`,
      `${taken.start}/${taken.end}x1`,
      `${t('10:00')}/${t('11:00')}x3`,
    ]);
  });

  it('a series with a quantity skips the occurrences that do not fit with SLOT_TAKEN; on behalf likewise', async () => {
    const desks = await pool(2);
    const [a, b, c] = await people(3);
    if (!a || !b || !c) throw new Error('no people');
    const on = (d: number, hhmm: string) => new Date(Date.parse(t(hhmm)) + d * 86_400_000).toISOString();
    // Day 1 already has one unit taken.
    const blocker = await sendUntilDecided(c.socket, 'booking:create', {
      resourceId: desks.id,
      start: on(1, '09:00'),
      end: on(1, '10:00'),
    });
    expect(blocker).toMatchObject({ ok: true });
    const series = (s: ClientSocket, quantity: number, onConflict: 'skip' | 'fail') =>
      sendUntilDecided(s, 'booking:createSeries', {
        resourceId: desks.id,
        start: on(0, '09:00'),
        end: on(0, '10:00'),
        repeat: { every: 'day', count: 3 },
        onConflict,
        quantity,
        idempotencyKey: randomUUID(),
      });
    expect(await series(a.socket, 2, 'fail')).toMatchObject({
      ok: false,
      error: { code: 'SLOT_TAKEN', details: { occurrences: [{ start: on(1, '09:00'), code: 'SLOT_TAKEN' }] } },
    });
    expect(await series(a.socket, 3, 'skip')).toMatchObject(invalid);
    const two: SeriesResult = unwrap(await series(a.socket, 2, 'skip'));
    expect(two.bookings.map((x) => [x.start, x.quantity])).toEqual([
      [on(0, '09:00'), 2],
      [on(2, '09:00'), 2],
    ]);
    expect(two.skipped).toEqual([{ start: on(1, '09:00'), end: on(1, '10:00'), code: 'SLOT_TAKEN' }]);
    // One unit each: only day 1 has one free.
    const one: SeriesResult = unwrap(await series(b.socket, 1, 'skip'));
    expect(one.bookings.map((x) => [x.start, x.quantity])).toEqual([[on(1, '09:00'), 1]]);
    expect(one.skipped.map((k) => [k.start, k.code])).toEqual([
      [on(0, '09:00'), 'SLOT_TAKEN'],
      [on(2, '09:00'), 'SLOT_TAKEN'],
    ]);

    // On behalf: staff book units for a person under the same count.
    const staff = await staffSocket();
    const forB = (hhmm: [string, string], quantity?: number) =>
      sendAdmin(staff, 'booking:create', {
        resourceId: desks.id,
        start: on(3, hhmm[0]),
        end: on(3, hhmm[1]),
        userId: b.id,
        ...(quantity === undefined ? {} : { quantity }),
      });
    expect(await forB(['09:00', '10:00'], 2)).toMatchObject({
      ok: true,
      data: { booking: { userId: b.id, quantity: 2 } },
    });
    expect(await forB(['09:30', '10:30'], 1)).toMatchObject(slotTaken(0));
    expect(await forB(['10:00', '11:00'], 3)).toMatchObject(invalid);
    expect(await forB(['10:00', '11:00'], 0)).toMatchObject(invalid);
    expect(await forB(['10:00', '11:00'])).toMatchObject({ ok: true, data: { booking: { quantity: 1 } } });
    expect(await stored(desks.id)).toHaveLength(6);
  });

  it('capacity 1 answers exactly as before: SLOT_TAKEN available 0, POLICY_VIOLATION buffer, quantity 2 invalid', async () => {
    const room = await pool(undefined, { bufferMinutes: 15 });
    expect(room.capacity).toBe(1);
    const [a, b] = await people(2);
    if (!a || !b) throw new Error('no people');
    const mine = booked(await book(a.socket, room.id, '10:00', '11:00'));
    expect(mine.quantity).toBe(1);
    expect(await book(b.socket, room.id, '10:30', '11:30')).toMatchObject(slotTaken(0));
    expect(await book(b.socket, room.id, '11:05', '12:00')).toMatchObject(bufferRule);
    expect(await book(b.socket, room.id, '11:15', '12:00', 2)).toMatchObject(invalid);
    const theirs = booked(await book(b.socket, room.id, '11:15', '12:00', 1));
    expect(await modify(a.socket, mine, { to: '11:10' })).toMatchObject(bufferRule);
    expect(await modify(a.socket, mine, { to: '11:30' })).toMatchObject(slotTaken(0));
    expect(await modify(b.socket, theirs, { quantity: 2 })).toMatchObject(invalid);
    expect(await stored(room.id)).toEqual([`${t('10:00')}/${t('11:00')}x1`, `${t('11:15')}/${t('12:00')}x1`]);
  });

  it('bad capacities and quantities are VALIDATION_ERROR and change nothing', async () => {
    const cart = await pool(3);
    const [a] = await people(1);
    if (!a) throw new Error('no people');
    const staff = await staffSocket();
    const before = await h.node.models.Resource.countDocuments();
    for (const capacity of [0, 1001, 2.5, '3', -1, null]) {
      const res = await http<{ error: { code: string } }>(h.node.url, '/api/resources', {
        body: { name: 'Bad', type: 'desk', capacity },
        token: staffToken,
      });
      expect({ capacity, status: res.status, code: res.body.error.code }).toEqual({
        capacity,
        status: 400,
        code: 'VALIDATION_ERROR',
      });
      expect(await sendAdmin(staff, 'resource:create', { name: 'Bad', type: 'desk', capacity } as never)).toMatchObject(
        invalid,
      );
      expect(await sendAdmin(staff, 'resource:update', { id: cart.id, capacity } as never)).toMatchObject(invalid);
    }
    expect(await h.node.models.Resource.countDocuments()).toBe(before);
    expect((await h.node.models.Resource.findById(cart.id).lean())?.capacity).toBe(3);

    const mine = booked(await book(a.socket, cart.id, '09:00', '10:00', 2));
    for (const quantity of [0, -1, 1.5, '2', 4, 1001]) {
      const q = quantity as number;
      expect(await book(a.socket, cart.id, '10:00', '11:00', q)).toMatchObject(invalid);
      expect(await modify(a.socket, mine, { quantity: q })).toMatchObject(invalid);
      expect(
        await sendUntilDecided(a.socket, 'booking:createSeries', {
          resourceId: cart.id,
          start: t('12:00'),
          end: t('13:00'),
          repeat: { every: 'day', count: 2 },
          onConflict: 'skip',
          quantity: q,
        }),
      ).toMatchObject(invalid);
      expect(
        await sendAdmin(staff, 'booking:create', {
          resourceId: cart.id,
          start: t('14:00'),
          end: t('15:00'),
          userId: a.id,
          quantity: q,
        }),
      ).toMatchObject(invalid);
    }
    expect(await stored(cart.id)).toEqual([`${t('09:00')}/${t('10:00')}x2`]);
  });

  it('a seeded storm of staggered bookings of 1..4 units on a pool of 4, on both nodes: never over, every ack stored', async () => {
    const desks = await pool(4);
    // Without locks every transaction on the one pool conflicts with the others in flight and is
    // retried: 20 at once made most of them wait out any bound on a loaded machine. 8 people still
    // overlap on every command; each waits for its answer (no node is killed here).
    const crowd = await people(locks === 'on' ? 20 : 8);
    const result = await storm({
      clients: crowd.map((p) => p.socket),
      resources: [desks],
      perClient: locks === 'on' ? 15 : 20,
      seed: locks === 'on' ? 2401 : 2402,
      hoursAhead: 72,
      answerMs: 20_000,
    });
    const multi = [...result.acked.values()].filter((b) => b.quantity > 1).length;
    process.stdout.write(
      `capacity storm, locks ${locks}: sent=${result.sent} unacked=${result.unacked} acked ok=${result.acked.size} ` +
        `(${multi} of several units) refused=${JSON.stringify(result.refused)}\n`,
    );
    // Every command is answered (a booking or a refusal), and every booking answered is stored as answered.
    expect(result.unacked).toBe(0);
    expect(result.acked.size).toBeGreaterThan(30);
    expect(await lostAcks(h.node.models.Booking, result.acked)).toBe(0);
    // Crowded (more units wanted than the pool has over most of the day): refusals are the slot being full, or a busy lock.
    expect(Object.keys(result.refused).filter((code) => code !== 'SLOT_TAKEN' && code !== 'BUSY')).toEqual([]);
    expect(result.refused.SLOT_TAKEN).toBeGreaterThan(20);
    expect(multi).toBeGreaterThan(5);
    // The afterEach reads the invariant from the database.
  });

  it('lowering a capacity below what is booked is INVALID_STATE at the first instant over; force keeps every booking', async () => {
    const cart = await pool(4);
    const [a, b, c] = await people(3);
    if (!a || !b || !c) throw new Error('no people');
    const staff = await staffSocket();
    booked(await book(a.socket, cart.id, '09:00', '10:00', 2));
    const late = booked(await book(b.socket, cart.id, '09:30', '10:30', 1));
    booked(await book(c.socket, cart.id, '11:00', '12:00', 2));
    const update = (capacity: number, force?: boolean) =>
      sendAdmin(staff, 'resource:update', { id: cart.id, capacity, ...(force === undefined ? {} : { force }) });
    // Peak 3 at 9:30: 3 is fine, 2 is over from 9:30 on.
    expect(await update(3)).toMatchObject({ ok: true, data: { resource: { capacity: 3 } } });
    expect(await update(2)).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', details: { at: t('09:30') } } });
    expect(await update(2, false)).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect((await h.node.models.Resource.findById(cart.id).lean())?.capacity).toBe(3);
    const kept = await stored(cart.id);
    expect(kept).toHaveLength(3);

    expect(await update(2, true)).toMatchObject({ ok: true, data: { resource: { capacity: 2 } } });
    expect(await stored(cart.id)).toEqual(kept);
    // The database now says exactly where it is over; new bookings see the new capacity.
    expect(await overCapacity(h.node.models.Booking, h.node.models.Resource)).toEqual([
      { resourceId: cart.id, at: t('09:30'), capacity: 2 },
    ]);
    expect(await book(c.socket, cart.id, '09:45', '10:15')).toMatchObject(slotTaken(0));
    expect(await book(c.socket, cart.id, '10:30', '11:00', 3)).toMatchObject(invalid);
    expect(await book(c.socket, cart.id, '10:30', '11:00', 2)).toMatchObject({ ok: true });
    // Cancelling the late unit brings it back within the capacity (the afterEach checks).
    expect(await sendUntilDecided(b.socket, 'booking:cancel', { bookingId: late.id })).toMatchObject({ ok: true });
  });
});
