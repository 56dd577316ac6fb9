/**
 * 9. Capacity (issue 24), in two parts:
 *
 * - Unit bookings on one pool of `capacity` units that already holds `overlapping` bookings, all
 *   of which overlap the measured slot, against the same loop on distinct capacity-1 resources in
 *   the same run. The pool's bookings are 5-minute ones staggered over a 2-hour window (a few
 *   at any instant, so units stay free) and every measured booking takes one unit for the whole
 *   window: its admission sweeps all of them. Each measured booking is cancelled right after its
 *   ack, so the pool never fills and every booking of the run sees the same pool; the baseline
 *   cancels too, so both loops do the same work. Throughput counts the creates; latency is the
 *   create's ack alone.
 * - `racers` clients on every node race for the last `lastUnits` units of a pool: exactly that
 *   many must be acked and none left free (`raceProblem`); the slowest answer and p50/p99 are kept.
 *
 * Everything is bounded by a count and a time and stops by itself.
 */
import { randomUUID } from 'node:crypto';
import { busyDelay, sendCommand } from '@booking/client';
import type { ClientToServerEvents } from '@booking/shared';
import { closeAll, command, connectMany, createResource, hourSlot } from './client';
import type { BenchSocket, Outcome } from './client';
import { LOOP_PHASES } from './loop-delay';
import { PER_SOCKET_MIN_INTERVAL_MS, tallyFailure, throughput } from './scenarios';
import type { Failures, ThroughputResult } from './scenarios';
import { closedLoop, sleep, summarize } from './stats';
import type { LatencySummary } from './stats';

/** Scenario 9's sizes (`BenchSizes['capacity']`). */
export interface CapacitySizes {
  /** Sockets of the unit-booking loops (one capacity-1 resource each in the baseline). */
  sockets: number;
  /** The pool's units, and how many bookings it holds before the loop (all in the measured window). */
  capacity: number;
  overlapping: number;
  /** Creates per loop, and its time limit. */
  total: number;
  maxMs: number;
  /** Clients racing for the last `lastUnits` units of a pool of twice as many. */
  racers: number;
  lastUnits: number;
}

/** The pool's window, its bookings' length, and the span over which their starts are spread. */
const WINDOW_MINUTES = 120;
const SHORT_MINUTES = 5;
/** A create and a cancel per loop turn: each socket stays under the server's per-socket limit. */
const TURN_INTERVAL_MS = 2 * PER_SOCKET_MIN_INTERVAL_MS;
/** How long a racer (or a filling booking) keeps sending again after `BUSY`. */
const DECIDE_WITHIN_MS = 30_000;
/** After the race: read the free units for at least this long (until stable), at most the second. */
const SETTLE_MS = 4000;
const SETTLE_MAX_MS = 20_000;

type Slot = { start: string; end: string };

export interface UnitLoopResult extends ThroughputResult {
  /** Cancels of measured bookings that failed (each leaves a unit taken). */
  cancelFailures: Failures;
}

export interface RaceResult {
  racers: number;
  nodes: number;
  capacity: number;
  lastUnits: number;
  /** Racers answered ok: must be `lastUnits`. */
  winners: number;
  /** Final answers by code (`ok` for the winners). */
  outcomes: Record<string, number>;
  /** `BUSY` answers sent again (same idempotency key) before the final one. */
  busyRetries: number;
  /** From the common send to each racer's final answer (retries included). */
  answers: LatencySummary;
  /**
   * Units still free once the race's commands have all run, read from the store (0 expected;
   * null when it could not be read). Fewer booked than acked cannot be; more (a racer that gave up
   * before its booking committed) shows here.
   */
  freeAfter: number | null;
}

export interface CapacityResult {
  capacity: number;
  overlapping: number;
  /** Most units the filling bookings occupy at any instant of the window. */
  peakUsed: number;
  pool: UnitLoopResult;
  distinct: UnitLoopResult;
  /** The same loop on a pool of the same capacity that holds nothing else. */
  emptyPool: UnitLoopResult;
  race: RaceResult;
}

/** `count` 5-minute bookings whose starts are spread over the window's first 115 minutes. */
export function staggered(windowStart: number, count: number): Array<{ start: string; end: string }> {
  const span = WINDOW_MINUTES - SHORT_MINUTES;
  return Array.from({ length: count }, (_, k) => {
    const start = windowStart + Math.floor((k * span) / Math.max(1, count)) * 60_000;
    return { start: new Date(start).toISOString(), end: new Date(start + SHORT_MINUTES * 60_000).toISOString() };
  });
}

/** Most intervals that cover one instant. */
export function peakOf(slots: ReadonlyArray<{ start: string; end: string }>): number {
  const edges = slots.flatMap((s) => [
    { at: Date.parse(s.start), d: 1 },
    { at: Date.parse(s.end), d: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.d - b.d);
  let used = 0;
  let peak = 0;
  for (const e of edges) {
    used += e.d;
    peak = Math.max(peak, used);
  }
  return peak;
}

/** Sends `booking:create` until it is answered other than `BUSY` (same payload, so the same key). */
async function decided(
  socket: BenchSocket,
  payload: { resourceId: string; start: string; end: string; quantity?: number; idempotencyKey?: string },
): Promise<{ outcome: Outcome<unknown>; retries: number }> {
  const deadline = performance.now() + DECIDE_WITHIN_MS;
  let outcome: Outcome<unknown> = await command(socket, 'booking:create', payload);
  let retries = 0;
  while (!outcome.ok && outcome.code === 'BUSY' && performance.now() < deadline) {
    await sleep(Math.min(2000, busyDelay(retries, { baseDelayMs: 50 })));
    retries += 1;
    outcome = await command(socket, 'booking:create', payload);
  }
  return { outcome, retries };
}

/** Books every slot on the resource, spread over the sockets; throws on the first refusal. */
async function fill(
  sockets: readonly BenchSocket[],
  resourceId: string,
  slots: ReadonlyArray<{ start: string; end: string }>,
) {
  await Promise.all(
    sockets.map(async (socket, w) => {
      for (let k = w; k < slots.length; k += sockets.length) {
        const slot = slots[k];
        if (!slot) continue;
        const sent = performance.now();
        const { outcome } = await decided(socket, { resourceId, ...slot, idempotencyKey: randomUUID() });
        if (!outcome.ok) throw new Error(`filling the pool: booking ${k} refused: ${outcome.code}: ${outcome.message}`);
        const wait = PER_SOCKET_MIN_INTERVAL_MS - (performance.now() - sent);
        if (wait > 0) await sleep(wait);
      }
    }),
  );
}

/** Create (timed) then cancel, on socket w's resource, until `total` creates or `maxMs`. */
async function unitLoop(opts: {
  sockets: readonly BenchSocket[];
  resourceOf: (worker: number) => string | undefined;
  slot: { start: string; end: string };
  total: number;
  maxMs: number;
}): Promise<UnitLoopResult> {
  const failures: Failures = {};
  const cancelFailures: Failures = {};
  const createMs: number[] = [];
  const run = await closedLoop({
    workers: opts.sockets.length,
    total: opts.total,
    maxMs: opts.maxMs,
    minIntervalMs: TURN_INTERVAL_MS,
    op: async (w) => {
      const socket = opts.sockets[w];
      const resourceId = opts.resourceOf(w);
      if (!socket || !resourceId) return false;
      const sent = performance.now();
      const res = await command(socket, 'booking:create', { resourceId, ...opts.slot });
      if (!res.ok) {
        tallyFailure(failures, res);
        return false;
      }
      createMs.push(performance.now() - sent);
      // As clients do, a BUSY cancel is sent again (a booking left behind would fill the pool).
      const cancel = () => command(socket, 'booking:cancel', { bookingId: res.data.booking.id });
      let cancelled = await cancel();
      for (let retry = 0; retry < 8 && !cancelled.ok && cancelled.code === 'BUSY'; retry += 1) {
        await sleep(Math.min(2000, busyDelay(retry, { baseDelayMs: 50 })));
        cancelled = await cancel();
      }
      if (!cancelled.ok) tallyFailure(cancelFailures, cancelled);
      return true;
    },
  });
  return {
    ...throughput(opts.sockets.length, { ...run, latencies: createMs }, failures, TURN_INTERVAL_MS),
    cancelFailures,
  };
}

/** What scenario 9 runs with: the nodes, its sizes, the run's fixtures and its measuring helper. */
interface Env {
  nodeUrls: readonly string[];
  sizes: CapacitySizes;
  /** The first node's URL, the staff token that makes resources, the users' tokens, the run's stamp. */
  fx: { first: string; staffToken: string; tokens: readonly string[]; stamp: string };
  log: (line: string) => void;
  /** Runs `run` inside the event-loop delay phase `name`. */
  measured: <T>(name: string, run: () => Promise<T>) => Promise<T>;
}

/** The pool and its filling bookings, and the distinct capacity-1 resources; then both loops. */
async function unitBookings(e: Env) {
  const { sizes } = e;
  const window = Date.parse(hourSlot(24).start);
  const slots = staggered(window, sizes.overlapping);
  const peakUsed = peakOf(slots);
  if (peakUsed + sizes.sockets > sizes.capacity)
    throw new Error(
      `capacity scenario: ${peakUsed} units filled at the peak + ${sizes.sockets} sockets exceed the pool's ${sizes.capacity}`,
    );
  const make = async (name: string, capacity: number) =>
    (await createResource(e.fx.first, e.fx.staffToken, `bench ${e.fx.stamp} ${name}`, { type: 'desk', capacity })).id;
  const pool = await make('pool', sizes.capacity);
  const emptyPool = await make('empty pool', sizes.capacity);
  const singles: string[] = [];
  for (let i = 0; i < sizes.sockets; i += 1) singles.push(await make(`unit ${i}`, 1));
  const sockets = await connectMany(e.nodeUrls, e.fx.tokens, sizes.sockets);
  try {
    e.log(`9. filling a ${sizes.capacity}-unit pool with ${sizes.overlapping} bookings (at most ${peakUsed} at once)`);
    await fill(sockets, pool, slots);
    const slot = {
      start: new Date(window).toISOString(),
      end: new Date(window + WINDOW_MINUTES * 60_000).toISOString(),
    };
    const loop = { sockets, slot, total: sizes.total, maxMs: sizes.maxMs };
    // Warm-up on both (not measured): one turn per socket.
    await unitLoop({ ...loop, total: sizes.sockets, resourceOf: (w) => singles[w] });
    await unitLoop({ ...loop, total: sizes.sockets, resourceOf: () => pool });
    await unitLoop({ ...loop, total: sizes.sockets, resourceOf: () => emptyPool });
    e.log(
      `9. unit bookings: ${sizes.sockets} sockets on distinct capacity-1 resources, then all on the pool, ` +
        'then all on an empty pool',
    );
    const distinct = await e.measured(LOOP_PHASES.capacityDistinct, () =>
      unitLoop({ ...loop, resourceOf: (w) => singles[w] }),
    );
    const onPool = await e.measured(LOOP_PHASES.capacityPool, () => unitLoop({ ...loop, resourceOf: () => pool }));
    // The same pool without its bookings (not a target): what sharing one resource costs by itself.
    const empty = await unitLoop({ ...loop, resourceOf: () => emptyPool });
    return { peakUsed, pool: onPool, distinct, emptyPool: empty };
  } finally {
    closeAll(sockets);
  }
}

/**
 * Units of the pool still free over `slot`, from the store: a booking of every unit cannot fit,
 * and its SLOT_TAKEN says how many are free (null when the answer says nothing).
 */
async function freeUnits(
  socket: BenchSocket,
  resourceId: string,
  slot: Slot,
  capacity: number,
): Promise<number | null> {
  const res = await sendCommand<ClientToServerEvents, 'booking:create'>(
    socket,
    'booking:create',
    { resourceId, ...slot, quantity: capacity },
    { busyRetry: { attempts: 8, baseDelayMs: 50 } },
  );
  if (res.ok || res.error.code !== 'SLOT_TAKEN') return null;
  const details = res.error.details as { available?: unknown } | undefined;
  return typeof details?.available === 'number' ? details.available : null;
}

/**
 * The free units once every command the race sent has run: a racer that gave up (TIMEOUT) may
 * still be waiting for the lock on a node. Read each second until three reads agree, from
 * SETTLE_MS after the race on, and at most SETTLE_MAX_MS.
 */
async function settledFreeUnits(socket: BenchSocket, resourceId: string, slot: Slot, capacity: number) {
  const t0 = performance.now();
  const reads: Array<number | null> = [];
  while (performance.now() - t0 < SETTLE_MAX_MS) {
    reads.push(await freeUnits(socket, resourceId, slot, capacity));
    const last = reads.slice(-3);
    if (performance.now() - t0 >= SETTLE_MS && last.length === 3 && last.every((x) => x === last[0])) break;
    await sleep(1000);
  }
  return reads[reads.length - 1] ?? null;
}

/** Why the race breaks the rule (exactly `lastUnits` acked and none left), or null when it holds. */
export function raceProblem(race: RaceResult): string | null {
  if (race.winners === race.lastUnits && race.freeAfter === 0) return null;
  return (
    `capacity race: ${race.winners} of ${race.racers} racers were told they booked the last ${race.lastUnits} units ` +
    `(exactly ${race.lastUnits} required), ${race.freeAfter ?? 'unknown'} units free afterwards; ` +
    `answers ${JSON.stringify(race.outcomes)}`
  );
}

/** `racers` sockets on every node ask at once for one unit of a pool that has `lastUnits` left. */
async function lastUnitsRace(e: Env): Promise<RaceResult> {
  const { racers, lastUnits } = e.sizes;
  const capacity = 2 * lastUnits;
  const pool = (
    await createResource(e.fx.first, e.fx.staffToken, `bench ${e.fx.stamp} race pool`, { type: 'desk', capacity })
  ).id;
  e.log(`9. race: ${racers} clients on ${e.nodeUrls.length} nodes for the last ${lastUnits} of ${capacity} units`);
  const sockets = await connectMany(e.nodeUrls, e.fx.tokens, racers + 1);
  try {
    const [holder, ...others] = sockets;
    if (!holder) throw new Error('no socket for the race');
    const slot = hourSlot(30);
    const first = { resourceId: pool, ...slot, quantity: capacity - lastUnits, idempotencyKey: randomUUID() };
    const held = await decided(holder, first);
    if (!held.outcome.ok)
      throw new Error(`race: the first ${capacity - lastUnits} units were refused: ${held.outcome.code}`);
    const outcomes: Record<string, number> = {};
    const answerMs: number[] = [];
    let busyRetries = 0;
    await e.measured(LOOP_PHASES.capacityRace, async () => {
      const t0 = performance.now();
      await Promise.all(
        others.map(async (s) => {
          const { outcome, retries } = await decided(s, { resourceId: pool, ...slot, idempotencyKey: randomUUID() });
          answerMs.push(performance.now() - t0);
          busyRetries += retries;
          const code = outcome.ok ? 'ok' : outcome.code;
          outcomes[code] = (outcomes[code] ?? 0) + 1;
        }),
      );
    });
    // Every answered command has run to its end; only one that went unanswered may still commit.
    const freeAfter = outcomes['TIMEOUT']
      ? await settledFreeUnits(holder, pool, slot, capacity)
      : await freeUnits(holder, pool, slot, capacity);
    const race: RaceResult = {
      racers: others.length,
      nodes: e.nodeUrls.length,
      capacity,
      lastUnits,
      winners: outcomes['ok'] ?? 0,
      outcomes,
      busyRetries,
      answers: summarize(answerMs),
      freeAfter,
    };
    e.log(
      `9. race: ${race.winners} of ${race.racers} booked (exactly ${lastUnits} required), ${freeAfter ?? '?'} free ` +
        `afterwards; answers ${JSON.stringify(outcomes)}; slowest ${race.answers.max} ms` +
        `${raceProblem(race) ? ' - FAILS' : ''}`,
    );
    return race;
  } finally {
    closeAll(sockets);
  }
}

/** Scenario 9: the unit-booking loops (pool vs distinct capacity-1 resources), then the race. */
export async function capacityScenario(e: Env): Promise<CapacityResult> {
  const units = await unitBookings(e);
  const race = await lastUnitsRace(e);
  return { capacity: e.sizes.capacity, overlapping: e.sizes.overlapping, ...units, race };
}
