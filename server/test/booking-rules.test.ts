import type { AuthResult, Resource, SlotChanged } from '@booking/shared';
import { SignJWT } from 'jose';
import { TEST_SECRET } from '../../test/support/env';
import {
  connectClient,
  createResource,
  loginStaff,
  minutesFrom,
  registerUser,
  send,
  slot,
  unwrap,
} from '../../test/support/harness';
import type { ClientSocket } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { waitFor } from '../../test/support/wait';

const h = useHarness({ label: 'rules', count: 2 });
const sockets = useSockets('all');
let staff: AuthResult;
let alice: AuthResult;
let bob: AuthResult;
let a: ClientSocket;
let b: ClientSocket;
let s: ClientSocket;
let room: Resource;

beforeAll(async () => {
  staff = await loginStaff(h.node.url);
  [alice, bob] = await Promise.all([registerUser(h.node.url, 'alice'), registerUser(h.node.url, 'bob')]);
  [a, b, s] = await Promise.all([
    sockets.client(h.node.url, alice.token),
    sockets.client(h.nodes[1]?.url ?? '', bob.token),
    sockets.client(h.node.url, staff.token),
  ]);
  room = await createResource(h.node.url, staff.token, 'Rules room');
});

describe('booking edge cases', () => {
  it('allows back-to-back bookings', async () => {
    const first = slot(30);
    unwrap(await send(a, 'booking:create', { resourceId: room.id, ...first }));
    const next = unwrap(
      await send(b, 'booking:create', { resourceId: room.id, start: first.end, end: minutesFrom(first.end, 30) }),
    );
    expect(next.booking.start).toBe(first.end);
    const before = unwrap(
      await send(b, 'booking:create', { resourceId: room.id, start: minutesFrom(first.start, -30), end: first.start }),
    );
    expect(before.booking.end).toBe(first.start);
  });

  it('a modify into a taken interval leaves the booking unchanged', async () => {
    const mine = unwrap(await send(a, 'booking:create', { resourceId: room.id, ...slot(40) })).booking;
    const theirs = unwrap(await send(b, 'booking:create', { resourceId: room.id, ...slot(42) })).booking;
    const ack = await send(a, 'booking:modify', {
      bookingId: mine.id,
      start: minutesFrom(theirs.start, 30),
      end: minutesFrom(theirs.end, 30),
    });
    expect(ack).toMatchObject({ ok: false, error: { code: 'SLOT_TAKEN' } });
    const stored = await h.node.models.Booking.findById(mine.id).lean();
    expect(stored?.start.toISOString()).toBe(mine.start);
    expect(stored?.end.toISOString()).toBe(mine.end);
    expect(stored?.status).toBe('active');
  });

  it('a modify that overlaps only its own old interval succeeds', async () => {
    const mine = unwrap(await send(a, 'booking:create', { resourceId: room.id, ...slot(50, 2) })).booking;
    const moved = unwrap(
      await send(a, 'booking:modify', {
        bookingId: mine.id,
        start: minutesFrom(mine.start, 30),
        end: minutesFrom(mine.end, 30),
      }),
    ).booking;
    expect(moved).toMatchObject({
      id: mine.id,
      start: minutesFrom(mine.start, 30),
      end: minutesFrom(mine.end, 30),
      status: 'active',
    });
  });

  it('cancel then rebook the same slot works, and cancelling twice is INVALID_STATE', async () => {
    const iv = slot(60);
    const first = unwrap(await send(a, 'booking:create', { resourceId: room.id, ...iv })).booking;
    expect(unwrap(await send(a, 'booking:cancel', { bookingId: first.id })).booking.status).toBe('cancelled');
    expect(await send(a, 'booking:cancel', { bookingId: first.id })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_STATE' },
    });
    expect(unwrap(await send(b, 'booking:create', { resourceId: room.id, ...iv })).booking.status).toBe('active');
  });

  it('enforces the duration, minute and horizon rules, and unknown resources are NOT_FOUND', async () => {
    // Without a policy the v1 rules apply; since v2 they answer POLICY_VIOLATION with the rule,
    // and only a shape error (end not after start) stays VALIDATION_ERROR.
    const iv = slot(70);
    const cases: Array<[{ start: string; end: string }, { code: string; details?: { rule: string } }]> = [
      [
        { start: iv.start, end: minutesFrom(iv.start, 4) },
        { code: 'POLICY_VIOLATION', details: { rule: 'duration' } },
      ],
      [
        { start: iv.start, end: minutesFrom(iv.start, 24 * 60 + 1) },
        { code: 'POLICY_VIOLATION', details: { rule: 'duration' } },
      ],
      [
        { start: minutesFrom(iv.start, 0.5), end: minutesFrom(iv.start, 30) },
        { code: 'POLICY_VIOLATION', details: { rule: 'grid' } },
      ],
      [
        { start: new Date(Date.now() - 3_600_000).toISOString(), end: new Date(Date.now() + 3_600_000).toISOString() },
        { code: 'POLICY_VIOLATION', details: { rule: 'past' } },
      ],
      [
        {
          start: new Date(Date.now() + 366 * 86_400_000).toISOString().slice(0, 14) + '00:00.000Z',
          end: new Date(Date.now() + 366 * 86_400_000 + 3_600_000).toISOString().slice(0, 14) + '00:00.000Z',
        },
        { code: 'POLICY_VIOLATION', details: { rule: 'advance' } },
      ],
      [{ start: iv.end, end: iv.start }, { code: 'VALIDATION_ERROR' }],
    ];
    for (const [c, error] of cases) {
      expect(await send(a, 'booking:create', { resourceId: room.id, ...c })).toMatchObject({ ok: false, error });
    }
    expect(await send(a, 'booking:create', { resourceId: 'ffffffffffffffffffffffff', ...iv })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await send(a, 'booking:create', { resourceId: 'not-an-id', ...iv })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    // Offsets are accepted and answered in UTC.
    const offset = unwrap(
      await send(a, 'booking:create', {
        resourceId: room.id,
        start: iv.start.replace('Z', '+00:00'),
        end: iv.end.replace('Z', '+00:00'),
      }),
    );
    expect(offset.booking.start).toBe(iv.start);
  });

  it('bookings:mine lists only the caller’s bookings, and ended ones report completed', async () => {
    // Both users book here, so the test does not depend on what earlier tests left behind.
    const bobs = unwrap(await send(b, 'booking:create', { resourceId: room.id, ...slot(74) })).booking;
    unwrap(await send(a, 'booking:create', { resourceId: room.id, ...slot(75) }));
    const mine = unwrap(await send(b, 'bookings:mine', {})).bookings;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.map((x) => x.id)).toContain(bobs.id);
    expect(new Set(mine.map((x) => x.userId))).toEqual(new Set([bob.user.id]));
    const past = await h.node.models.Booking.create({
      resourceId: room.id,
      userId: bob.user.id,
      start: new Date(Date.now() - 7_200_000),
      end: new Date(Date.now() - 3_600_000),
      status: 'active',
    });
    const listed = unwrap(await send(b, 'bookings:mine', {})).bookings.find((x) => x.id === past._id.toHexString());
    expect(listed?.status).toBe('completed');
    expect(await send(b, 'booking:cancel', { bookingId: past._id.toHexString() })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_STATE' },
    });
  });
});

describe('idempotency', () => {
  it('the same key twice gives the same booking and one outbox entry', async () => {
    const iv = slot(80);
    const first = unwrap(
      await send(a, 'booking:create', { resourceId: room.id, ...iv, idempotencyKey: 'key-1' }),
    ).booking;
    const again = unwrap(
      await send(a, 'booking:create', { resourceId: room.id, ...iv, idempotencyKey: 'key-1' }),
    ).booking;
    expect(again).toEqual(first);
    // Concurrent repeats too.
    const iv2 = slot(82);
    const many = await Promise.all(
      Array.from({ length: 5 }, () =>
        send(a, 'booking:create', { resourceId: room.id, ...iv2, idempotencyKey: 'key-2' }),
      ),
    );
    const ids = new Set(many.map((x) => unwrap(x).booking.id));
    expect(ids.size).toBe(1);
    for (const id of [first.id, ...ids]) expect(await h.node.models.Outbox.countDocuments({ bookingId: id })).toBe(1);
    // Another user's identical key is theirs alone.
    expect(await send(b, 'booking:create', { resourceId: room.id, ...iv, idempotencyKey: 'key-1' })).toMatchObject({
      ok: false,
      error: { code: 'SLOT_TAKEN' },
    });
  });
});

describe('authorisation', () => {
  it('refuses a missing, bad or expired token with UNAUTHORIZED', async () => {
    await expect(connectClient(h.node.url, undefined)).rejects.toThrow('UNAUTHORIZED');
    await expect(connectClient(h.node.url, 'not.a.token')).rejects.toThrow('UNAUTHORIZED');
    const forged = await new SignJWT({ name: 'x', role: 'staff' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(alice.user.id)
      .setIssuer('booking-server')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-0123456'));
    await expect(connectClient(h.node.url, forged)).rejects.toThrow('UNAUTHORIZED');
    const expired = await h.node.auth.issueToken(
      { id: alice.user.id, name: 'alice', role: 'user' },
      Math.floor(Date.now() / 1000) - 10,
    );
    await expect(connectClient(h.node.url, expired)).rejects.toThrow('UNAUTHORIZED');
    const genuine = await new SignJWT({ name: 'x', role: 'user' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(alice.user.id)
      .setIssuer('booking-server')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(TEST_SECRET));
    (await connectClient(h.node.url, genuine)).close();
    const res = await fetch(`${h.node.url}/api/resources`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('cancelling another user’s booking is FORBIDDEN; staff may', async () => {
    const theirs = unwrap(await send(b, 'booking:create', { resourceId: room.id, ...slot(90) })).booking;
    expect(await send(a, 'booking:cancel', { bookingId: theirs.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await send(a, 'booking:modify', { bookingId: theirs.id, ...slot(91) })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect((await h.node.models.Booking.findById(theirs.id).lean())?.status).toBe('active');
    expect(unwrap(await send(s, 'booking:cancel', { bookingId: theirs.id })).booking.status).toBe('cancelled');
  });

  it('registration and login answer per the contract', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${h.node.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const dup = await post('/api/auth/register', {
      name: 'A',
      email: alice.user.email.toUpperCase(),
      password: 'password123',
    });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ error: { code: 'EMAIL_TAKEN' } });
    expect(
      (await post('/api/auth/register', { name: 'A', email: 'short@example.com', password: 'short' })).status,
    ).toBe(400);
    const wrong = await post('/api/auth/login', { email: alice.user.email, password: 'wrong-password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    const unknown = await post('/api/auth/login', { email: 'nobody@example.com', password: 'password123' });
    expect(unknown.status).toBe(401);
    const ok = await post('/api/auth/login', { email: alice.user.email, password: 'password123' });
    expect(await ok.json()).toMatchObject({ user: { id: alice.user.id, role: 'user' } });
    const notStaff = await fetch(`${h.node.url}/api/resources`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` },
      body: JSON.stringify({ name: 'x', type: 'y' }),
    });
    expect(notStaff.status).toBe(403);
    const list = await fetch(`${h.node.url}/api/resources`, { headers: { authorization: `Bearer ${alice.token}` } });
    expect(((await list.json()) as { resources: Resource[] }).resources.map((r) => r.id)).toContain(room.id);
    expect(unwrap(await send(a, 'resources:list', {})).resources.map((r) => r.id)).toContain(room.id);
  });
});

describe('slot:changed', () => {
  it('reaches every other client on both nodes, with increasing versions', async () => {
    const seenA: SlotChanged[] = [];
    const seenB: SlotChanged[] = [];
    const onA = (e: SlotChanged) => e.resourceId === room.id && seenA.push(e);
    const onB = (e: SlotChanged) => e.resourceId === room.id && seenB.push(e);
    a.on('slot:changed', onA);
    b.on('slot:changed', onB);
    const booked = unwrap(await send(s, 'booking:create', { resourceId: room.id, ...slot(100) })).booking;
    const moved = unwrap(await send(s, 'booking:modify', { bookingId: booked.id, ...slot(101) })).booking;
    unwrap(await send(s, 'booking:cancel', { bookingId: booked.id }));
    for (const seen of [seenA, seenB]) {
      await waitFor('three slot changes', () => seen.length >= 3);
      expect(seen.map((e) => e.change)).toEqual(['booked', 'moved', 'released']);
      expect(seen.every((e) => e.bookingId === booked.id && e.userId === undefined)).toBe(true);
      const versions = seen.map((e) => e.version);
      expect(versions[0]).toBeLessThan(versions[1] ?? 0);
      expect(versions[1]).toBeLessThan(versions[2] ?? 0);
      expect(seen[1]).toMatchObject({
        start: moved.start,
        end: moved.end,
        previous: { start: booked.start, end: booked.end },
      });
    }
    const avail = unwrap(
      await send(a, 'availability:get', { resourceId: room.id, from: slot(99).start, to: slot(103).end }),
    );
    expect(avail.version).toBe(seenA[2]?.version);
    a.off('slot:changed', onA);
    b.off('slot:changed', onB);
  });
});

describe('the clock', () => {
  const ahead = useHarness({ label: 'clock', node: { clock: { now: () => new Date(Date.now() + 3 * 3_600_000) } } });
  const clockSockets = useSockets();

  it('rules take "now" from the node’s injected clock, not the machine’s', async () => {
    const owner = await loginStaff(ahead.node.url);
    const clockRoom = await createResource(ahead.node.url, owner.token, 'Clock room');
    const socket = await clockSockets.client(ahead.node.url, (await registerUser(ahead.node.url, 'timely')).token);
    // Two hours ahead by the machine's clock is already past by the node's (three hours ahead).
    expect(await send(socket, 'booking:create', { resourceId: clockRoom.id, ...slot(2) })).toMatchObject({
      ok: false,
      error: { code: 'POLICY_VIOLATION', details: { rule: 'past' } },
    });
    expect(unwrap(await send(socket, 'booking:create', { resourceId: clockRoom.id, ...slot(5) })).booking.status).toBe(
      'active',
    );
  });
});
