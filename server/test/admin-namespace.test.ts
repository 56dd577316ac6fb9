/**
 * The `/admin` namespace against real MongoDB and Redis, on two in-process nodes sharing them:
 * handshake roles, every admin command, and the periodic `stats` push covering both nodes.
 */
import type { SlotChanged, Stats } from '@booking/shared';
import {
  connectAdmin,
  connectClient,
  createResource,
  loginStaff,
  registerUser,
  send,
  sendAdmin,
  slot,
  unwrap,
} from '../../test/support/harness';
import type { AdminSocket } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { waitFor } from '../../test/support/wait';

const h = useHarness({ label: 'admin', count: 2 });
const sockets = useSockets();
let staffToken: string;

beforeAll(async () => {
  staffToken = (await loginStaff(h.node.url)).token;
});

const staff = (nodeIndex = 0): Promise<AdminSocket> => sockets.admin((h.nodes[nodeIndex] ?? h.node).url, staffToken);

describe('handshake', () => {
  it('refuses a non-staff token with FORBIDDEN', async () => {
    const user = await registerUser(h.node.url, 'plain');
    await expect(connectAdmin(h.node.url, user.token)).rejects.toThrow('FORBIDDEN');
  });

  it('refuses a missing token with UNAUTHORIZED and a forged one too', async () => {
    await expect(connectClient(h.node.url, undefined, '/admin')).rejects.toThrow('UNAUTHORIZED');
    await expect(connectAdmin(h.node.url, `${staffToken}x`)).rejects.toThrow('UNAUTHORIZED');
  });

  it('admits staff', async () => {
    const s = await staff();
    expect(s.connected).toBe(true);
  });
});

describe('commands', () => {
  it('dashboard:snapshot lists resources and the day bookings with userName, and stats', async () => {
    const room = await createResource(h.node.url, staffToken, 'Snapshot room');
    const user = await registerUser(h.node.url, 'Ada');
    const u = await sockets.client(h.node.url, user.token);
    const when = slot(2);
    const booked = unwrap(await send(u, 'booking:create', { resourceId: room.id, ...when }));
    const s = await staff();
    const snap = unwrap(await sendAdmin(s, 'dashboard:snapshot', { date: when.start.slice(0, 10) }));
    expect(snap.resources.map((r) => r.id)).toContain(room.id);
    const row = snap.bookings.find((b) => b.id === booked.booking.id);
    expect(row).toMatchObject({ userName: 'Ada', userId: user.user.id, status: 'active', resourceId: room.id });
    expect(snap.stats.activeToday).toBeGreaterThanOrEqual(1);
    expect(snap.stats.utilization[room.id]).toBeCloseTo(60 / 1440, 5);
    // A pool of four with three units booked for that hour: three unit-hours of 96.
    const pool = await createResource(h.node.url, staffToken, 'Snapshot pool', { type: 'desk', capacity: 4 });
    unwrap(await send(u, 'booking:create', { resourceId: pool.id, ...when, quantity: 3 }));
    const withPool = unwrap(await sendAdmin(s, 'dashboard:snapshot', { date: when.start.slice(0, 10) }));
    expect(withPool.stats.utilization[pool.id]).toBeCloseTo((3 * 60) / (1440 * 4), 5);
    expect(withPool.bookings.find((b) => b.resourceId === pool.id)).toMatchObject({ quantity: 3 });
    expect(snap.stats.queue).toEqual(
      expect.objectContaining({
        waiting: expect.any(Number),
        active: expect.any(Number),
        completed: expect.any(Number),
        failed: expect.any(Number),
        delayed: expect.any(Number),
      }),
    );
    // A day with nothing booked.
    const empty = unwrap(await sendAdmin(s, 'dashboard:snapshot', { date: '2020-01-01' }));
    expect(empty.bookings).toEqual([]);
    expect(empty.stats.utilization[room.id]).toBe(0);
    // Garbage dates are refused at the edge.
    const bad = await sendAdmin(s, 'dashboard:snapshot', { date: '2020-13-45' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
  });

  it('booking:create on behalf of a user books for that user, who sees it as theirs', async () => {
    const room = await createResource(h.node.url, staffToken, 'Behalf room');
    const user = await registerUser(h.node.url, 'Grace');
    const s = await staff();
    const users = unwrap(await sendAdmin(s, 'users:list', {}));
    expect(users.users.map((x) => x.id)).toContain(user.user.id);
    const filtered = unwrap(await sendAdmin(s, 'users:list', { query: 'grac' }));
    expect(filtered.users.every((x) => /grac/i.test(x.name) || /grac/i.test(x.email))).toBe(true);

    const slotEvents: SlotChanged[] = [];
    s.on('slot:changed', (e) => slotEvents.push(e));
    const res = unwrap(await sendAdmin(s, 'booking:create', { resourceId: room.id, ...slot(3), userId: user.user.id }));
    expect(res.booking.userId).toBe(user.user.id);
    const u = await sockets.client(h.node.url, user.token);
    const mine = unwrap(await send(u, 'bookings:mine', {}));
    expect(mine.bookings.map((b) => b.id)).toContain(res.booking.id);
    // Staff sockets get slot:changed with the owner.
    await waitFor('admin slot:changed', () => slotEvents.find((e) => e.bookingId === res.booking.id));
    expect(slotEvents.find((e) => e.bookingId === res.booking.id)).toMatchObject({
      change: 'booked',
      userId: user.user.id,
    });

    const unknownUser = await sendAdmin(s, 'booking:create', {
      resourceId: room.id,
      ...slot(5),
      userId: 'ffffffffffffffffffffffff',
    });
    expect(unknownUser).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const taken = await sendAdmin(s, 'booking:create', { resourceId: room.id, ...slot(3), userId: user.user.id });
    expect(taken).toMatchObject({ ok: false, error: { code: 'SLOT_TAKEN' } });
  });

  it("booking:cancel cancels anyone's booking and the user's socket hears released", async () => {
    const room = await createResource(h.node.url, staffToken, 'Cancel room');
    const user = await registerUser(h.node.url, 'Owner');
    const u = await sockets.client(h.nodes[1]?.url ?? h.node.url, user.token);
    const b = unwrap(await send(u, 'booking:create', { resourceId: room.id, ...slot(4) }));
    const seen: SlotChanged[] = [];
    u.on('slot:changed', (e) => seen.push(e));
    const s = await staff();
    const res = unwrap(await sendAdmin(s, 'booking:cancel', { bookingId: b.booking.id }));
    expect(res.booking.status).toBe('cancelled');
    await waitFor('released on the user socket', () =>
      seen.find((e) => e.bookingId === b.booking.id && e.change === 'released'),
    );
    const again = await sendAdmin(s, 'booking:cancel', { bookingId: b.booking.id });
    expect(again.ok).toBe(false);
  });

  it('resource:create / update / delete, with INVALID_STATE while future active bookings exist', async () => {
    const s = await staff();
    const created = unwrap(
      await sendAdmin(s, 'resource:create', { name: 'Lab', type: 'equipment', description: 'scope' }),
    );
    expect(created.resource).toMatchObject({ name: 'Lab', type: 'equipment', description: 'scope' });
    const updated = unwrap(await sendAdmin(s, 'resource:update', { id: created.resource.id, name: 'Lab 2' }));
    expect(updated.resource).toMatchObject({ id: created.resource.id, name: 'Lab 2', type: 'equipment' });
    expect(await sendAdmin(s, 'resource:update', { id: 'ffffffffffffffffffffffff', name: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await sendAdmin(s, 'resource:create', { name: '', type: 'room' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR' },
    });

    const user = await registerUser(h.node.url, 'Booker');
    const b = unwrap(
      await sendAdmin(s, 'booking:create', { resourceId: created.resource.id, ...slot(6), userId: user.user.id }),
    );
    expect(await sendAdmin(s, 'resource:delete', { id: created.resource.id })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_STATE' },
    });
    unwrap(await sendAdmin(s, 'booking:cancel', { bookingId: b.booking.id }));
    expect(unwrap(await sendAdmin(s, 'resource:delete', { id: created.resource.id }))).toEqual({});
    const snap = unwrap(await sendAdmin(s, 'dashboard:snapshot', {}));
    expect(snap.resources.map((r) => r.id)).not.toContain(created.resource.id);
    expect(await sendAdmin(s, 'resource:delete', { id: created.resource.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('notifications:retry answers NOT_FOUND for an unknown job and validates its payload', async () => {
    const s = await staff();
    expect(await sendAdmin(s, 'notifications:retry', { jobId: 'no-such-job' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await sendAdmin(s, 'notifications:retry', { jobId: '' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR' },
    });
  });

  it('a user-namespace socket cannot reach admin commands', async () => {
    const user = await registerUser(h.node.url, 'Sneaky');
    const u = await sockets.client(h.node.url, user.token);
    const emitter = u.timeout(1500) as unknown as { emitWithAck(ev: string, p: unknown): Promise<unknown> };
    await expect(emitter.emitWithAck('resource:create', { name: 'x', type: 'room' })).rejects.toThrow();
  });
});

describe('stats push', () => {
  it('arrives within ~6 s and lists both nodes with their clients', async () => {
    const onSecond = await registerUser(h.node.url, 'Second');
    await sockets.client(h.nodes[1]?.url ?? h.node.url, onSecond.token);
    const s = await staff(0);
    const received: Stats[] = [];
    s.on('stats', (st) => received.push(st));
    const started = Date.now();
    // Wait for a push that sees both nodes and the client on node 1 (heartbeats every 2 s).
    const stats = await waitFor(
      'stats with both nodes',
      () =>
        received.find(
          (st) => st.nodes.length === 2 && (st.nodes.find((n) => n.nodeId === h.nodes[1]?.nodeId)?.clients ?? 0) >= 1,
        ),
      8000,
    );
    expect(Date.now() - started).toBeLessThan(8000);
    expect(stats.nodes.map((n) => n.nodeId).sort()).toEqual(h.nodes.map((n) => n.nodeId).sort());
    expect(stats.connectedClients).toBe(stats.nodes.reduce((a, n) => a + n.clients, 0));
    for (const n of stats.nodes) expect(Number.isNaN(Date.parse(n.startedAt))).toBe(false);
    expect(stats).toEqual(
      expect.objectContaining({
        activeToday: expect.any(Number),
        cancelledToday: expect.any(Number),
        utilization: expect.any(Object),
      }),
    );
    // And it keeps coming: a second push within the 5 s period.
    const count = received.length;
    await waitFor('another stats push', () => received.length > count, 6000);
  });
});
