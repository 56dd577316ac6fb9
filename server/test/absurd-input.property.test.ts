/**
 * Issue 22, item 1, as a property (fast-check): random and extreme instants, ranges and repeat
 * rules thrown at every command that takes an interval (`booking:create`, `booking:modify`,
 * `booking:createSeries`, `availability:get`, `slots:find`, as a person and as staff) are each
 * answered within 1 s, never with INTERNAL, and with the code a small model of the contract
 * predicts for the shape and the hard window (see absurd-input.test.ts for the choices). After
 * the run the node is healthy and still books.
 *
 * Bounded: `RUNS` runs, interrupted after `TIME_LIMIT_MS` in all. Seeded: the seed is random per
 * run unless `ABSURD_SEED` is set, and a failure names it (rerun with `ABSURD_SEED=<seed>`).
 */
import fc from 'fast-check';
import { WEEKDAYS } from '@booking/shared';
import type { Ack, Repeat, Resource } from '@booking/shared';
import {
  connectClient,
  createResource,
  http,
  loginStaff,
  registerUser,
  send,
  slot,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';

const RUNS = 250;
const TIME_LIMIT_MS = 40_000;
const ANSWER_WITHIN_MS = 1000;
const MINUTE = 60_000;
const DAY = 86_400_000;
/**
 * The contract's limits, written out here rather than imported, so the model does not move with
 * the code under test: a booking lasts at most 7 days; its start lies in [now - 1 day, now + 3653
 * days]; a query spans at most 31 days and lies within 3653 days of now.
 */
const RULES = {
  maxBookingMs: 7 * DAY,
  hardPastMs: DAY,
  hardAdvanceMs: 3653 * DAY,
  maxSpanMs: 31 * DAY,
  queryWindowMs: 3653 * DAY,
};
const SEED = process.env.ABSURD_SEED ? Number(process.env.ABSURD_SEED) : Math.floor(Math.random() * 2 ** 31);

let h: Harness;
let person: ClientSocket;
let staff: ClientSocket;
let room: Resource;
let bookingIds: { person: string; staff: string };

beforeAll(async () => {
  // A person's per-connection budget is not the subject: every command is answered for its content.
  h = await startHarness({ label: 'absurdprop', node: { rateLimit: { points: 100_000, durationSec: 1 } } });
  const staffAuth = await loginStaff(h.node.url);
  room = await createResource(h.node.url, staffAuth.token, 'Property room');
  person = await connectClient(h.node.url, (await registerUser(h.node.url, 'prop')).token);
  staff = await connectClient(h.node.url, staffAuth.token);
  bookingIds = {
    person: unwrap(await send(person, 'booking:create', { resourceId: room.id, ...slot(20) })).booking.id,
    staff: unwrap(await send(staff, 'booking:create', { resourceId: room.id, ...slot(22) })).booking.id,
  };
});
afterAll(async () => {
  person.close();
  staff.close();
  await h.close();
});

// ---- arbitraries ---------------------------------------------------------------------------

const YEAR_1 = Date.parse('0001-01-01T00:00:00Z');
const YEAR_9999 = Date.parse('9999-12-31T23:59:59.999Z');
const clampYears = (ms: number) => Math.min(Math.max(ms, YEAR_1), YEAR_9999);

/** An instant in ms: anywhere in years 1..9999, near now, or near an edge of the hard window. */
const instant: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(YEAR_1, YEAR_9999, 0, Date.parse('2038-01-19T03:14:07Z')),
  fc.date({ min: new Date(YEAR_1), max: new Date(YEAR_9999), noInvalidDate: true }).map((d) => d.getTime()),
  fc
    .integer({ min: -30, max: 3700 })
    .chain((days) =>
      fc.integer({ min: 0, max: 1439 }).map((m) => Math.floor(Date.now() / MINUTE) * MINUTE + days * DAY + m * MINUTE),
    ),
  fc
    .constantFrom(-RULES.hardPastMs, RULES.hardAdvanceMs)
    .chain((edge) =>
      fc.integer({ min: -3 * DAY, max: 3 * DAY }).map((d) => Math.floor((Date.now() + edge + d) / MINUTE) * MINUTE),
    ),
);

/** A length in ms: a few minutes, about a week, or absurd (millennia, negative). */
const length: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 1, max: 24 * 60 }).map((m) => m * MINUTE),
  fc.integer({ min: -2, max: 2 }).map((m) => RULES.maxBookingMs + m * MINUTE),
  fc.integer({ min: -1000, max: 1000 }).map((m) => m * DAY),
  fc.constantFrom(0, 9000 * 365 * DAY, -9000 * 365 * DAY),
);

const range: fc.Arbitrary<{ start: number; end: number }> = fc.oneof(
  fc.tuple(instant, length).map(([start, len]) => ({ start, end: clampYears(start + len) })),
  fc.tuple(instant, instant).map(([start, end]) => ({ start, end })),
);

const isoDate = fc.oneof(
  fc.constantFrom('0001-01-01', '9999-12-31', '1970-01-01'),
  fc
    .date({ min: new Date(YEAR_1), max: new Date(YEAR_9999), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.integer({ min: -10, max: 4000 }).map((days) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10)),
);

const repeat: fc.Arbitrary<Repeat> = fc
  .record({
    every: fc.constantFrom('day' as const, 'week' as const),
    interval: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    weekdays: fc.option(fc.subarray([...WEEKDAYS], { minLength: 1 }), { nil: undefined }),
    end: fc.oneof(
      fc.integer({ min: 1, max: 100 }).map((count) => ({ count })),
      isoDate.map((until) => ({ until })),
    ),
  })
  .map(({ end, interval, weekdays, every }) => ({
    every,
    ...(interval === undefined ? {} : { interval }),
    ...(weekdays === undefined ? {} : { weekdays }),
    ...end,
  }));

type Command =
  | { kind: 'create' | 'modify'; staff: boolean; start: number; end: number }
  | { kind: 'series'; staff: boolean; start: number; end: number; repeat: Repeat; onConflict: 'fail' | 'skip' }
  | { kind: 'availability' | 'slots'; staff: boolean; start: number; end: number; minutes: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc
    .record({ kind: fc.constantFrom('create' as const, 'modify' as const), staff: fc.boolean(), r: range })
    .map(({ r, ...c }) => ({ ...c, ...r })),
  fc
    .record({ staff: fc.boolean(), r: range, repeat, onConflict: fc.constantFrom('fail' as const, 'skip' as const) })
    .map(({ r, ...c }) => ({ kind: 'series' as const, ...c, ...r })),
  fc
    .record({
      kind: fc.constantFrom('availability' as const, 'slots' as const),
      staff: fc.boolean(),
      r: range,
      minutes: fc.integer({ min: 1, max: 10_080 }),
    })
    .map(({ r, ...c }) => ({ ...c, ...r })),
);

// ---- the model -----------------------------------------------------------------------------

/** The codes any of these commands may answer in this test (never INTERNAL, BUSY or a timeout). */
const ANSWERS = new Set(['VALIDATION_ERROR', 'POLICY_VIOLATION', 'SLOT_TAKEN', 'QUOTA_EXCEEDED']);

/** What the contract says for sure, when the instants are not within a few seconds of an edge. */
function expected(c: Command, now: number): { code: string; rule?: string } | 'ok' | null {
  const near = (t: number, edge: number) => Math.abs(t - edge) < 10_000;
  if (c.kind === 'availability' || c.kind === 'slots') {
    if (c.end <= c.start || c.end - c.start > RULES.maxSpanMs) return { code: 'VALIDATION_ERROR' };
    const [lo, hi] = [now - RULES.queryWindowMs, now + RULES.queryWindowMs];
    if ([c.start, c.end].some((t) => near(t, lo) || near(t, hi))) return null;
    return [c.start, c.end].some((t) => t < lo || t > hi) ? { code: 'VALIDATION_ERROR' } : 'ok';
  }
  if (c.end <= c.start || c.end - c.start > RULES.maxBookingMs) return { code: 'VALIDATION_ERROR' };
  const [lo, hi] = [now - RULES.hardPastMs, now + RULES.hardAdvanceMs];
  if (near(c.start, lo) || near(c.start, hi)) return null;
  if (c.start < lo) return { code: 'POLICY_VIOLATION', rule: 'past' };
  if (c.start > hi) return { code: 'POLICY_VIOLATION', rule: 'advance' };
  return null;
}

function sendCommand(c: Command): Promise<Ack<unknown>> {
  const socket = c.staff ? staff : person;
  const start = new Date(c.start).toISOString();
  const end = new Date(c.end).toISOString();
  switch (c.kind) {
    case 'create':
      return send(socket, 'booking:create', { resourceId: room.id, start, end }, ANSWER_WITHIN_MS);
    case 'modify':
      return send(
        socket,
        'booking:modify',
        { bookingId: c.staff ? bookingIds.staff : bookingIds.person, start, end },
        ANSWER_WITHIN_MS,
      );
    case 'series':
      return send(
        socket,
        'booking:createSeries',
        { resourceId: room.id, start, end, repeat: c.repeat, onConflict: c.onConflict },
        ANSWER_WITHIN_MS,
      );
    case 'availability':
      return send(socket, 'availability:get', { resourceId: room.id, from: start, to: end }, ANSWER_WITHIN_MS);
    case 'slots':
      return send(socket, 'slots:find', { from: start, to: end, minutes: c.minutes }, ANSWER_WITHIN_MS);
  }
}

it(`every command answers random and extreme instants within ${ANSWER_WITHIN_MS} ms, as the contract says (seed ${SEED})`, async () => {
  const property = fc.asyncProperty(command, async (c) => {
    const now = Date.now();
    const t0 = performance.now();
    const ack = await sendCommand(c); // rejects after ANSWER_WITHIN_MS without an answer
    const ms = performance.now() - t0;
    if (ms > ANSWER_WITHIN_MS) throw new Error(`answered after ${ms.toFixed(0)} ms`);
    if (!ack.ok && !ANSWERS.has(ack.error.code)) throw new Error(`answered ${ack.error.code}: ${ack.error.message}`);
    const want = expected(c, now);
    if (want === 'ok') expect(ack.ok).toBe(true);
    else if (want)
      expect(ack).toMatchObject({
        ok: false,
        error: { code: want.code, ...(want.rule ? { details: { rule: want.rule } } : {}) },
      });
  });
  try {
    await fc.assert(property, {
      seed: SEED,
      numRuns: RUNS,
      interruptAfterTimeLimit: TIME_LIMIT_MS,
      markInterruptAsFailure: false,
    });
  } catch (err) {
    throw new Error(
      `absurd-input property failed with seed ${SEED} (rerun with ABSURD_SEED=${SEED}): ${err instanceof Error ? err.message : String(err)}`,
    );
  }

  // The node is healthy and still does its work.
  expect((await http<{ ok: boolean }>(h.node.url, '/healthz')).status).toBe(200);
  expect(
    (
      await send(person, 'availability:get', {
        resourceId: room.id,
        from: new Date(Date.now()).toISOString(),
        to: new Date(Date.now() + DAY).toISOString(),
      })
    ).ok,
  ).toBe(true);
  const fresh = await registerUser(h.node.url, 'after');
  const after = await connectClient(h.node.url, fresh.token);
  // On a room of its own: the run's random bookings may well cover any slot of the property room
  // (seed 80939948 booked over slot(10) and failed this check for a reason that was not the node's).
  const untouched = await createResource(h.node.url, (await loginStaff(h.node.url)).token, 'Room after the run');
  try {
    expect((await send(after, 'booking:create', { resourceId: untouched.id, ...slot(10) })).ok).toBe(true);
  } finally {
    after.close();
  }
}, 120_000);
