/**
 * The capacity invariant against a model (docs/protocol.md "Capacity and quantity"): fast-check
 * replays random sequences of create, modify and cancel on one resource of capacity 3 (buffer 0
 * or 15 minutes) through the real socket API on two nodes, and every answer (ok with what was
 * stored, SLOT_TAKEN with `details.available`, POLICY_VIOLATION buffer, VALIDATION_ERROR,
 * INVALID_STATE) must be the model's. The model asks every instant, straight from the definition;
 * it shares no code with the server's sweep. After each sequence the database holds exactly the
 * model's bookings and no instant over capacity.
 *
 * Seeded: `CAPACITY_MODEL_SEED` (and `CAPACITY_MODEL_PATH`, printed with a failure) replay one run.
 */
import fc from 'fast-check';
import type { Ack, Booking, Resource } from '@booking/shared';
import { overCapacity } from '../../test/support/invariants';
import { http, loginStaff, sendUntilDecided, slot } from '../../test/support/harness';
import type { ClientSocket } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { createUsers } from '../../test/support/users';

const CAPACITY = 3;
const GRID_MINUTES = 5;
const GRID_MS = GRID_MINUTES * 60_000;
/** Starts and ends fall on a 5-minute grid of 90 minutes: bookings meet often, and often come within a buffer. */
const GRID = 18;

type Command =
  | { kind: 'create'; user: number; start: number; end: number; quantity: number }
  | { kind: 'modify'; pick: number; start: number; end: number; quantity: number | undefined }
  | { kind: 'cancel'; pick: number };

/** What an answer is reduced to for the comparison. */
type Outcome =
  | { ok: true; start: number; end: number; quantity: number }
  | { ok: false; code: string; available?: number; rule?: string };

interface ModelBooking {
  start: number;
  end: number;
  quantity: number;
  active: boolean;
}

interface Occupant {
  start: number;
  end: number;
  quantity: number;
}

/** Units in use at instant `at`, from the definition (half-open intervals). */
const usedAt = (occupants: readonly Occupant[], at: number): number =>
  occupants.reduce((sum, o) => (o.start <= at && at < o.end ? sum + o.quantity : sum), 0);

/** The most units in use at any instant of `[from, to)`: use changes only at a boundary. */
function peak(occupants: readonly Occupant[], from: number, to: number): number {
  const instants = [from, ...occupants.flatMap((o) => [o.start, o.end])].filter((at) => from <= at && at < to);
  return Math.max(0, ...instants.map((at) => usedAt(occupants, at)));
}

/** The invariant's answer for `[start, end)` of `quantity` units among `others` (grid units). */
function admit(others: readonly ModelBooking[], start: number, end: number, quantity: number, gap: number): Outcome {
  if (end <= start) return { ok: false, code: 'VALIDATION_ERROR' };
  if (quantity > CAPACITY) return { ok: false, code: 'VALIDATION_ERROR' };
  const held = others.filter((b) => b.active);
  const buffered = held.map((b) => ({ ...b, end: b.end + gap }));
  const freeWithBuffers = CAPACITY - peak(buffered, start, end + gap);
  if (CAPACITY - peak(held, start, end) < quantity)
    return { ok: false, code: 'SLOT_TAKEN', available: Math.max(0, freeWithBuffers) };
  if (freeWithBuffers < quantity) return { ok: false, code: 'POLICY_VIOLATION', rule: 'buffer' };
  return { ok: true, start, end, quantity };
}

/**
 * A random start on the grid and a length of 0..8 steps (one in nine ends at its start: a shape
 * error), so bookings crowd the 90 minutes and often come within a buffer of each other.
 */
const interval = fc
  .tuple(fc.integer({ min: 0, max: GRID - 1 }), fc.integer({ min: 0, max: 8 }))
  .map(([start, length]) => ({ start, end: start + length }));
/** 1..capacity units, and now and then capacity+1 (which never fits). */
const units = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 1, max: CAPACITY }) },
  { weight: 1, arbitrary: fc.constant(CAPACITY + 1) },
);

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.nat(1), interval, units)
      .map(([user, i, quantity]): Command => ({ kind: 'create', user, ...i, quantity })),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.nat(20), interval, fc.option(units, { nil: undefined }))
      .map(([pick, i, quantity]): Command => ({ kind: 'modify', pick, ...i, quantity })),
  },
  { weight: 2, arbitrary: fc.nat(20).map((pick): Command => ({ kind: 'cancel', pick })) },
);

const seed = process.env.CAPACITY_MODEL_SEED ? Number(process.env.CAPACITY_MODEL_SEED) : 24;
const replayPath = process.env.CAPACITY_MODEL_PATH;

const h = useHarness({
  label: 'capacity-model',
  count: 2,
  env: { MAX_ACTIVE_BOOKINGS_PER_USER: '1000' },
  node: { rateLimit: { points: 1000, durationSec: 1 } },
});
const sockets = useSockets('all');

test('every answer to random create/modify/cancel sequences is the model of the invariant', async () => {
  const staffToken = (await loginStaff(h.node.url)).token;
  const users = await createUsers(h.node, { count: 2, label: 'model' });
  const clients: ClientSocket[] = await Promise.all(
    users.map((u, i) => sockets.client(h.nodes[i % 2]?.url ?? h.node.url, u.token)),
  );
  const day = Date.parse(slot(48).start);
  const iso = (g: number): string => new Date(day + g * GRID_MS).toISOString();
  const grid = (instant: string): number => (Date.parse(instant) - day) / GRID_MS;
  let sequence = 0;
  /** How often each kind of answer came (the generator must reach every one, or the test proves little). */
  const seen = new Map<string, number>();

  const outcomeOf = (ack: Ack<{ booking: Booking }>): Outcome => {
    if (ack.ok) {
      const b = ack.data.booking;
      return { ok: true, start: grid(b.start), end: grid(b.end), quantity: b.quantity };
    }
    const details = (ack.error.details ?? {}) as { available?: number; rule?: string };
    return {
      ok: false,
      code: ack.error.code,
      ...(ack.error.code === 'SLOT_TAKEN' ? { available: details.available ?? -1 } : {}),
      ...(ack.error.code === 'POLICY_VIOLATION' ? { rule: details.rule ?? '' } : {}),
    };
  };

  async function run(bufferMinutes: 0 | 15, commands: Command[]): Promise<void> {
    sequence += 1;
    const res = await http<{ resource: Resource }>(h.node.url, '/api/resources', {
      body: {
        name: `Model ${sequence}`,
        type: 'equipment',
        capacity: CAPACITY,
        policy: { bufferMinutes },
      },
      token: staffToken,
    });
    if (res.status !== 201) throw new Error(`create resource failed: ${res.status}`);
    const resourceId = res.body.resource.id;
    const model: Array<ModelBooking & { id: string; user: number }> = [];
    const log: string[] = [];
    for (const c of commands) {
      let want: Outcome;
      let ack: Ack<{ booking: Booking }>;
      const target = c.kind === 'create' ? undefined : model[c.pick % Math.max(1, model.length)];
      if (c.kind === 'create' || !target) {
        const user = c.kind === 'create' ? c.user : 0;
        const quantity = c.kind === 'cancel' ? 1 : (c.quantity ?? 1);
        const start = c.kind === 'cancel' ? 0 : c.start;
        const end = c.kind === 'cancel' ? 1 : c.end;
        want = admit(model, start, end, quantity, bufferMinutes / GRID_MINUTES);
        ack = await sendUntilDecided(clients[user] as ClientSocket, 'booking:create', {
          resourceId,
          start: iso(start),
          end: iso(end),
          quantity,
        });
        log.push(`create ${start}-${end} x${quantity}`);
        if (ack.ok && want.ok) model.push({ id: ack.data.booking.id, user, start, end, quantity, active: true });
      } else if (c.kind === 'modify') {
        const quantity = c.quantity ?? target.quantity;
        const others = model.filter((b) => b !== target);
        want =
          c.end > c.start && !target.active
            ? { ok: false, code: 'INVALID_STATE' }
            : admit(others, c.start, c.end, quantity, bufferMinutes / GRID_MINUTES);
        ack = await sendUntilDecided(clients[target.user] as ClientSocket, 'booking:modify', {
          bookingId: target.id,
          start: iso(c.start),
          end: iso(c.end),
          ...(c.quantity === undefined ? {} : { quantity: c.quantity }),
        });
        log.push(`modify #${model.indexOf(target)} to ${c.start}-${c.end} x${c.quantity ?? '(same)'}`);
        if (ack.ok && want.ok) Object.assign(target, { start: c.start, end: c.end, quantity });
      } else {
        want = target.active
          ? { ok: true, start: target.start, end: target.end, quantity: target.quantity }
          : { ok: false, code: 'INVALID_STATE' };
        ack = await sendUntilDecided(clients[target.user] as ClientSocket, 'booking:cancel', { bookingId: target.id });
        log.push(`cancel #${model.indexOf(target)}`);
        if (ack.ok && want.ok) target.active = false;
      }
      const got = outcomeOf(ack);
      const kind = got.ok ? 'ok' : `${got.code}${got.rule ? ` ${got.rule}` : ''}`;
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
      if (JSON.stringify(got) !== JSON.stringify(want))
        throw new Error(
          `buffer ${bufferMinutes} min, after:\n  ${log.join('\n  ')}\n` +
            `answered ${JSON.stringify(got)}, the model says ${JSON.stringify(want)}`,
        );
    }
    const stored = await h.node.models.Booking.find({ resourceId, status: 'active' }).sort({ _id: 1 }).lean();
    expect(
      stored.map((b) => [b._id.toHexString(), grid(b.start.toISOString()), grid(b.end.toISOString()), b.quantity]),
    ).toEqual(model.filter((b) => b.active).map((b) => [b.id, b.start, b.end, b.quantity]));
    expect(await overCapacity(h.node.models.Booking, h.node.models.Resource)).toEqual([]);
  }

  await fc.assert(
    fc.asyncProperty(fc.constantFrom<0 | 15>(0, 15, 15), fc.array(command, { minLength: 3, maxLength: 12 }), run),
    {
      numRuns: 50,
      seed,
      ...(replayPath ? { path: replayPath } : {}),
      // A failure's shrinking replays sequences against the server: bounded, it still reports.
      interruptAfterTimeLimit: 150_000,
      markInterruptAsFailure: true,
    },
  );
  expect([...seen.keys()].sort()).toEqual([
    'INVALID_STATE',
    'POLICY_VIOLATION buffer',
    'SLOT_TAKEN',
    'VALIDATION_ERROR',
    'ok',
  ]);
  expect([...seen].filter(([, n]) => n < 3)).toEqual([]);
}, 240_000);
