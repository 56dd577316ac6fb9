/**
 * Resource access on `/` (docs/protocol.md "Identity, groups and access", issue 27 part 2): lists,
 * availability, booking and waitlist commands, slots:find and slots:watch, validation of `access`,
 * broadcasts after a restriction, and a group change closing the person's socket.
 */
import type { AuthResult, Group, Resource, SlotChanged } from '@booking/shared';
import { http, loginStaff, registerUser, send, sendAdmin, slot, unwrap } from '../../test/support/harness';
import type { AdminSocket, ClientSocket } from '../../test/support/harness';
import { nextSlotChange } from '../../test/support/broadcast';
import { useHarness, useSockets } from '../../test/support/suite';
import { waitFor } from '../../test/support/wait';

const UNKNOWN_ID = '665f1c2e8b3a4d00123456ff';

const h = useHarness({ label: 'access' });
const sockets = useSockets('each');
const kept = useSockets('all');

let staffToken: string;
let admin: AdminSocket;
let g1: Group;
let g2: Group;
let open: Resource;
let restricted: Resource;
let viewOnly: Resource;
/** Users in G1, in G2, in no group (tokens after their groups were set). */
let u1: AuthResult;
let u2: AuthResult;
let u0: AuthResult;

async function login(email: string): Promise<AuthResult> {
  const res = await http<AuthResult>(h.node.url, '/api/auth/login', { body: { email, password: 'password123' } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return res.body;
}

async function inGroups(name: string, groups: Group[]): Promise<AuthResult> {
  const person = await registerUser(h.node.url, name);
  if (groups.length === 0) return person;
  unwrap(await sendAdmin(admin, 'user:setGroups', { userId: person.user.id, groupIds: groups.map((g) => g.id) }));
  return login(person.user.email);
}

async function resource(name: string, access: unknown): Promise<Resource> {
  const res = await http<{ resource: Resource }>(h.node.url, '/api/resources', {
    body: { name, type: 'room', ...(access === undefined ? {} : { access }) },
    token: staffToken,
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.resource;
}

const names = (list: Resource[]): string[] => list.map((r) => r.name).sort();

beforeAll(async () => {
  staffToken = (await loginStaff(h.node.url)).token;
  admin = await kept.admin(h.node.url, staffToken);
  g1 = unwrap(await sendAdmin(admin, 'group:create', { name: 'G1' })).group;
  g2 = unwrap(await sendAdmin(admin, 'group:create', { name: 'G2' })).group;
  open = await resource('Open', undefined);
  restricted = await resource('Restricted', { visibleTo: [g1.id] });
  viewOnly = await resource('ViewOnly', { bookableBy: [g2.id] });
  u1 = await inGroups('u1', [g1]);
  u2 = await inGroups('u2', [g2]);
  u0 = await inGroups('u0', []);
});

describe('who sees what', () => {
  it('resources:list and GET /api/resources answer each person the resources they may view, with access', async () => {
    const expected: Array<[AuthResult, string[]]> = [
      [u1, ['Open', 'Restricted', 'ViewOnly']],
      [u2, ['Open', 'ViewOnly']],
      [u0, ['Open', 'ViewOnly']],
    ];
    for (const [person, want] of expected) {
      const socket = await sockets.client(h.node.url, person.token);
      expect(names(unwrap(await send(socket, 'resources:list', {})).resources)).toEqual(want);
      const res = await http<{ resources: Resource[] }>(h.node.url, '/api/resources', { token: person.token });
      expect([res.status, names(res.body.resources)]).toEqual([200, want]);
    }
    const socket = await sockets.client(h.node.url, u1.token);
    const listed = unwrap(await send(socket, 'resources:list', {})).resources.find((r) => r.id === restricted.id);
    expect(listed?.access).toEqual({ visibleTo: [g1.id], bookableBy: null, managers: [] });
  });

  it('availability:get is NOT_FOUND for a hidden resource, as for an unknown id', async () => {
    const range = { from: slot(1).start, to: slot(5).start };
    const s0 = await sockets.client(h.node.url, u0.token);
    const s1 = await sockets.client(h.node.url, u1.token);
    const hidden = await send(s0, 'availability:get', { resourceId: restricted.id, ...range });
    const unknown = await send(s0, 'availability:get', { resourceId: UNKNOWN_ID, ...range });
    expect(hidden).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(hidden).toEqual(unknown);
    expect((await send(s1, 'availability:get', { resourceId: restricted.id, ...range })).ok).toBe(true);
    expect((await send(s0, 'availability:get', { resourceId: viewOnly.id, ...range })).ok).toBe(true);
  });
});

describe('booking and waitlist commands', () => {
  const series = (resourceId: string, hours: number) => ({
    resourceId,
    ...slot(hours),
    repeat: { every: 'day' as const, count: 2 },
    onConflict: 'fail' as const,
  });

  it('NOT_FOUND on a hidden resource, FORBIDDEN (notBookable) on a view-only one, success where bookable', async () => {
    const s0 = await sockets.client(h.node.url, u0.token);
    const s1 = await sockets.client(h.node.url, u1.token);
    const s2 = await sockets.client(h.node.url, u2.token);
    const notFound = { ok: false, error: { code: 'NOT_FOUND' } };
    const forbidden = { ok: false, error: { code: 'FORBIDDEN', details: { reason: 'notBookable' } } };
    for (const socket of [s0, s2]) {
      expect(await send(socket, 'booking:create', { resourceId: restricted.id, ...slot(10) })).toMatchObject(notFound);
      expect(await send(socket, 'booking:hold', { resourceId: restricted.id, ...slot(10) })).toMatchObject(notFound);
      expect(await send(socket, 'booking:createSeries', series(restricted.id, 10))).toMatchObject(notFound);
      expect(await send(socket, 'waitlist:join', { resourceId: restricted.id, ...slot(10) })).toMatchObject(notFound);
    }
    for (const socket of [s0, s1]) {
      expect(await send(socket, 'booking:create', { resourceId: viewOnly.id, ...slot(11) })).toMatchObject(forbidden);
      expect(await send(socket, 'booking:hold', { resourceId: viewOnly.id, ...slot(11) })).toMatchObject(forbidden);
      expect(await send(socket, 'booking:createSeries', series(viewOnly.id, 11))).toMatchObject(forbidden);
      expect(await send(socket, 'waitlist:join', { resourceId: viewOnly.id, ...slot(11) })).toMatchObject(forbidden);
    }
    // Where bookable: u1 on Restricted, u2 on ViewOnly, everyone on Open.
    expect(unwrap(await send(s1, 'booking:create', { resourceId: restricted.id, ...slot(12) })).booking.status).toBe(
      'active',
    );
    expect(unwrap(await send(s1, 'booking:hold', { resourceId: restricted.id, ...slot(13) })).booking.status).toBe(
      'held',
    );
    expect(unwrap(await send(s1, 'booking:createSeries', series(restricted.id, 14))).bookings).toHaveLength(2);
    expect(unwrap(await send(s2, 'booking:create', { resourceId: viewOnly.id, ...slot(12) })).booking.status).toBe(
      'active',
    );
    expect(unwrap(await send(s2, 'booking:hold', { resourceId: viewOnly.id, ...slot(13) })).booking.status).toBe(
      'held',
    );
    expect(unwrap(await send(s2, 'booking:createSeries', series(viewOnly.id, 14))).bookings).toHaveLength(2);
    unwrap(await send(s0, 'booking:create', { resourceId: open.id, ...slot(12) }));
    // Joining a waitlist needs a taken slot: u1 waits on Restricted (u1's own 12h booking), u2 on Open (u0's).
    const joined = unwrap(await send(s1, 'waitlist:join', { resourceId: restricted.id, ...slot(12) }));
    expect(joined.entry.resourceId).toBe(restricted.id);
    expect(unwrap(await send(s2, 'waitlist:join', { resourceId: open.id, ...slot(12) })).entry.resourceId).toBe(
      open.id,
    );
  });

  it('booking:modify of one’s own booking is FORBIDDEN once the person may no longer book the resource', async () => {
    const room = await resource('Shrinking', { bookableBy: [g2.id] });
    const s2 = await sockets.client(h.node.url, u2.token);
    const mine = unwrap(await send(s2, 'booking:create', { resourceId: room.id, ...slot(20) })).booking;
    unwrap(await sendAdmin(admin, 'resource:update', { id: room.id, access: { bookableBy: [g1.id] } }));
    expect(await send(s2, 'booking:modify', { bookingId: mine.id, ...slot(21) })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { reason: 'notBookable' } },
    });
    // Cancelling stays possible (one's own booking), and the booking was not moved.
    const cancelled = unwrap(await send(s2, 'booking:cancel', { bookingId: mine.id })).booking;
    expect([cancelled.start, cancelled.status]).toEqual([mine.start, 'cancelled']);
  });
});

describe('slots:find', () => {
  const range = () => ({ from: slot(30).start, to: slot(40).start, minutes: 60 });

  it('answers only resources the person may book, and a hidden id as an unknown one', async () => {
    const ids = async (token: string, extra: object = {}): Promise<string[]> => {
      const socket = await sockets.client(h.node.url, token);
      const found = unwrap(await send(socket, 'slots:find', { ...range(), ...extra })).slots;
      return [...new Set(found.map((f) => f.resourceId))];
    };
    const mine = (list: string[]) => list.filter((id) => [open.id, restricted.id, viewOnly.id].includes(id)).sort();
    expect(mine(await ids(u0.token))).toEqual([open.id]);
    expect(mine(await ids(u1.token))).toEqual([open.id, restricted.id].sort());
    expect(mine(await ids(u2.token))).toEqual([open.id, viewOnly.id].sort());
    const s0 = await sockets.client(h.node.url, u0.token);
    const hidden = await send(s0, 'slots:find', { ...range(), resourceIds: [restricted.id] });
    const unknown = await send(s0, 'slots:find', { ...range(), resourceIds: [UNKNOWN_ID] });
    expect(hidden).toEqual(unknown);
    expect(await ids(u1.token, { resourceIds: [restricted.id] })).toEqual([restricted.id]);
  });
});

describe('access validation and update', () => {
  it('an unknown group is VALIDATION_ERROR at access.visibleTo.0; access is replaced whole and null clears it', async () => {
    const bad = await http<{ error: { code: string; details: Array<{ path: string }> } }>(
      h.node.url,
      '/api/resources',
      {
        body: { name: 'Bad', type: 'room', access: { visibleTo: [UNKNOWN_ID] } },
        token: staffToken,
      },
    );
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect(bad.body.error.details.map((d) => d.path)).toContain('access.visibleTo.0');

    const room = await resource('Replaced', { visibleTo: [g1.id], bookableBy: [g1.id], managers: [g2.id] });
    const badUpdate = await sendAdmin(admin, 'resource:update', {
      id: room.id,
      access: { bookableBy: [g1.id, UNKNOWN_ID] },
    });
    expect(badUpdate).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR', details: [{ path: 'access.bookableBy.1' }] },
    });
    const replaced = unwrap(
      await sendAdmin(admin, 'resource:update', { id: room.id, access: { bookableBy: [g2.id] } }),
    );
    expect(replaced.resource.access).toEqual({ visibleTo: null, bookableBy: [g2.id], managers: [] });
    const renamed = unwrap(await sendAdmin(admin, 'resource:update', { id: room.id, name: 'Replaced again' }));
    expect(renamed.resource.access).toEqual({ visibleTo: null, bookableBy: [g2.id], managers: [] });
    const cleared = unwrap(await sendAdmin(admin, 'resource:update', { id: room.id, access: null }));
    expect(cleared.resource.access).toBeNull();
    const s0 = await sockets.client(h.node.url, u0.token);
    unwrap(await send(s0, 'booking:create', { resourceId: room.id, ...slot(50) }));
  });
});

describe('broadcasts and group changes', () => {
  it('a watcher stops hearing slot:changed of a resource restricted away from them; other events keep arriving', async () => {
    const watched = await resource('Watched', undefined);
    const barrierRoom = await resource('Barrier', undefined);
    const s0 = await sockets.client(h.node.url, u0.token);
    const s1 = await sockets.client(h.node.url, u1.token);
    expect(await send(s0, 'slots:watch', { resourceIds: [watched.id, barrierRoom.id] })).toEqual({
      ok: true,
      data: {},
    });
    const heard: SlotChanged[] = [];
    s0.on('slot:changed', (e) => heard.push(e));

    const first = nextSlotChange(s0, (e) => e.resourceId === watched.id);
    unwrap(await send(s1, 'booking:create', { resourceId: watched.id, ...slot(60) }));
    await first;

    unwrap(await sendAdmin(admin, 'resource:update', { id: watched.id, access: { visibleTo: [g1.id] } }));
    const hidden = unwrap(await send(s1, 'booking:create', { resourceId: watched.id, ...slot(61) })).booking;
    const barrier = nextSlotChange(s0, (e) => e.resourceId === barrierRoom.id);
    const barrierBooking = unwrap(
      await send(s1, 'booking:create', { resourceId: barrierRoom.id, ...slot(61) }),
    ).booking;
    expect((await barrier).bookingId).toBe(barrierBooking.id);
    expect(heard.map((e) => e.bookingId)).not.toContain(hidden.id);
    expect(heard.filter((e) => e.resourceId === watched.id)).toHaveLength(1);
  });

  it('user:setGroups closes the person’s / socket within 5 s, and the reconnection sees the new list', async () => {
    const person = await registerUser(h.node.url, 'mover');
    const socket: ClientSocket = await sockets.client(h.node.url, person.token);
    expect(names(unwrap(await send(socket, 'resources:list', {})).resources)).not.toContain('Restricted');
    unwrap(await sendAdmin(admin, 'user:setGroups', { userId: person.user.id, groupIds: [g1.id] }));
    await waitFor('the person’s socket closed', () => socket.disconnected, 5000);
    const again = await login(person.user.email);
    expect(again.user.groups).toEqual([g1.id]);
    const reconnected = await sockets.client(h.node.url, again.token);
    expect(names(unwrap(await send(reconnected, 'resources:list', {})).resources)).toContain('Restricted');
    const booked = await send(reconnected, 'booking:create', { resourceId: restricted.id, ...slot(70) });
    expect(booked.ok).toBe(true);
  });
});
