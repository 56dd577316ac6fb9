/**
 * Capacity under concurrency, on two nodes sharing MongoDB and Redis, with and without Redlock:
 * 60 racers for the last 5 units of a pool get exactly 5, the losers hear SLOT_TAKEN with
 * `available: 0`, and at the end the database itself holds no instant over capacity.
 */
import { randomUUID } from 'node:crypto';
import type { Ack, Booking, Resource } from '@booking/shared';
import { overCapacity } from '../../test/support/invariants';
import { http, loginStaff, sendUntilDecided, slot } from '../../test/support/harness';
import type { ClientSocket } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { createUsers } from '../../test/support/users';

const RACERS = 60;

async function createPool(base: string, token: string, body: Record<string, unknown>): Promise<Resource> {
  const res = await http<{ resource: Resource }>(base, '/api/resources', { body, token });
  if (res.status !== 201) throw new Error(`create resource failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.resource;
}

describe.each(['on', 'off'])('BOOKING_LOCKS=%s', (locks) => {
  const h = useHarness(() => ({
    label: `capacity-${locks}`,
    count: 2,
    env: { BOOKING_LOCKS: locks },
    node: { rateLimit: { points: 1000, durationSec: 1 } },
  }));
  const sockets = useSockets('all');

  it(`${RACERS} racers on two nodes for the last 5 units of a 40-desk pool: exactly 5 booked`, async () => {
    const staff = await loginStaff(h.node.url);
    const pool = await createPool(h.node.url, staff.token, { name: `Desks ${locks}`, type: 'desk', capacity: 40 });
    expect(pool).toMatchObject({ capacity: 40, seats: null });
    const users = await createUsers(h.node, { count: RACERS + 1, label: `pool${locks}` });
    const clients: ClientSocket[] = await Promise.all(
      users.map((u, i) => sockets.client(h.nodes[i % 2]?.url ?? h.node.url, u.token)),
    );
    const { start, end } = slot(30);
    const [first, ...racers] = clients;
    if (!first) throw new Error('no client');
    // 35 of 40 taken by one booking of 35 units.
    const held = await sendUntilDecided(first, 'booking:create', { resourceId: pool.id, start, end, quantity: 35 });
    expect(held).toMatchObject({ ok: true, data: { booking: { quantity: 35 } } });

    const acks: Array<Ack<{ booking: Booking }>> = await Promise.all(
      racers.map((s) =>
        sendUntilDecided(s, 'booking:create', { resourceId: pool.id, start, end, idempotencyKey: randomUUID() }),
      ),
    );
    expect(acks.filter((a) => a.ok)).toHaveLength(5);
    const refused = acks.flatMap((a) => (a.ok ? [] : [a.error]));
    expect(refused).toHaveLength(RACERS - 5);
    for (const e of refused) expect(e).toMatchObject({ code: 'SLOT_TAKEN', details: { available: 0 } });
    expect(await overCapacity(h.node.models.Booking, h.node.models.Resource)).toEqual([]);
  });

  it('bad quantities are refused at once and change nothing; capacity 1 behaves as before', async () => {
    const staff = await loginStaff(h.node.url);
    const cart = await createPool(h.node.url, staff.token, { name: `Cart ${locks}`, type: 'equipment', capacity: 12 });
    const room = await createPool(h.node.url, staff.token, { name: `Room ${locks}`, type: 'room' });
    const [u] = await createUsers(h.node, { count: 1, label: `qty${locks}` });
    if (!u) throw new Error('no user');
    const s = await sockets.client(h.node.url, u.token);
    const { start, end } = slot(40);
    for (const quantity of [0, -1, 1.5, '2', 1001])
      expect(
        await sendUntilDecided(s, 'booking:create', { resourceId: cart.id, start, end, quantity } as never),
      ).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(
      await sendUntilDecided(s, 'booking:create', { resourceId: cart.id, start, end, quantity: 13 }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR', details: [{ path: 'quantity' }] } });
    expect(await h.node.models.Booking.countDocuments({ resourceId: cart.id })).toBe(0);
    for (const capacity of [0, 1001, 2.5, 'ten'])
      expect(
        (
          await http(h.node.url, '/api/resources', {
            body: { name: 'Bad', type: 'desk', capacity },
            token: staff.token,
          })
        ).status,
      ).toBe(400);

    expect(await sendUntilDecided(s, 'booking:create', { resourceId: room.id, start, end })).toMatchObject({
      ok: true,
    });
    expect(await sendUntilDecided(s, 'booking:create', { resourceId: room.id, start, end })).toMatchObject({
      ok: false,
      error: { code: 'SLOT_TAKEN', details: { available: 0 } },
    });
    expect(await overCapacity(h.node.models.Booking, h.node.models.Resource)).toEqual([]);
  });
});
