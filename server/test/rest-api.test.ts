/**
 * (v3, issue 28) The HTTP booking API and API keys: the same codes as the socket commands for the
 * same inputs, `Idempotency-Key` across two nodes, cursor paging exactly once while bookings are
 * added, key scopes (403), revocation (401 at once on both nodes), and `bk_` refused on sockets.
 */
import type { Booking } from '@booking/shared';
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
import type { AdminSocket, ClientSocket } from '../../test/support/harness';
import { useHarness } from '../../test/support/suite';

const h = useHarness({ label: 'rest', count: 2 });

type Json = Record<string, unknown>;
interface Answer {
  status: number;
  body: Json;
}

async function rest(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; key?: string } = {},
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.key ? { 'idempotency-key': opts.key } : {}),
    },
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}
const codeOf = (a: Answer) => (a.status < 300 ? 'ok' : String((a.body.error as Json | undefined)?.code));
const bookingOf = (a: Answer) => a.body.booking as Booking;

let staffToken: string;
let admin: AdminSocket;
async function newKey(scopes: string[]): Promise<{ id: string; secret: string }> {
  const { key, secret } = unwrap(
    await sendAdmin(admin, 'apiKey:create', { name: `key ${scopes.join(' ')}`, scopes: scopes as never }),
  );
  return { id: key.id, secret };
}

beforeAll(async () => {
  staffToken = (await loginStaff(h.node.url)).token;
  admin = await connectAdmin(h.node.url, staffToken);
});
afterAll(() => admin.close());

describe('API keys', () => {
  it('a key is shown once as bk_ + 32 bytes, listed without its secret, and its use sets lastUsedAt', async () => {
    const { id, secret } = await newKey(['resources:read']);
    expect(secret).toMatch(/^bk_[A-Za-z0-9_-]{43}$/);
    const before = unwrap(await sendAdmin(admin, 'apiKey:list', {})).keys.find((k) => k.id === id);
    expect(before).toMatchObject({ id, scopes: ['resources:read'], lastUsedAt: null });
    expect(JSON.stringify(before)).not.toContain(secret.slice(3));
    expect((await rest(h.node.url, 'GET', '/api/resources', { token: secret })).status).toBe(200);
    // Written after the answer (not awaited by it): poll the list until it shows.
    let used: string | null = null;
    for (let i = 0; i < 50 && !used; i += 1) {
      used = unwrap(await sendAdmin(admin, 'apiKey:list', {})).keys.find((k) => k.id === id)?.lastUsedAt ?? null;
    }
    expect(used).not.toBeNull();
  });

  it('scopes: a request outside them answers 403 FORBIDDEN; a person is not limited by them', async () => {
    const reader = await newKey(['resources:read']);
    const books = await newKey(['bookings:read']);
    const range = `from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 864e5).toISOString())}`;
    expect(codeOf(await rest(h.node.url, 'GET', `/api/bookings?${range}`, { token: reader.secret }))).toBe('FORBIDDEN');
    expect(codeOf(await rest(h.node.url, 'GET', `/api/bookings?${range}`, { token: books.secret }))).toBe('ok');
    expect(codeOf(await rest(h.node.url, 'POST', '/api/bookings', { token: books.secret, body: {} }))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await rest(h.node.url, 'GET', '/api/resources', { token: reader.secret }))).toBe('ok');
    const none = await newKey(['reports:read']);
    expect((await rest(h.node.url, 'GET', '/api/resources', { token: none.secret })).status).toBe(403);
    const user = await registerUser(h.node.url, 'scopes');
    expect(codeOf(await rest(h.node.url, 'GET', `/api/bookings?${range}`, { token: user.token }))).toBe('ok');
  });

  it('a revoked key answers 401 at once on both nodes; an unknown bk_ too', async () => {
    const key = await newKey(['resources:read']);
    for (const node of h.nodes)
      expect((await rest(node.url, 'GET', '/api/resources', { token: key.secret })).status).toBe(200);
    unwrap(await sendAdmin(admin, 'apiKey:revoke', { id: key.id }));
    for (const node of h.nodes) {
      const res = await rest(node.url, 'GET', '/api/resources', { token: key.secret });
      expect([res.status, codeOf(res)]).toEqual([401, 'UNAUTHORIZED']);
    }
    expect(
      unwrap(await sendAdmin(admin, 'apiKey:list', {})).keys.find((k) => k.id === key.id)?.revokedAt,
    ).toBeDefined();
    expect((await rest(h.node.url, 'GET', '/api/resources', { token: `bk_${'A'.repeat(43)}` })).status).toBe(401);
    const unknown = await sendAdmin(admin, 'apiKey:revoke', { id: '665f1c2e8b3a4d0012345699' });
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('NOT_FOUND');
  });

  it('a bk_ key on a Socket.IO handshake is UNAUTHORIZED, on / and on /admin', async () => {
    const key = await newKey(['bookings:read', 'bookings:write']);
    await expect(connectClient(h.node.url, key.secret)).rejects.toThrow('UNAUTHORIZED');
    await expect(connectAdmin(h.node.url, key.secret)).rejects.toThrow('UNAUTHORIZED');
  });

  it('apiKey:* are staff only: a manager on /admin is FORBIDDEN, a person who manages nothing is not admitted', async () => {
    const group = unwrap(await sendAdmin(admin, 'group:create', { name: 'Key test managers' })).group;
    await createResource(h.node.url, staffToken, 'Managed room', {
      access: { visibleTo: null, bookableBy: null, managers: [group.id] },
    });
    const person = await registerUser(h.node.url, 'key-manager');
    unwrap(await sendAdmin(admin, 'user:setGroups', { userId: person.user.id, groupIds: [group.id] }));
    const login = await rest(h.node.url, 'POST', '/api/auth/login', {
      body: { email: person.user.email, password: 'password123' },
    });
    const managerAdmin = await connectAdmin(h.node.url, String(login.body.token));
    try {
      const codes = [
        codeAck(await sendAdmin(managerAdmin, 'apiKey:create', { name: 'sneaky', scopes: ['bookings:read'] })),
        codeAck(await sendAdmin(managerAdmin, 'apiKey:list', {})),
        codeAck(await sendAdmin(managerAdmin, 'apiKey:revoke', { id: '665f1c2e8b3a4d0012345699' })),
      ];
      expect(codes).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    } finally {
      managerAdmin.close();
    }
    const user = await registerUser(h.node.url, 'notstaff');
    await expect(connectAdmin(h.node.url, user.token)).rejects.toThrow(/FORBIDDEN|UNAUTHORIZED/);
  });
});

describe('HTTP booking API', () => {
  let socket: ClientSocket;
  afterEach(() => socket?.close());

  it('answers the same codes as the socket commands for the same inputs (a table run both ways)', async () => {
    const user = await registerUser(h.node.url, 'parity');
    const other = await registerUser(h.node.url, 'parity-other');
    socket = await connectClient(h.node.url, user.token);
    const otherSocket = await connectClient(h.node.url, other.token);
    try {
      /** One world per way: its own resource, the caller's booking and someone else's. */
      const world = async (name: string) => {
        const resource = await createResource(h.node.url, staffToken, name);
        const mine = unwrap(await send(socket, 'booking:create', { resourceId: resource.id, ...slot(30) })).booking;
        const theirs = unwrap(
          await send(otherSocket, 'booking:create', { resourceId: resource.id, ...slot(40) }),
        ).booking;
        return { resource, mine, theirs };
      };
      type World = Awaited<ReturnType<typeof world>>;
      const unknownId = '665f1c2e8b3a4d0012345698';
      const cases: Array<{
        name: string;
        socket: (w: World) => Promise<string>;
        rest: (w: World) => Promise<string>;
        expected: string;
      }> = [
        {
          name: 'create',
          expected: 'ok',
          socket: async (w) =>
            codeAck(await send(socket, 'booking:create', { resourceId: w.resource.id, ...slot(50) })),
          rest: async (w) =>
            codeOf(
              await rest(h.node.url, 'POST', '/api/bookings', {
                token: user.token,
                body: { resourceId: w.resource.id, ...slot(50) },
              }),
            ),
        },
        {
          name: 'create on a taken slot',
          expected: 'SLOT_TAKEN',
          socket: async (w) =>
            codeAck(await send(socket, 'booking:create', { resourceId: w.resource.id, ...slot(40) })),
          rest: async (w) =>
            codeOf(
              await rest(h.node.url, 'POST', '/api/bookings', {
                token: user.token,
                body: { resourceId: w.resource.id, ...slot(40) },
              }),
            ),
        },
        {
          name: 'create on an unknown resource',
          expected: 'NOT_FOUND',
          socket: async () => codeAck(await send(socket, 'booking:create', { resourceId: unknownId, ...slot(60) })),
          rest: async () =>
            codeOf(
              await rest(h.node.url, 'POST', '/api/bookings', {
                token: user.token,
                body: { resourceId: unknownId, ...slot(60) },
              }),
            ),
        },
        {
          name: 'create with end before start',
          expected: 'VALIDATION_ERROR',
          socket: async (w) =>
            codeAck(
              await send(socket, 'booking:create', {
                resourceId: w.resource.id,
                start: slot(62).end,
                end: slot(62).start,
              }),
            ),
          rest: async (w) =>
            codeOf(
              await rest(h.node.url, 'POST', '/api/bookings', {
                token: user.token,
                body: { resourceId: w.resource.id, start: slot(62).end, end: slot(62).start },
              }),
            ),
        },
        {
          name: "cancel someone else's booking",
          expected: 'FORBIDDEN',
          socket: async (w) => codeAck(await send(socket, 'booking:cancel', { bookingId: w.theirs.id })),
          rest: async (w) =>
            codeOf(await rest(h.node.url, 'POST', `/api/bookings/${w.theirs.id}/cancel`, { token: user.token })),
        },
        {
          name: 'cancel an unknown booking',
          expected: 'NOT_FOUND',
          socket: async () => codeAck(await send(socket, 'booking:cancel', { bookingId: unknownId })),
          rest: async () =>
            codeOf(await rest(h.node.url, 'POST', `/api/bookings/${unknownId}/cancel`, { token: user.token })),
        },
        {
          name: 'modify onto a taken slot',
          expected: 'SLOT_TAKEN',
          socket: async (w) => codeAck(await send(socket, 'booking:modify', { bookingId: w.mine.id, ...slot(40) })),
          rest: async (w) =>
            codeOf(
              await rest(h.node.url, 'PATCH', `/api/bookings/${w.mine.id}`, { token: user.token, body: slot(40) }),
            ),
        },
        {
          name: 'check in a day early',
          expected: 'INVALID_STATE',
          socket: async (w) => codeAck(await send(socket, 'booking:checkIn', { bookingId: w.mine.id })),
          rest: async (w) =>
            codeOf(await rest(h.node.url, 'POST', `/api/bookings/${w.mine.id}/check-in`, { token: user.token })),
        },
        {
          // An active booking is confirmed already: both answer it as it is.
          name: 'confirm a booking that is active already',
          expected: 'ok',
          socket: async (w) => codeAck(await send(socket, 'booking:confirm', { bookingId: w.mine.id })),
          rest: async (w) =>
            codeOf(await rest(h.node.url, 'POST', `/api/bookings/${w.mine.id}/confirm`, { token: user.token })),
        },
        {
          name: 'approve as a person who approves nothing',
          expected: 'FORBIDDEN',
          socket: async (w) => codeAck(await send(socket, 'booking:approve', { bookingId: w.theirs.id })),
          rest: async (w) =>
            codeOf(await rest(h.node.url, 'POST', `/api/bookings/${w.theirs.id}/approve`, { token: user.token })),
        },
        {
          name: 'decline as a person who approves nothing',
          expected: 'FORBIDDEN',
          socket: async (w) => codeAck(await send(socket, 'booking:decline', { bookingId: w.theirs.id })),
          rest: async (w) =>
            codeOf(
              await rest(h.node.url, 'POST', `/api/bookings/${w.theirs.id}/decline`, { token: user.token, body: {} }),
            ),
        },
        {
          name: 'cancel own',
          expected: 'ok',
          socket: async (w) => codeAck(await send(socket, 'booking:cancel', { bookingId: w.mine.id })),
          rest: async (w) =>
            codeOf(await rest(h.node.url, 'POST', `/api/bookings/${w.mine.id}/cancel`, { token: user.token })),
        },
      ];
      const viaSocket = await world('Parity socket');
      const viaRest = await world('Parity rest');
      const table: Array<[string, string, string]> = [];
      for (const c of cases) table.push([c.name, await c.socket(viaSocket), await c.rest(viaRest)]);
      expect(table).toEqual(cases.map((c) => [c.name, c.expected, c.expected]));
    } finally {
      otherSocket.close();
    }
  });

  it('Idempotency-Key: two racing requests on two nodes make one booking (one 201, one 200), a repeat 200, another body 400', async () => {
    const user = await registerUser(h.node.url, 'idem');
    const key = await newKey(['bookings:write', 'bookings:read']);
    const resource = await createResource(h.node.url, staffToken, 'Idem room');
    const body = { resourceId: resource.id, ...slot(70), userId: user.user.id };
    const [a, b] = h.nodes.map((node) =>
      rest(node.url, 'POST', '/api/bookings', { token: key.secret, body, key: 'order-42' }),
    );
    const answers = await Promise.all([a, b] as Array<Promise<Answer>>);
    expect(answers.map((x) => x.status).sort()).toEqual([200, 201]);
    expect(bookingOf(answers[0] as Answer).id).toBe(bookingOf(answers[1] as Answer).id);
    expect(bookingOf(answers[0] as Answer)).toMatchObject({ userId: user.user.id, userName: user.user.name });
    // The key is the actor in the booking's history.
    const made = await rest(h.node.url, 'GET', `/api/bookings/${bookingOf(answers[0] as Answer).id}/history`, {
      token: key.secret,
    });
    expect((made.body.events as Json[])[0]).toMatchObject({ actor: { id: key.id, role: 'staff' } });
    const repeat = await rest(h.nodes[1]?.url ?? '', 'POST', '/api/bookings', {
      token: key.secret,
      body,
      key: 'order-42',
    });
    expect([repeat.status, bookingOf(repeat).id]).toEqual([200, bookingOf(answers[0] as Answer).id]);
    const otherBody = await rest(h.node.url, 'POST', '/api/bookings', {
      token: key.secret,
      body: { ...body, ...slot(72) },
      key: 'order-42',
    });
    expect([otherBody.status, codeOf(otherBody)]).toEqual([400, 'VALIDATION_ERROR']);
    // A key must say for whom it books.
    const noUser = await rest(h.node.url, 'POST', '/api/bookings', {
      token: key.secret,
      body: { resourceId: resource.id, ...slot(74) },
    });
    expect([noUser.status, codeOf(noUser)]).toEqual([400, 'VALIDATION_ERROR']);
    const range = `from=${encodeURIComponent(slot(60).start)}&to=${encodeURIComponent(slot(80).end)}&resourceId=${resource.id}`;
    const listed = await rest(h.node.url, 'GET', `/api/bookings?${range}`, { token: key.secret });
    expect((listed.body.bookings as Booking[]).length).toBe(1);
  });

  it('cursor paging hands out every booking exactly once while bookings are added before and after the cursor', async () => {
    const users = await Promise.all([registerUser(h.node.url, 'page-a'), registerUser(h.node.url, 'page-b')]);
    const key = await newKey(['bookings:write', 'bookings:read']);
    const resource = await createResource(h.node.url, staffToken, 'Paging room', { capacity: 3 });
    const book = async (hours: number, i: number) =>
      bookingOf(
        await rest(h.node.url, 'POST', '/api/bookings', {
          token: key.secret,
          body: { resourceId: resource.id, ...slot(hours), userId: users[i % 2]?.user.id },
        }),
      ).id;
    const initial: string[] = [];
    // Several at one start (capacity 3): the order must break ties by id.
    for (let i = 0; i < 9; i += 1) initial.push(await book(100 + Math.floor(i / 3) * 2, i));
    const range = `from=${encodeURIComponent(slot(90).start)}&to=${encodeURIComponent(slot(200).end)}&resourceId=${resource.id}`;
    const seen: string[] = [];
    const added: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Answer = await rest(
        h.nodes[pages % 2]?.url ?? '',
        'GET',
        `/api/bookings?${range}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: key.secret },
      );
      expect(res.status).toBe(200);
      seen.push(...(res.body.bookings as Booking[]).map((b) => b.id));
      cursor = res.body.nextCursor as string | null;
      pages += 1;
      // Meanwhile: one booking before everything (behind the cursor) and one after everything.
      if (pages === 2) {
        await book(95, 0);
        added.push(await book(150, 1));
      }
    } while (cursor && pages < 20);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([...initial, ...added]));
    const bad = await rest(h.node.url, 'GET', `/api/bookings?${range}&cursor=nonsense`, { token: key.secret });
    expect(codeOf(bad)).toBe('VALIDATION_ERROR');
  });

  it('a person lists, gets and reads the history of their own bookings only; staff keys see any with userName', async () => {
    const owner = await registerUser(h.node.url, 'own');
    const stranger = await registerUser(h.node.url, 'stranger');
    const resource = await createResource(h.node.url, staffToken, 'Own room');
    const made = await rest(h.node.url, 'POST', '/api/bookings', {
      token: owner.token,
      body: { resourceId: resource.id, ...slot(120) },
      key: 'p-1',
    });
    expect(made.status).toBe(201);
    const id = bookingOf(made).id;
    expect(bookingOf(await rest(h.node.url, 'GET', `/api/bookings/${id}`, { token: owner.token })).id).toBe(id);
    expect(codeOf(await rest(h.node.url, 'GET', `/api/bookings/${id}`, { token: stranger.token }))).toBe('NOT_FOUND');
    const history = await rest(h.node.url, 'GET', `/api/bookings/${id}/history`, { token: owner.token });
    expect((history.body.events as Json[]).length).toBeGreaterThan(0);
    const key = await newKey(['bookings:read']);
    expect(bookingOf(await rest(h.node.url, 'GET', `/api/bookings/${id}`, { token: key.secret }))).toMatchObject({
      id,
      userName: owner.user.name,
    });
    const avail = await rest(
      h.node.url,
      'GET',
      `/api/resources/${resource.id}/availability?from=${encodeURIComponent(slot(119).start)}&to=${encodeURIComponent(slot(122).end)}`,
      {
        token: key.secret,
      },
    );
    expect(avail.status).toBe(200);
    const modified = await rest(h.node.url, 'PATCH', `/api/bookings/${id}`, { token: owner.token, body: slot(124) });
    expect([modified.status, bookingOf(modified).start]).toEqual([200, slot(124).start]);
  });
});

function codeAck(ack: { ok: true } | { ok: false; error: { code: string } }): string {
  return ack.ok ? 'ok' : ack.error.code;
}
