import type { Resource } from '@booking/shared';
import {
  connectClient,
  createResource,
  loginStaff,
  registerUser,
  send,
  sendRaw,
  slot,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { ClientSocket } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { waitFor } from '../../test/support/wait';

const h = useHarness({ label: 'garbage', node: { rateLimit: { points: 10_000, durationSec: 1 } } });
const sockets = useSockets('all');
let socket: ClientSocket;
let room: Resource;

beforeAll(async () => {
  room = await createResource(h.node.url, (await loginStaff(h.node.url)).token, 'Garbage room');
  socket = await sockets.client(h.node.url, (await registerUser(h.node.url, 'fuzzer')).token);
});

/** Values that are not a payload object at all. */
const NOT_OBJECTS: unknown[] = [
  null,
  0,
  1,
  -1,
  3.14,
  1e308,
  '',
  'x',
  'a'.repeat(10_000),
  '{}',
  '[]',
  true,
  false,
  [],
  [1],
  [{}],
  [null],
  [[]],
  ['resourceId'],
  [{ resourceId: 'x' }],
  'null',
  'undefined',
  '__proto__',
  -0,
];
/** Values no field of any command accepts. */
const BAD_FIELDS: unknown[] = [null, 5, true, {}, [], '', 'x'.repeat(5000), { $ne: null }, ['2027-01-01T00:00:00Z']];

function malformedPayloads(valid: Record<string, unknown>, required: string[]): unknown[] {
  const out: unknown[] = [...NOT_OBJECTS];
  for (const field of required) {
    const { [field]: _dropped, ...rest } = valid;
    out.push(rest);
    for (const bad of BAD_FIELDS) out.push({ ...valid, [field]: bad });
  }
  // Own `__proto__` and `constructor` keys, as JSON.parse produces them from a hostile client.
  out.push(JSON.parse(`{"__proto__": ${JSON.stringify(valid)}}`));
  out.push({
    ...(JSON.parse('{"__proto__": {"polluted": true}}') as object),
    ...Object.fromEntries(required.map((f) => [f, 7])),
  });
  out.push({ constructor: { prototype: { polluted: true } } });
  return out;
}

describe('malformed commands', () => {
  const iv = slot(5);
  const ids = { bookingId: 'aaaaaaaaaaaaaaaaaaaaaaaa', resourceId: 'bbbbbbbbbbbbbbbbbbbbbbbb' };
  const commands: Array<[string, Record<string, unknown>, string[]]> = [
    ['resources:list', {}, []],
    ['bookings:mine', {}, []],
    ['availability:get', { resourceId: ids.resourceId, from: iv.start, to: iv.end }, ['resourceId', 'from', 'to']],
    ['booking:create', { resourceId: ids.resourceId, ...iv }, ['resourceId', 'start', 'end']],
    ['booking:cancel', { bookingId: ids.bookingId }, ['bookingId']],
    ['booking:modify', { bookingId: ids.bookingId, ...iv }, ['bookingId', 'start', 'end']],
  ];

  it.each(commands)(
    '%s: every malformed payload gets VALIDATION_ERROR and changes nothing',
    async (event, valid, required) => {
      const payloads = malformedPayloads(valid, required);
      // Empty-payload commands also refuse unknown keys.
      if (required.length === 0)
        payloads.push(
          { x: 1 },
          { resourceId: 'x' },
          { a: null },
          { '': '' },
          { toString: 'x' },
          { __proto__: null, y: 2 },
        );
      expect(payloads.length).toBeGreaterThanOrEqual(30);
      const bookingsBefore = await h.node.models.Booking.countDocuments({});
      for (const payload of payloads) {
        const ack = await sendRaw(socket, event, [payload]);
        expect({ payload, ack }).toMatchObject({ ack: { ok: false, error: { code: 'VALIDATION_ERROR' } } });
      }
      // No payload at all, only the ack.
      expect(await sendRaw(socket, event, [])).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
      expect(await h.node.models.Booking.countDocuments({})).toBe(bookingsBefore);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      // The node keeps answering.
      expect(unwrap(await send(socket, 'resources:list', {})).resources.map((r) => r.id)).toContain(room.id);
    },
  );

  it('survives commands without an ack, unknown events and oversized messages', async () => {
    const raw = socket as unknown as { emit(ev: string, ...args: unknown[]): void };
    raw.emit('booking:create', { resourceId: room.id, ...slot(6) }); // no ack: nothing can be told, nothing is done
    raw.emit('booking:create');
    raw.emit('no:such:event', { x: 1 }, () => undefined);
    expect(unwrap(await send(socket, 'resources:list', {})).resources.length).toBeGreaterThan(0);
    expect(await h.node.models.Booking.countDocuments({ resourceId: room.id })).toBe(0);

    // A message over the payload cap closes that client's connection, and only that one.
    const big = await connectClient(h.node.url, (await registerUser(h.node.url, 'big')).token);
    const closed = new Promise<string>((resolve) => big.once('disconnect', (reason) => resolve(reason)));
    (big as unknown as { emit(ev: string, ...args: unknown[]): void }).emit(
      'booking:create',
      { resourceId: 'x'.repeat(100_000) },
      () => undefined,
    );
    expect(await closed).toMatch(/transport (close|error)/);
    expect(unwrap(await send(socket, 'resources:list', {})).resources.length).toBeGreaterThan(0);
    await waitFor('healthz 200', async () => (await fetch(`${h.node.url}/healthz`)).status === 200);
    // Malformed JSON over HTTP is a clear error, not a crash.
    const res = await fetch(`${h.node.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
  });
});

describe('rate limit', () => {
  it('answers RATE_LIMITED past the per-socket budget, and other sockets are unaffected', async () => {
    const limited = await startHarness({ label: 'ratelimit', node: { rateLimit: { points: 5, durationSec: 60 } } });
    try {
      const [u1, u2] = await Promise.all([registerUser(limited.node.url, 'r1'), registerUser(limited.node.url, 'r2')]);
      const s1 = await connectClient(limited.node.url, u1.token);
      const s2 = await connectClient(limited.node.url, u2.token);
      const acks = await Promise.all(Array.from({ length: 8 }, () => send(s1, 'resources:list', {})));
      expect(acks.filter((a) => a.ok)).toHaveLength(5);
      expect(acks.filter((a) => !a.ok).map((a) => (a.ok ? '' : a.error.code))).toEqual([
        'RATE_LIMITED',
        'RATE_LIMITED',
        'RATE_LIMITED',
      ]);
      expect((await send(s2, 'resources:list', {})).ok).toBe(true);
      s1.close();
      s2.close();
    } finally {
      await limited.close();
    }
  });
});
