/**
 * (v3) Managers on `/admin` (docs/protocol.md "Identity, groups and access"): a person in one of a
 * resource's `access.managers` groups opens `/admin` and acts as staff for the resources they
 * manage, and only those: their snapshot, stats and broadcasts carry no trace of other resources,
 * commands on other resources answer NOT_FOUND, staff-only commands FORBIDDEN; they approve their
 * resources' requests; leaving the group closes their `/admin` socket.
 */
import type { AuthResult, Booking, Group, Resource, SlotChanged, Stats } from '@booking/shared';
import {
  connectAdmin,
  connectClient,
  createResource,
  http,
  loginStaff,
  registerUser,
  send,
  sendAdmin,
  slot,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { AdminSocket, Harness } from '../../test/support/harness';
import { waitFor } from '../../test/support/wait';

let h: Harness;
let staff: AdminSocket;
let managers: Group;
let others: Group;
let roomA: Resource;
let roomB: Resource;
let manager: AuthResult;
let managerAdmin: AdminSocket;
const statsSeen: Stats[] = [];
const slotsSeen: SlotChanged[] = [];
const closers: { close(): void }[] = [];

const approvalAlways = { approval: { required: 'always', approverIds: [], expireHours: 72 } };

async function login(email: string): Promise<string> {
  const res = await http<AuthResult>(h.node.url, '/api/auth/login', { body: { email, password: 'password123' } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return res.body.token;
}

/** A registered person put in `groups` by staff, signed in again (the change revoked the first token). */
async function personIn(name: string, groups: string[]): Promise<AuthResult> {
  const person = await registerUser(h.node.url, name);
  if (groups.length === 0) return person;
  unwrap(await sendAdmin(staff, 'user:setGroups', { userId: person.user.id, groupIds: groups }));
  return { ...person, token: await login(person.user.email) };
}

const onBehalf = async (resourceId: string, userId: string, hoursAhead: number): Promise<Booking> =>
  unwrap(await sendAdmin(staff, 'booking:create', { resourceId, userId, ...slot(hoursAhead) })).booking;

beforeAll(async () => {
  h = await startHarness({ label: 'managers' });
  staff = await connectAdmin(h.node.url, (await loginStaff(h.node.url)).token);
  closers.push(staff);
  managers = unwrap(await sendAdmin(staff, 'group:create', { name: 'Room managers' })).group;
  others = unwrap(await sendAdmin(staff, 'group:create', { name: 'Lab people' })).group;
  const staffToken = (await loginStaff(h.node.url)).token;
  roomA = await createResource(h.node.url, staffToken, 'Alpha room', {
    access: { visibleTo: null, bookableBy: null, managers: [managers.id] },
    policy: approvalAlways,
  });
  roomB = await createResource(h.node.url, staffToken, 'Bravo lab', {
    access: { visibleTo: [others.id], bookableBy: null, managers: [] },
    policy: approvalAlways,
  });
  manager = await personIn('manager', [managers.id]);
  managerAdmin = await connectAdmin(h.node.url, manager.token);
  closers.push(managerAdmin);
  managerAdmin.on('stats', (s) => statsSeen.push(s));
  managerAdmin.on('slot:changed', (e) => slotsSeen.push(e));
});

afterAll(async () => {
  for (const c of closers) c.close();
  await h?.close();
});

test('a plain user may not open /admin; a manager may', async () => {
  const plain = await registerUser(h.node.url, 'plain');
  await expect(connectAdmin(h.node.url, plain.token)).rejects.toThrow('FORBIDDEN');
  expect(managerAdmin.connected).toBe(true);
});

test('the snapshot, stats and broadcasts carry the managed resource and no trace of the other', async () => {
  const owner = await registerUser(h.node.url, 'owner');
  const onA = await onBehalf(roomA.id, owner.user.id, 30);
  const onB = await onBehalf(roomB.id, owner.user.id, 31);
  for (const b of [onA, onB]) {
    const snapshot = unwrap(await sendAdmin(managerAdmin, 'dashboard:snapshot', { date: b.start.slice(0, 10) }));
    const json = JSON.stringify(snapshot);
    expect(json).not.toContain(roomB.id);
    expect(json).not.toContain(roomB.name);
    expect(json).not.toContain(onB.id);
    expect(snapshot.resources.map((r) => r.id)).toEqual([roomA.id]);
    if (b === onA) expect(snapshot.bookings.map((x) => x.id)).toContain(onA.id);
    expect(Object.keys(snapshot.stats.utilization)).toEqual([roomA.id]);
  }
  // Staff's own snapshot still has both.
  const whole = unwrap(await sendAdmin(staff, 'dashboard:snapshot', { date: onB.start.slice(0, 10) }));
  expect(whole.resources.map((r) => r.id)).toEqual(expect.arrayContaining([roomA.id, roomB.id]));

  // The first stats on connect, then at least one periodic push.
  await waitFor('two stats events', () => statsSeen.length >= 2, 15_000);
  for (const s of statsSeen) {
    expect(JSON.stringify(s)).not.toContain(roomB.id);
    expect(Object.keys(s.utilization)).toEqual([roomA.id]);
  }

  // B's change first, then A's: once A's has arrived, B's would have too.
  slotsSeen.length = 0;
  const laterB = await onBehalf(roomB.id, owner.user.id, 50);
  const laterA = await onBehalf(roomA.id, owner.user.id, 51);
  await waitFor('the slot:changed of A', () => slotsSeen.some((e) => e.resourceId === roomA.id));
  expect(JSON.stringify(slotsSeen)).not.toContain(roomB.id);
  expect(JSON.stringify(slotsSeen)).not.toContain(laterB.id);
  expect(laterA.resourceId).toBe(roomA.id);
});

test('commands reach the managed resource only; staff-only commands are FORBIDDEN', async () => {
  const owner = await registerUser(h.node.url, 'customer');
  const booked = await sendAdmin(managerAdmin, 'booking:create', {
    resourceId: roomA.id,
    userId: owner.user.id,
    ...slot(60),
  });
  expect(booked).toMatchObject({ ok: true, data: { booking: { resourceId: roomA.id, status: 'active' } } });
  const notMine = await sendAdmin(managerAdmin, 'booking:create', {
    resourceId: roomB.id,
    userId: owner.user.id,
    ...slot(62),
  });
  expect(notMine).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

  const onB = await onBehalf(roomB.id, owner.user.id, 64);
  expect(await sendAdmin(managerAdmin, 'booking:cancel', { bookingId: onB.id })).toMatchObject({
    ok: false,
    error: { code: 'NOT_FOUND' },
  });
  expect(await sendAdmin(managerAdmin, 'booking:history', { bookingId: onB.id })).toMatchObject({
    ok: false,
    error: { code: 'NOT_FOUND' },
  });
  if (!booked.ok) throw new Error('booking on A failed');
  expect(await sendAdmin(managerAdmin, 'booking:cancel', { bookingId: booked.data.booking.id })).toMatchObject({
    ok: true,
    data: { booking: { status: 'cancelled' } },
  });

  expect(await sendAdmin(managerAdmin, 'resource:update', { id: roomA.id, name: 'Alpha room (east)' })).toMatchObject({
    ok: true,
    data: { resource: { id: roomA.id, name: 'Alpha room (east)' } },
  });
  expect(await sendAdmin(managerAdmin, 'resource:update', { id: roomB.id, name: 'Mine now' })).toMatchObject({
    ok: false,
    error: { code: 'NOT_FOUND' },
  });
  expect(
    await sendAdmin(managerAdmin, 'resource:update', {
      id: roomA.id,
      access: { visibleTo: null, bookableBy: null, managers: [managers.id, others.id] },
    }),
  ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(await sendAdmin(managerAdmin, 'resource:delete', { id: roomB.id })).toMatchObject({
    ok: false,
    error: { code: 'NOT_FOUND' },
  });
  expect(await sendAdmin(managerAdmin, 'resource:create', { name: 'Extra', type: 'room' })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
  expect(await sendAdmin(managerAdmin, 'group:list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(await sendAdmin(managerAdmin, 'user:setRole', { userId: owner.user.id, role: 'staff' })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
  expect(await sendAdmin(managerAdmin, 'notifications:retry', { all: true })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
  const users = await sendAdmin(managerAdmin, 'users:list', { query: owner.user.email });
  expect(users.ok && users.data.users.map((u) => u.id)).toEqual([owner.user.id]);
});

test('a manager approves the requests of the resource they manage, on /admin and on /, and no other', async () => {
  const requester = await registerUser(h.node.url, 'requester');
  const labMember = await personIn('labmember', [others.id]);
  const [plainSocket, labSocket, managerSocket] = await Promise.all([
    connectClient(h.node.url, requester.token),
    connectClient(h.node.url, labMember.token),
    connectClient(h.node.url, manager.token),
  ]);
  closers.push(plainSocket, labSocket, managerSocket);
  const onA = unwrap(await send(plainSocket, 'booking:create', { resourceId: roomA.id, ...slot(70) })).booking;
  const againA = unwrap(await send(plainSocket, 'booking:create', { resourceId: roomA.id, ...slot(72) })).booking;
  const onB = unwrap(await send(labSocket, 'booking:create', { resourceId: roomB.id, ...slot(74) })).booking;
  expect([onA.status, againA.status, onB.status]).toEqual(['pending', 'pending', 'pending']);

  const listed = unwrap(await sendAdmin(managerAdmin, 'approvals:list', {})).bookings.map((b) => b.id);
  expect(listed).toEqual(expect.arrayContaining([onA.id, againA.id]));
  expect(listed).not.toContain(onB.id);
  expect(await sendAdmin(managerAdmin, 'booking:approve', { bookingId: onA.id })).toMatchObject({
    ok: true,
    data: { booking: { id: onA.id, status: 'active' } },
  });
  expect(await sendAdmin(managerAdmin, 'booking:approve', { bookingId: onB.id })).toMatchObject({
    ok: false,
    error: { code: 'NOT_FOUND' },
  });
  expect(await sendAdmin(managerAdmin, 'booking:decline', { bookingId: onB.id })).toMatchObject({
    ok: false,
    error: { code: 'NOT_FOUND' },
  });
  // On `/` the same person approves as the resource's manager (not a named approver, not staff).
  expect(await send(managerSocket, 'booking:approve', { bookingId: againA.id })).toMatchObject({
    ok: true,
    data: { booking: { id: againA.id, status: 'active' } },
  });
  expect(await send(managerSocket, 'booking:approve', { bookingId: onB.id })).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });
  // B's request is still undecided: staff decide it.
  expect(await sendAdmin(staff, 'booking:approve', { bookingId: onB.id })).toMatchObject({
    ok: true,
    data: { booking: { status: 'active' } },
  });
});

test('a request tells the resource’s managers, and a manager’s own booking of it needs no approval', async () => {
  const requester = await registerUser(h.node.url, 'asker');
  const [asking, managing] = await Promise.all([
    connectClient(h.node.url, requester.token),
    connectClient(h.node.url, manager.token),
  ]);
  closers.push(asking, managing);
  const request = unwrap(await send(asking, 'booking:create', { resourceId: roomA.id, ...slot(80) })).booking;
  expect(request.status).toBe('pending');
  // One `booking.requested` per approver, written in the request's transaction: the manager has one.
  const told = await h.node.models.Outbox.find({ bookingId: request.id, type: 'booking.requested' }).lean();
  expect(told.map((e) => String(e.recipientId))).toContain(manager.user.id);
  expect(told.map((e) => String(e.recipientId))).not.toContain(requester.user.id);
  // A manager approves the resource, so their own booking of it is active at once, also as a series.
  const own = unwrap(await send(managing, 'booking:create', { resourceId: roomA.id, ...slot(82) })).booking;
  expect(own.status).toBe('active');
  const series = unwrap(
    await send(managing, 'booking:createSeries', {
      resourceId: roomA.id,
      ...slot(100),
      repeat: { every: 'day', count: 2 },
      onConflict: 'skip',
    }),
  );
  expect(series.bookings.map((b) => b.status)).toEqual(['active', 'active']);
});

test('leaving the managers group closes the /admin socket, and it may not come back', async () => {
  unwrap(await sendAdmin(staff, 'user:setGroups', { userId: manager.user.id, groupIds: [] }));
  await waitFor('the manager’s /admin socket closed', () => managerAdmin.disconnected, 5000);
  await expect(connectAdmin(h.node.url, await login(manager.user.email))).rejects.toThrow('FORBIDDEN');
});
