/**
 * Issue 22, item 1: absurd instants and ranges are refused at once, before any work proportional
 * to them. Before the fix `booking:create {start: 0001-01-01, end: 9999-12-31}` made the node
 * list every local day between the two (3.65 million) and send a Redis command per day, holding
 * the resource's lock, before any policy check.
 *
 * The choices (docs/protocol.md leaves the codes to these rules): a booking longer than 7 days, or
 * with its end not after its start, is VALIDATION_ERROR (a shape error, whatever the policy); a
 * start earlier than now - 1 day is POLICY_VIOLATION `past`, later than now + 3653 days
 * POLICY_VIOLATION `advance`, staff included (they are exempt from the policy's `advance`, not
 * from this window); each occurrence of a series is judged against the same window; the
 * `availability:get` and `slots:find` ranges must lie within ten years of now (VALIDATION_ERROR).
 */
import type { Ack, Resource } from '@booking/shared';
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
import type { AdminSocket, ClientSocket, Harness } from '../../test/support/harness';
import { spawnServerProcess } from '../../test/support/spawn';
import type { ServerProcess } from '../../test/support/spawn';

const DAY = 86_400_000;
const HOUR = 3_600_000;

let h: Harness;
let user: ClientSocket;
let staff: ClientSocket;
let admin: AdminSocket;
let userId: string;
let room: Resource;
let bookingId: string;
const sockets: ClientSocket[] = [];

/** The node's clock runs this far ahead of real time (moved only by the replay test). */
let shift = 0;
const clock = { now: () => new Date(Date.now() + shift) };
const iso = (ms: number) => new Date(ms).toISOString();
/** A whole hour `days` days from now. */
const hourIn = (days: number) => Math.ceil((Date.now() + days * DAY) / HOUR) * HOUR;
const NEVER = { start: '0001-01-01T00:00:00Z', end: '9999-12-31T00:00:00Z' };
const YEAR_ONE = { start: '0001-01-01T00:00:00Z', end: '0001-01-01T01:00:00Z' };
const YEAR_9999 = { start: '9999-12-30T00:00:00Z', end: '9999-12-30T01:00:00Z' };

beforeAll(async () => {
  // The subject is the node's own work per command, not the per-connection budget.
  h = await startHarness({ label: 'absurd', node: { rateLimit: { points: 10_000, durationSec: 1 }, clock } });
  const staffAuth = await loginStaff(h.node.url);
  room = await createResource(h.node.url, staffAuth.token, 'Absurd room');
  const person = await registerUser(h.node.url, 'absurd');
  userId = person.user.id;
  user = await connectClient(h.node.url, person.token);
  staff = await connectClient(h.node.url, staffAuth.token);
  admin = await connectAdmin(h.node.url, staffAuth.token);
  sockets.push(user, staff);
  bookingId = unwrap(await send(user, 'booking:create', { resourceId: room.id, ...slot(30) })).booking.id;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  admin.close();
  await h.close();
});

/** Sends and answers the ack with how long it took. */
async function timed<T>(p: () => Promise<Ack<T>>): Promise<{ ack: Ack<T>; ms: number }> {
  const t0 = performance.now();
  const ack = await p();
  return { ack, ms: performance.now() - t0 };
}

describe('bookings', () => {
  it('a year 0001 to 9999 booking, create or modify, is a shape error at once', async () => {
    for (const socket of [user, staff]) {
      const create = await timed(() => send(socket, 'booking:create', { resourceId: room.id, ...NEVER }, 2000));
      expect(create.ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
      expect(create.ms).toBeLessThan(1000);
      const modify = await timed(() => send(socket, 'booking:modify', { bookingId, ...NEVER }, 2000));
      expect(modify.ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
      expect(modify.ms).toBeLessThan(1000);
    }
    const onBehalf = await sendAdmin(admin, 'booking:create', { resourceId: room.id, userId, ...NEVER }, 2000);
    expect(onBehalf).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
  });

  it('longer than 7 days is VALIDATION_ERROR whatever the policy; exactly 7 days is a policy question', async () => {
    const start = hourIn(3);
    const eight = { start: iso(start), end: iso(start + 7 * DAY + 60_000) };
    expect(await send(staff, 'booking:create', { resourceId: room.id, ...eight })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR' },
    });
    expect(await send(user, 'booking:modify', { bookingId, ...eight })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR' },
    });
    // The default policy allows 24 hours: a week is refused by the policy, not as a shape.
    const week = { start: iso(start), end: iso(start + 7 * DAY) };
    expect(await send(user, 'booking:create', { resourceId: room.id, ...week })).toMatchObject({
      ok: false,
      error: { code: 'POLICY_VIOLATION', details: { rule: 'duration' } },
    });
  });

  it('a start outside [now - 1 day, now + 10 years] breaks past or advance, for staff too', async () => {
    for (const socket of [user, staff]) {
      expect(await send(socket, 'booking:create', { resourceId: room.id, ...YEAR_ONE })).toMatchObject({
        ok: false,
        error: { code: 'POLICY_VIOLATION', details: { rule: 'past' } },
      });
      expect(await send(socket, 'booking:create', { resourceId: room.id, ...YEAR_9999 })).toMatchObject({
        ok: false,
        error: { code: 'POLICY_VIOLATION', details: { rule: 'advance' } },
      });
      expect(await send(socket, 'booking:modify', { bookingId, ...YEAR_9999 })).toMatchObject({
        ok: false,
        error: { code: 'POLICY_VIOLATION', details: { rule: 'advance' } },
      });
    }
    // Staff are exempt from the policy's 365 days, not from the hard window.
    const inTwoYears = hourIn(730);
    const allowed = await send(staff, 'booking:create', {
      resourceId: room.id,
      start: iso(inTwoYears),
      end: iso(inTwoYears + HOUR),
    });
    expect(allowed.ok).toBe(true);
    const past = hourIn(3654);
    expect(
      await send(staff, 'booking:create', { resourceId: room.id, start: iso(past), end: iso(past + HOUR) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'POLICY_VIOLATION', details: { rule: 'advance' } },
    });
    expect(
      await sendAdmin(admin, 'booking:create', {
        resourceId: room.id,
        userId,
        start: iso(past),
        end: iso(past + HOUR),
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'POLICY_VIOLATION', details: { rule: 'advance' } },
    });
  });

  it('a series: an absurd first occurrence is refused at once, and each occurrence is judged against the window', async () => {
    const series = (
      start: string,
      end: string,
      repeat: { every: 'day' | 'week'; count?: number; until?: string; interval?: number },
    ) => send(staff, 'booking:createSeries', { resourceId: room.id, start, end, repeat, onConflict: 'skip' }, 2000);
    expect(await series(NEVER.start, NEVER.end, { every: 'day', count: 100 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR' },
    });
    expect(await series(YEAR_ONE.start, YEAR_ONE.end, { every: 'week', until: '9999-12-31' })).toMatchObject({
      ok: false,
      error: { code: 'POLICY_VIOLATION', details: { rule: 'past' } },
    });
    expect(await series(YEAR_9999.start, YEAR_9999.end, { every: 'day', count: 3 })).toMatchObject({
      ok: false,
      error: { code: 'POLICY_VIOLATION', details: { rule: 'advance' } },
    });
    // A far `until` meets the 100-occurrence cap, not a walk to year 9999.
    const soon = hourIn(40);
    expect(
      await series(iso(soon), iso(soon + HOUR), { every: 'week', interval: 4, until: '9999-12-31' }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    // Four-weekly from 3640 days ahead: the first occurrence is inside the window, the later ones
    // are not (staff too).
    const edge = hourIn(3640);
    const result = unwrap(await series(iso(edge), iso(edge + HOUR), { every: 'week', interval: 4, count: 3 }));
    expect(result.bookings).toHaveLength(1);
    expect(result.skipped).toHaveLength(2);
    for (const s of result.skipped) expect(s).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'advance' });
  });
});

describe('idempotent repeats', () => {
  it('a repeat answers its first result even once its start has left the hard window', async () => {
    const start = hourIn(1);
    const iv = { start: iso(start), end: iso(start + HOUR) };
    const first = unwrap(
      await send(user, 'booking:create', { resourceId: room.id, ...iv, idempotencyKey: 'absurd-replay' }),
    ).booking;
    const series = unwrap(
      await send(user, 'booking:createSeries', {
        resourceId: room.id,
        start: iso(start + 2 * HOUR),
        end: iso(start + 3 * HOUR),
        repeat: { every: 'day', count: 2 },
        onConflict: 'fail',
        idempotencyKey: 'absurd-series',
      }),
    );
    shift = 3 * DAY;
    try {
      expect(
        unwrap(await send(user, 'booking:create', { resourceId: room.id, ...iv, idempotencyKey: 'absurd-replay' }))
          .booking.id,
      ).toBe(first.id);
      const again = unwrap(
        await send(user, 'booking:createSeries', {
          resourceId: room.id,
          start: iso(start + 2 * HOUR),
          end: iso(start + 3 * HOUR),
          repeat: { every: 'day', count: 2 },
          onConflict: 'fail',
          idempotencyKey: 'absurd-series',
        }),
      );
      expect(again.seriesId).toBe(series.seriesId);
      // Without its key the same interval is now in the past: refused by the window.
      expect(await send(user, 'booking:create', { resourceId: room.id, ...iv })).toMatchObject({
        ok: false,
        error: { code: 'POLICY_VIOLATION', details: { rule: 'past' } },
      });
    } finally {
      shift = 0;
    }
  });
});

describe('queries', () => {
  it('availability:get and slots:find ranges outside ten years of now are VALIDATION_ERROR', async () => {
    const cases: Array<{ from: string; to: string }> = [
      { from: '0001-01-01T00:00:00Z', to: '0001-01-31T00:00:00Z' },
      { from: '9999-12-01T00:00:00Z', to: '9999-12-31T00:00:00Z' },
      { from: iso(hourIn(3660)), to: iso(hourIn(3661)) },
    ];
    for (const range of cases) {
      const a = await timed(() => send(user, 'availability:get', { resourceId: room.id, ...range }, 2000));
      expect(a.ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
      expect(a.ms).toBeLessThan(1000);
      const s = await timed(() => send(staff, 'slots:find', { ...range, minutes: 10_080 }, 2000));
      expect(s.ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
      expect(s.ms).toBeLessThan(1000);
    }
    // A month of history and a month nine years ahead are fine.
    expect(
      (await send(user, 'availability:get', { resourceId: room.id, from: iso(hourIn(-30)), to: iso(hourIn(0)) })).ok,
    ).toBe(true);
    expect((await send(user, 'slots:find', { from: iso(hourIn(3285)), to: iso(hourIn(3300)), minutes: 60 })).ok).toBe(
      true,
    );
  });
});

describe('a flood of absurd commands', () => {
  // The node runs in a process of its own, so /healthz measures its event loop, not this test's
  // (which encodes and decodes the 200 commands); at its default budgets, hence five people of 40
  // commands each (under 50 per connection and 100 per person per second).
  let node: ServerProcess;
  afterAll(async () => {
    await node?.stop();
  });

  it('200 at once from a few sockets are all refused, and /healthz answers within 200 ms throughout', async () => {
    node = await spawnServerProcess({ kind: 'node', env: { LOG_LEVEL: 'warn' } });
    const staffAuth = await loginStaff(node.url);
    const target = await createResource(node.url, staffAuth.token, 'Flood room');
    const people = await Promise.all([0, 1, 2, 3, 4].map(() => registerUser(node.url, 'flood')));
    const floods = await Promise.all(people.map((p) => connectClient(node.url, p.token)));
    sockets.push(...floods);
    const own = await Promise.all(
      floods.map(
        async (s, i) => unwrap(await send(s, 'booking:create', { resourceId: target.id, ...slot(50 + i) })).booking.id,
      ),
    );
    const absurd = (i: number): Promise<Ack<unknown>> => {
      const s = floods[i % floods.length] ?? user;
      switch (Math.floor(i / floods.length) % 7) {
        case 0:
          return send(s, 'booking:create', { resourceId: target.id, ...NEVER }, 5000);
        case 1:
          return send(s, 'booking:modify', { bookingId: own[i % floods.length] ?? bookingId, ...NEVER }, 5000);
        case 2:
          return send(
            s,
            'booking:createSeries',
            { resourceId: target.id, ...NEVER, repeat: { every: 'day', until: '9999-12-31' }, onConflict: 'skip' },
            5000,
          );
        case 3:
          return send(s, 'booking:create', { resourceId: target.id, ...YEAR_ONE }, 5000);
        case 4:
          return send(s, 'booking:create', { resourceId: target.id, ...YEAR_9999 }, 5000);
        case 5:
          return send(
            s,
            'availability:get',
            { resourceId: target.id, from: '0001-01-01T00:00:00Z', to: '0001-02-01T00:00:00Z' },
            5000,
          );
        default:
          return send(
            s,
            'slots:find',
            { from: '9999-12-01T00:00:00Z', to: '9999-12-31T00:00:00Z', minutes: 10_080 },
            5000,
          );
      }
    };

    // Probes start every 10 ms whether or not the last one answered, so a stalled loop shows as
    // slow answers, not as fewer probes.
    const health: Array<Promise<number>> = [];
    const probe = async (): Promise<number> => {
      const t0 = performance.now();
      const res = await http<{ ok: boolean }>(node.url, '/healthz');
      if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
      return performance.now() - t0;
    };
    // The same probes first without the flood: on a machine whose cores are busy with other work,
    // every answer is slower, flood or not, and the bound must judge what the flood adds.
    const quiet: Array<Promise<number>> = [];
    const quietProber = setInterval(() => quiet.push(probe()), 10);
    quiet.push(probe());
    await new Promise((r) => setTimeout(r, 300));
    clearInterval(quietProber);
    const quietWorst = Math.max(...(await Promise.all(quiet)));
    const prober = setInterval(() => health.push(probe()), 10);
    health.push(probe());
    const t0 = performance.now();
    const acks = await Promise.all(Array.from({ length: 200 }, (_, i) => absurd(i)));
    const floodMs = performance.now() - t0;
    // A few more probes after the last answer: work the commands left behind would show here.
    await new Promise((r) => setTimeout(r, 100));
    clearInterval(prober);
    const probes = await Promise.all(health);

    const codes = acks.map((a) => (a.ok ? 'ok' : a.error.code));
    expect(new Set(codes)).toEqual(new Set(['VALIDATION_ERROR', 'POLICY_VIOLATION']));
    const worst = Math.max(...probes);
    process.stdout.write(
      `absurd flood: 200 commands answered in ${floodMs.toFixed(0)} ms; /healthz ${probes.length} probes, ` +
        `worst ${worst.toFixed(1)} ms (without the flood: ${quiet.length} probes, worst ${quietWorst.toFixed(1)} ms)\n`,
    );
    // Within 200 ms where a quiet probe takes at most 100 ms; on a machine whose cores are busy
    // elsewhere, within 200 ms plus twice what a probe already costs there. The old code stalled
    // the node's loop for minutes.
    const bound = quietWorst <= 100 ? 200 : 200 + 2 * quietWorst;
    expect(worst).toBeLessThan(bound);
    expect(floodMs).toBeLessThan(5000);
    // The node still books.
    expect((await send(floods[0] ?? user, 'booking:create', { resourceId: target.id, ...slot(60) })).ok).toBe(true);
  });
});
