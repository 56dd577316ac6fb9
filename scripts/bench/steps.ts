/**
 * The steps a bench run and a single-scenario run (`BENCH_ONLY=bookings`, `BENCH_ONLY=find`) share:
 * what every step is given (`Run`), the raw MongoDB baseline, scenario 1, scenario 3's two phases
 * and scenario 6, each measured the same way wherever it runs.
 */
import { closeAll, connectMany } from './client';
import type { BenchSocket } from './client';
import { LOOP_PHASES, loopDelayProbe } from './loop-delay';
import type { LoopDelayProbe, PhaseLoopDelay } from './loop-delay';
import { rawMongoTransactions } from './raw-mongo';
import { cachedAvailability, distinctBookings, slotSearch } from './scenarios';
import type { ThroughputResult } from './scenarios';
import { cpuWindow } from './setup';
import type { Fixtures } from './setup';
import type { BenchSizes, BenchTargets, Phases } from './types';
import { watchAll } from './watch-fanout';

/** What every step shares: the targets, sizes, fixtures and the measuring helpers. */
export interface Run {
  t: BenchTargets;
  sizes: BenchSizes;
  fx: Fixtures;
  log: (line: string) => void;
  phase: (name: string) => Promise<void>;
  /** Runs `run` between the start and the stop of the event-loop delay probe, kept under `name`. */
  measured: <T>(name: string, run: () => Promise<T>) => Promise<T>;
  bookingInterval: number;
  availInterval: number;
}

/** The `Run` of a run's steps, its event-loop delay by phase, and the probe (closed by the caller). */
export function startRun(
  t: BenchTargets,
  sizes: BenchSizes,
  fx: Fixtures,
): { r: Run; loopDelay: Record<string, PhaseLoopDelay>; loop: LoopDelayProbe } {
  // Each phase's event-loop delay: the nodes' (reset by a scrape as the phase starts) and ours.
  const loop = loopDelayProbe({ nodeUrls: t.nodeUrls, ...(t.metricsToken ? { metricsToken: t.metricsToken } : {}) });
  const loopDelay: Record<string, PhaseLoopDelay> = {};
  const r: Run = {
    t,
    sizes,
    fx,
    log: t.log ?? (() => {}),
    phase: async (name) => t.phaseEnded?.(name),
    measured: async (name, run) => {
      await loop.start();
      const result = await run();
      loopDelay[name] = await loop.stop();
      return result;
    },
    bookingInterval: (sizes.bookings.sockets * 1000) / sizes.bookings.targetRate,
    availInterval: (sizes.availability.sockets * 1000) / sizes.availability.targetRate,
  };
  return { r, loopDelay, loop };
}

/** 6a. Raw MongoDB transaction, same concurrency as scenario 1, before the servers get busy. */
export async function rawMongoStep(r: Run) {
  const { t, sizes } = r;
  r.log(
    `baseline: raw MongoDB transactions (${sizes.bookings.sockets} concurrent; max, then ${sizes.bookings.targetRate}/s)`,
  );
  const opts = { mongoUrl: t.mongoUrl, workers: sizes.bookings.sockets, ...sizes.rawMongo };
  const rawMax = await r.measured(LOOP_PHASES.rawMongo, () =>
    cpuWindow(
      t,
      () => rawMongoTransactions(opts),
      (x) => x.committed,
    ),
  );
  const atTarget = await rawMongoTransactions({ ...opts, minIntervalMs: r.bookingInterval });
  return { mongoTransaction: { max: rawMax.result, atTarget }, cpu: rawMax.cpu };
}

/**
 * 1. Distinct resources: only the sockets that book are connected, and each watches the one
 * resource it books, as the booking page watches what it shows (slots:watch): every booking
 * reaches its own booker's socket, not every client (scenario 4 measures the fan-out to all).
 */
export async function bookingsStep(r: Run) {
  const { t, sizes, fx } = r;
  r.log(`1. bookings on ${sizes.bookings.sockets} distinct resources (max, then ${sizes.bookings.targetRate}/s)`);
  const sockets = await connectMany(t.nodeUrls, fx.tokens, sizes.bookings.sockets);
  await watchAll(sockets, (i) => {
    const id = fx.resourceIds[i];
    return id ? [id] : null;
  });
  const opts = { sockets, resourceIds: fx.resourceIds, total: sizes.bookings.total, maxMs: sizes.bookings.maxMs };
  const bookMax = await r.measured(LOOP_PHASES.bookingsMax, () =>
    cpuWindow(
      t,
      () => distinctBookings({ ...opts, hourBase: 0, warmup: true }),
      (x) => x.ok,
    ),
  );
  const atTarget = await r.measured(LOOP_PHASES.bookingsAtTarget, () =>
    distinctBookings({ ...opts, hourBase: 4000, minIntervalMs: r.bookingInterval }),
  );
  closeAll(sockets);
  return { bookings: { max: bookMax.result, atTarget }, cpu: bookMax.cpu };
}

function availabilityOptions(r: Run, sockets: readonly BenchSocket[]) {
  return {
    sockets: sockets.slice(0, r.sizes.availability.sockets),
    resourceIds: r.fx.resourceIds.slice(0, r.sizes.availability.resources),
    total: r.sizes.availability.total,
    maxMs: r.sizes.availability.maxMs,
  };
}

/** 3's paced phase: also the baseline of 6's rows when `BENCH_ONLY=find` runs 6 alone. */
export function availabilityAtTarget(r: Run, sockets: readonly BenchSocket[]): Promise<ThroughputResult> {
  return r.measured(LOOP_PHASES.availabilityAtTarget, () =>
    cachedAvailability({ ...availabilityOptions(r, sockets), minIntervalMs: r.availInterval }),
  );
}

/** 3. availability:get with a warm cache: as fast as allowed, then paced to its target rate. */
export async function availabilityStep(r: Run, sockets: readonly BenchSocket[]): Promise<Phases<ThroughputResult>> {
  const { sizes } = r;
  r.log(
    `3. availability:get, warm cache, ${sizes.availability.sockets} sockets ` +
      `(max, then ${sizes.availability.targetRate}/s)`,
  );
  const max = await r.measured(LOOP_PHASES.availabilityMax, () => cachedAvailability(availabilityOptions(r, sockets)));
  return { max, atTarget: await availabilityAtTarget(r, sockets) };
}

/** 6. slots:find over a week of many resources (paced: its latency target applies at this rate). */
export function slotsFindStep(r: Run, sockets: readonly BenchSocket[]): Promise<ThroughputResult> {
  const find = r.sizes.slotsFind;
  r.log(`6. slots:find: ${find.resources} resources × 1 week, ${find.sockets} sockets at ${find.targetRate}/s`);
  return r.measured(LOOP_PHASES.slotsFind, () =>
    slotSearch({
      sockets: sockets.slice(0, find.sockets),
      type: r.fx.findType,
      total: find.total,
      maxMs: find.maxMs,
      minIntervalMs: (find.sockets * 1000) / find.targetRate,
    }),
  );
}
