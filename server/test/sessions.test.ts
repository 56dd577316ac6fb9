/**
 * Revocable sessions and per-user limits on two in-process nodes sharing MongoDB and Redis:
 * token expiry closes the socket, `user:setRole` revokes and disconnects on every node (and a
 * demotion straight in the database is caught by the staff session check), a deleted user is
 * refused, refresh renews silently, one user's connections share a budget and a cap, and
 * `booking:history` lists every change with its actor.
 */
import type { AuthResult } from '@booking/shared';
import {
  connectAdmin,
  connectClient,
  createResource,
  http,
  loginStaff,
  send,
  sendAdmin,
  slot,
  unwrap,
} from '../../test/support/harness';
import type { AdminSocket, ClientSocket } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { createUsers } from '../../test/support/users';
import { waitFor, within } from '../../test/support/wait';
import { expiryDelayMs } from '../src/transport/session-expiry';

const h = useHarness({ label: 'sessions', count: 2 });
const { track } = useSockets();
let staffToken: string;

beforeAll(async () => {
  staffToken = (await loginStaff(h.node.url)).token;
});

const nodeB = () => h.nodes[1] ?? h.node;
const user = async (label: string): Promise<AuthResult> => {
  const [one] = await createUsers(h.node, { count: 1, label });
  if (!one) throw new Error('no user');
  return one;
};
const disconnected = (s: ClientSocket | AdminSocket) =>
  new Promise<string>((resolve) => (s as unknown as ClientSocket).once('disconnect', (reason) => resolve(reason)));

describe('token lifetime', () => {
  it('disconnects a socket when its token expires', async () => {
    const u = await user('expiring');
    const token = await h.node.auth.issueToken({ id: u.user.id, name: u.user.name, role: 'user' }, '2s');
    const s = track(await connectClient(h.node.url, token));
    const closed = disconnected(s);
    expect(unwrap(await send(s, 'resources:list', {})).resources).toBeDefined();
    const started = Date.now();
    expect(await closed).toBe('io server disconnect');
    console.log(`token of 2 s: socket disconnected ${Date.now() - started} ms after the first command`);
    await expect(connectClient(h.node.url, token)).rejects.toThrow('UNAUTHORIZED');
  });

  it('the expiry timer waits whole seconds: never before the token expires, at most a second after', () => {
    const exp = Date.parse('2026-12-06T22:00:00Z');
    const delays = new Set<number>();
    const wrong: number[] = [];
    // A connection every 97 ms over the token's hour.
    for (let now = exp - 3_600_000; now < exp; now += 97) {
      const d = expiryDelayMs(exp, now);
      if (d % 1000 !== 0 || now + d < exp || now + d >= exp + 1000) wrong.push(now);
      delays.add(d);
    }
    expect(wrong).toEqual([]);
    // One timer list per second of the hour, not one per connection (~37,000 here).
    expect(delays.size).toBe(3600);
    expect(expiryDelayMs(exp, exp + 5000)).toBe(0);
  });

  it('session:refresh renews the connection past the old expiry and answers a working token', async () => {
    const u = await user('refreshing');
    const token = await h.node.auth.issueToken({ id: u.user.id, name: u.user.name, role: 'user' }, '3s');
    const s = track(await connectClient(h.node.url, token));
    const renewed = unwrap(await send(s, 'session:refresh', {}));
    expect(renewed.user).toMatchObject({ id: u.user.id, role: 'user' });
    const oldExpiry = Date.now() + 3000;
    await waitFor('the old token to expire', () => Date.now() > oldExpiry + 1000, 10_000, 100);
    expect(s.connected).toBe(true);
    expect(unwrap(await send(s, 'resources:list', {})).resources).toBeDefined();
    track(await connectClient(nodeB().url, renewed.token));
  });

  it('POST /api/auth/refresh gives the holder of a valid token a new one, and refuses others', async () => {
    const u = await user('httprefresh');
    const res = await http<AuthResult>(h.node.url, '/api/auth/refresh', { method: 'POST', token: u.token });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: u.user.id, email: u.user.email, role: 'user' });
    track(await connectClient(h.node.url, res.body.token));
    expect((await http(h.node.url, '/api/auth/refresh', { method: 'POST', token: 'nope' })).status).toBe(401);
    expect((await http(h.node.url, '/api/auth/refresh', { method: 'POST' })).status).toBe(401);
  });
});

describe('revocation', () => {
  it('a demoted staff member loses /admin on every node within 5 s and is refused on reconnect', async () => {
    const u = await user('demoted');
    const admin = track(await connectAdmin(h.node.url, staffToken));
    expect(unwrap(await sendAdmin(admin, 'user:setRole', { userId: u.user.id, role: 'staff' })).user.role).toBe(
      'staff',
    );
    // The promotion revoked the old token too.
    await expect(connectClient(h.node.url, u.token)).rejects.toThrow('UNAUTHORIZED');
    const staffOfB = await h.node.auth.issueToken({ id: u.user.id, name: u.user.name, role: 'staff' });
    const onB = track(await connectAdmin(nodeB().url, staffOfB));
    const userSocket = track(await connectClient(nodeB().url, staffOfB));
    const cut = Promise.all([disconnected(onB), disconnected(userSocket)]);
    const started = Date.now();
    expect(unwrap(await sendAdmin(admin, 'user:setRole', { userId: u.user.id, role: 'user' })).user.role).toBe('user');
    const reasons = await within(5000, cut);
    const ms = Date.now() - started;
    console.log(`demotion on node A: sockets on node B disconnected after ${ms} ms`);
    expect(reasons).toEqual(['io server disconnect', 'io server disconnect']);
    await expect(connectAdmin(nodeB().url, staffOfB)).rejects.toThrow('UNAUTHORIZED');
    await expect(connectClient(h.node.url, staffOfB)).rejects.toThrow('UNAUTHORIZED');
    const fresh = await h.node.auth.issueToken({ id: u.user.id, name: u.user.name, role: 'user' });
    await expect(connectAdmin(h.node.url, fresh)).rejects.toThrow('FORBIDDEN');
  });

  it('a demotion written straight to the database still ends the /admin socket within 5 s', async () => {
    const u = await user('dbdemoted');
    await h.node.auth.setRole(u.user.id, 'staff');
    const token = await h.node.auth.issueToken({ id: u.user.id, name: u.user.name, role: 'staff' });
    const s = track(await connectAdmin(nodeB().url, token));
    const closed = disconnected(s);
    await h.node.models.User.updateOne({ _id: u.user.id }, { $set: { role: 'user' } });
    const reason = await within(5000, closed);
    expect(reason).toBe('io server disconnect');
  });

  it('user:setRole validates its payload and answers NOT_FOUND for nobody', async () => {
    const admin = track(await connectAdmin(h.node.url, staffToken));
    expect(await sendAdmin(admin, 'user:setRole', { userId: '64b000000000000000000000', role: 'user' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const bad = { userId: '64b000000000000000000000', role: 'root' } as unknown as { userId: string; role: 'user' };
    expect(await sendAdmin(admin, 'user:setRole', bad)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR' },
    });
  });

  it('a user removed from the database is refused at the handshake and over HTTP', async () => {
    const u = await user('removed');
    track(await connectClient(h.node.url, u.token)).close();
    await h.node.models.User.deleteOne({ _id: u.user.id });
    await expect(connectClient(h.node.url, u.token)).rejects.toThrow('UNAUTHORIZED');
    await expect(connectClient(nodeB().url, u.token)).rejects.toThrow('UNAUTHORIZED');
    expect((await http(h.node.url, '/api/resources', { token: u.token })).status).toBe(401);
  });
});

describe('per-user limits', () => {
  it('one user’s connections share 100 commands per second', async () => {
    const u = await user('budget');
    const three = await Promise.all([0, 1, 2].map(() => connectClient(h.node.url, u.token).then(track)));
    // 3 × 45 = 135 commands at once: each socket stays under its own 50, together they pass 100.
    const burst = await Promise.all(
      three.flatMap((s) => Array.from({ length: 45 }, () => send(s, 'resources:list', {}))),
    );
    const ok = burst.filter((a) => a.ok).length;
    const limited = burst.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length;
    console.log(`per-user budget: ${ok} ok, ${limited} RATE_LIMITED of ${burst.length} from three sockets of one user`);
    expect(ok + limited).toBe(burst.length);
    expect(ok).toBeLessThanOrEqual(100);
    expect(ok).toBeGreaterThan(0);
    // Another user on the same node is not affected.
    const other = track(await connectClient(h.node.url, (await user('budget-other')).token));
    expect((await send(other, 'resources:list', {})).ok).toBe(true);
  });

  it('one user holds at most 20 connections per node', async () => {
    const u = await user('cap');
    const twenty = await Promise.all(Array.from({ length: 20 }, () => connectClient(h.node.url, u.token).then(track)));
    await expect(connectClient(h.node.url, u.token)).rejects.toThrow('RATE_LIMITED');
    // Another node has its own count; a closed connection frees its place.
    track(await connectClient(nodeB().url, u.token));
    twenty[0]?.close();
    await waitFor('a place to free up', async () => {
      try {
        track(await connectClient(h.node.url, u.token));
        return true;
      } catch {
        return false;
      }
    });
  });
});

describe('booking:history', () => {
  it('lists create, modify and cancel with their actors, oldest first', async () => {
    const u = await user('historic');
    const room = await createResource(h.node.url, staffToken, 'History room');
    const s = track(await connectClient(h.node.url, u.token));
    const admin = track(await connectAdmin(nodeB().url, staffToken));
    const iv = slot(30);
    const booking = unwrap(await send(s, 'booking:create', { resourceId: room.id, ...iv })).booking;
    const moved = slot(31);
    unwrap(await send(s, 'booking:modify', { bookingId: booking.id, ...moved }));
    unwrap(await sendAdmin(admin, 'booking:cancel', { bookingId: booking.id }));
    const { events } = unwrap(await sendAdmin(admin, 'booking:history', { bookingId: booking.id }));
    const staffUser = (await h.node.data.users.findByEmail('staff@example.com'))?._id.toHexString();
    expect(events.map((e) => [e.action, e.actor?.id, e.actor?.role, e.start, e.status])).toEqual([
      ['create', u.user.id, 'user', iv.start, 'active'],
      ['modify', u.user.id, 'user', moved.start, 'active'],
      ['cancel', staffUser, 'staff', moved.start, 'cancelled'],
    ]);
    expect(events[0]?.actor?.name).toBe(u.user.name);
    expect(Date.parse(events[0]?.at ?? '')).toBeLessThanOrEqual(Date.parse(events[2]?.at ?? ''));

    const onBehalf = unwrap(
      await sendAdmin(admin, 'booking:create', { resourceId: room.id, ...slot(40), userId: u.user.id }),
    ).booking;
    const behalf = unwrap(await sendAdmin(admin, 'booking:history', { bookingId: onBehalf.id })).events;
    expect(behalf.map((e) => [e.action, e.actor?.id])).toEqual([['create', staffUser]]);

    expect(await sendAdmin(admin, 'booking:history', { bookingId: '64b000000000000000000000' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await sendAdmin(admin, 'booking:history', {} as { bookingId: string })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR' },
    });
  });
});
