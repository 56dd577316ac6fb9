/**
 * Availability of a resource of several units, on two nodes: `capacity`, `bufferMinutes` and the
 * `occupancy` stretches (units in use over `[start, end + buffer)`, a booking before the range
 * whose buffer reaches in included), `busy` with `quantity` and `status`, `slot:changed` with
 * `quantity` and `status`, the cached days patched in Redis keeping the units, and `slots:find`
 * by `quantity` and `minSeats`.
 */
import type { Availability, Resource } from '@booking/shared';
import { nextSlotChange } from '../../test/support/broadcast';
import { http, loginStaff, minutesFrom, sendUntilDecided, slot, unwrap } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { createUsers } from '../../test/support/users';

async function createResource(base: string, token: string, body: Record<string, unknown>): Promise<Resource> {
  const res = await http<{ resource: Resource }>(base, '/api/resources', { body, token });
  if (res.status !== 201) throw new Error(`create resource failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.resource;
}

describe('availability of a resource of several units', () => {
  const h = useHarness({ label: 'avail-capacity', count: 2 });
  const sockets = useSockets('all');

  it('answers capacity, occupancy with buffers and busy units, and follows each change through the cache', async () => {
    const staff = await loginStaff(h.node.url);
    const pool = await createResource(h.node.url, staff.token, {
      name: 'Pool five',
      type: 'desk',
      capacity: 5,
      policy: { bufferMinutes: 15 },
    });
    const [u1, u2] = await createUsers(h.node, { count: 2, label: 'availcap' });
    if (!u1 || !u2) throw new Error('no users');
    const booker = await sockets.client(h.nodes[0]?.url ?? '', u1.token);
    const reader = await sockets.client(h.nodes[1]?.url ?? '', u2.token);
    const { start: t0 } = slot(30);
    const at = (minutes: number) => minutesFrom(t0, minutes);
    const get = async (from: string, to: string) =>
      unwrap(await sendUntilDecided(reader, 'availability:get', { resourceId: pool.id, from, to }));

    const a = unwrap(
      await sendUntilDecided(booker, 'booking:create', {
        resourceId: pool.id,
        start: at(0),
        end: at(120),
        quantity: 2,
      }),
    );
    const heardB = nextSlotChange(reader, (e) => e.resourceId === pool.id && e.change === 'booked' && e.quantity === 3);
    const b = unwrap(
      await sendUntilDecided(booker, 'booking:create', {
        resourceId: pool.id,
        start: at(60),
        end: at(180),
        quantity: 3,
      }),
    );
    expect(await heardB).toMatchObject({ bookingId: b.booking.id, quantity: 3, status: 'active' });

    const expected: Partial<Availability> = {
      capacity: 5,
      bufferMinutes: 15,
      busy: [
        { bookingId: a.booking.id, start: at(0), end: at(120), quantity: 2, status: 'active' },
        { bookingId: b.booking.id, start: at(60), end: at(180), quantity: 3, status: 'active' },
      ],
      occupancy: [
        { start: at(0), end: at(60), used: 2 },
        { start: at(60), end: at(135), used: 5 },
        { start: at(135), end: at(195), used: 3 },
      ],
    };
    // Twice: a miss that fills the cache, then a hit from it.
    expect(await get(at(-60), at(240))).toMatchObject(expected);
    expect(await get(at(-60), at(240))).toMatchObject(expected);
    // A range that starts after b ended: b is not busy in it, but its buffer holds 3 units.
    expect(await get(at(180), at(300))).toMatchObject({
      busy: [],
      occupancy: [{ start: at(180), end: at(195), used: 3 }],
    });

    // Full from 60 to 135: one more unit is refused with what is free there.
    const refused = await sendUntilDecided(booker, 'booking:create', {
      resourceId: pool.id,
      start: at(90),
      end: at(100),
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'SLOT_TAKEN', details: { available: 0 } } });

    // Cancelling a is patched into the cached days with b's units kept.
    const heardCancel = nextSlotChange(reader, (e) => e.bookingId === a.booking.id && e.change === 'released');
    unwrap(await sendUntilDecided(booker, 'booking:cancel', { bookingId: a.booking.id }));
    expect(await heardCancel).toMatchObject({ quantity: 2, status: 'cancelled' });
    const after = await get(at(-60), at(240));
    expect(after.occupancy).toEqual([{ start: at(60), end: at(195), used: 3 }]);
    expect(after.busy).toEqual([
      { bookingId: b.booking.id, start: at(60), end: at(180), quantity: 3, status: 'active' },
    ]);

    // Modify b down to two units: the event and the patched cache say 2.
    const heardMove = nextSlotChange(reader, (e) => e.bookingId === b.booking.id && e.change === 'moved');
    const moved = await sendUntilDecided(booker, 'booking:modify', {
      bookingId: b.booking.id,
      start: at(60),
      end: at(180),
      quantity: 2,
    });
    expect(moved).toMatchObject({ ok: true, data: { booking: { quantity: 2 } } });
    expect(await heardMove).toMatchObject({ quantity: 2, status: 'active' });
    expect((await get(at(-60), at(240))).occupancy).toEqual([{ start: at(60), end: at(195), used: 2 }]);
  });

  it('slots:find takes a quantity and a least number of seats', async () => {
    const staff = await loginStaff(h.node.url);
    const type = 'findcap';
    const cart = await createResource(h.node.url, staff.token, { name: 'Cart six', type, capacity: 6 });
    const big = await createResource(h.node.url, staff.token, { name: 'Room big', type: `${type}-room`, seats: 12 });
    const small = await createResource(h.node.url, staff.token, { name: 'Room small', type: `${type}-room`, seats: 4 });
    const unsaid = await createResource(h.node.url, staff.token, { name: 'Room unsaid', type: `${type}-room` });
    const [u] = await createUsers(h.node, { count: 1, label: 'findcap' });
    if (!u) throw new Error('no user');
    const s = await sockets.client(h.node.url, u.token);
    const { start: t0 } = slot(40);
    const at = (minutes: number) => minutesFrom(t0, minutes);
    unwrap(
      await sendUntilDecided(s, 'booking:create', { resourceId: cart.id, start: at(0), end: at(60), quantity: 4 }),
    );
    const find = async (extra: Record<string, unknown>) =>
      unwrap(await sendUntilDecided(s, 'slots:find', { from: at(0), to: at(240), minutes: 30, ...extra })).slots;

    // Two laptops are free from t0; three are not until the four are back.
    expect(await find({ resourceIds: [cart.id], quantity: 2 })).toEqual([
      { resourceId: cart.id, start: at(0), end: at(30) },
    ]);
    expect(await find({ resourceIds: [cart.id], quantity: 3 })).toEqual([
      { resourceId: cart.id, start: at(60), end: at(90) },
    ]);
    // More than the cart holds: no slot at all.
    expect(await find({ resourceIds: [cart.id], quantity: 7 })).toEqual([]);
    // Rooms of at least 6 seats: only the big one (a room whose seats are not said never matches).
    const rooms = await find({ type: `${type}-room`, minSeats: 6 });
    expect(rooms.map((r) => r.resourceId)).toEqual([big.id]);
    expect((await find({ type: `${type}-room` })).map((r) => r.resourceId).sort()).toEqual(
      [big.id, small.id, unsaid.id].sort(),
    );
    // A quantity above 1 on single-unit rooms: none.
    expect(await find({ type: `${type}-room`, quantity: 2 })).toEqual([]);
    const bad = await sendUntilDecided(s, 'slots:find', { from: at(0), to: at(60), minutes: 30, quantity: 0 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
  });
});
