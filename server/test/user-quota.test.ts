/**
 * MAX_ACTIVE_BOOKINGS_PER_USER under concurrency: one user's bookings on different resources
 * never meet at a resource fence, so only the fence on the user's document keeps 20 concurrent
 * requests from all counting "fewer than 5" (docs/design.md "Booking"). Two nodes, locks on and off.
 */
import type { Resource } from '@booking/shared';
import {
  connectAdmin,
  connectClient,
  createResource,
  loginStaff,
  send,
  sendAdmin,
  sendUntilDecided,
  slot,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { AdminSocket, ClientSocket, Harness } from '../../test/support/harness';
import { createUsers } from '../../test/support/users';

describe.each(['on', 'off'])('a quota of 5 per user with BOOKING_LOCKS=%s', (locks) => {
  let h: Harness;
  let rooms: Resource[];
  let staffToken: string;
  const open: Array<ClientSocket | AdminSocket> = [];

  beforeAll(async () => {
    h = await startHarness({
      label: `quota-${locks}`,
      count: 2,
      env: { BOOKING_LOCKS: locks, MAX_ACTIVE_BOOKINGS_PER_USER: '5' },
    });
    staffToken = (await loginStaff(h.node.url)).token;
    rooms = await Promise.all(
      Array.from({ length: 20 }, (_, i) => createResource(h.node.url, staffToken, `Quota room ${i}`)),
    );
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await h?.close();
  });

  it('20 concurrent bookings by one user on 20 resources: exactly 5 succeed', async () => {
    const [u] = await createUsers(h.node, { count: 1, label: `quota${locks}` });
    if (!u) throw new Error('no user');
    const sockets = await Promise.all(h.nodes.map((n) => connectClient(n.url, u.token)));
    open.push(...sockets);
    const iv = slot(24);
    // Each retries BUSY with its own key, as every client does: the answer that counts is the final one.
    const acks = await Promise.all(
      rooms.map((room, i) =>
        sendUntilDecided(sockets[i % sockets.length] as ClientSocket, 'booking:create', {
          resourceId: room.id,
          ...iv,
          idempotencyKey: `quota-${locks}-${i}`,
        }),
      ),
    );
    const ok = acks.filter((a) => a.ok).length;
    const refused = acks.filter(
      (a) =>
        !a.ok &&
        a.error.code === 'QUOTA_EXCEEDED' &&
        JSON.stringify(a.error.details) === JSON.stringify({ scope: 'user', limit: 5 }),
    );
    console.log(
      `quota 5, locks ${locks}: ${ok} booked, ${refused.length} QUOTA_EXCEEDED of 20; tx retries ${h.nodes.map((n) => n.counters.tx.retries).join('+')}`,
    );
    expect(ok).toBe(5);
    expect(refused).toHaveLength(15);
    expect(await h.node.models.Booking.countDocuments({ userId: u.user.id, status: 'active' })).toBe(5);

    // Staff booking on behalf counts against the user too; a cancellation frees a place.
    const admin = await connectAdmin(h.node.url, staffToken);
    open.push(admin);
    const behalf = await sendAdmin(admin, 'booking:create', {
      resourceId: (rooms[0] as Resource).id,
      ...slot(48),
      userId: u.user.id,
    });
    expect(behalf).toMatchObject({
      ok: false,
      error: { code: 'QUOTA_EXCEEDED', details: { scope: 'user', limit: 5 } },
    });
    const mine = unwrap(await send(sockets[0] as ClientSocket, 'bookings:mine', {})).bookings;
    unwrap(await send(sockets[0] as ClientSocket, 'booking:cancel', { bookingId: (mine[0] as { id: string }).id }));
    unwrap(
      await sendAdmin(admin, 'booking:create', {
        resourceId: (rooms[0] as Resource).id,
        ...slot(48),
        userId: u.user.id,
      }),
    );
    expect(
      await send(sockets[1] as ClientSocket, 'booking:create', { resourceId: (rooms[1] as Resource).id, ...slot(50) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'QUOTA_EXCEEDED' },
    });
    expect(await h.node.models.Booking.countDocuments({ userId: u.user.id, status: 'active' })).toBe(5);
  });
});
