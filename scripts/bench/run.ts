/**
 * Runs every scenario and its raw baseline against the targets it is given, and renders the
 * table. Used by `npm run bench` (scripts/bench.ts) and, at a tiny size, by the smoke test.
 */
import { cpus } from 'node:os';
import { closeAll, command, connectMany, createResource, loginStaff, registerUser } from './client';
import type { BenchSocket } from './client';
import { commit, machine } from './environment';
import type { Commit, Machine } from './environment';
import { LOOP_PHASES, loopDelayProbe } from './loop-delay';
import type { PhaseLoopDelay } from './loop-delay';
import { rawMongoTransactions } from './raw-mongo';
import { crashRecovery } from './recovery';
import type { RecoveryResult } from './recovery';
import type { RawMongoResult } from './raw-mongo';
import { RECOVERY_NOTE, ratioTargets, recoveryRows, tableRows } from './report';
import type { RatioTarget, TableRow } from './report';
import {
  bareEcho,
  cachedAvailability,
  contention,
  distinctBookings,
  fanout,
  idleMemory,
  PER_SOCKET_MIN_INTERVAL_MS,
  seriesBookings,
  slotSearch,
} from './scenarios';
import type {
  ContentionResult,
  FanoutResult,
  MemoryProbe,
  MemoryResult,
  SeriesResult,
  ThroughputResult,
} from './scenarios';
import { watchAll, watchedFanout } from './watch-fanout';
import type { WatchFanoutResult } from './watch-fanout';

export { renderTable, writeReport } from './report';
export type { Machine } from './environment';

export interface BenchSizes {
  /** `targetRate`: the second, latency phase offers this many commands/s in total. */
  bookings: { sockets: number; total: number; maxMs: number; targetRate: number };
  contention: { racers: number; rounds: number };
  availability: { sockets: number; resources: number; total: number; maxMs: number; targetRate: number };
  /** `slots:find` over `resources` resources for one week, `sockets` callers paced to `targetRate` in all. */
  slotsFind: { sockets: number; resources: number; total: number; maxMs: number; targetRate: number };
  idle: { sockets: number; settleMs: number };
  fanout: { rounds: number; timeoutMs: number };
  /**
   * 4w: scenario 4's `idle.sockets` clients watch one of `resources` resources each (round-robin);
   * `bookings` go round-robin over them, first with nobody watching, then watching.
   */
  watch: { resources: number; bookings: number; timeoutMs: number; maxMs: number };
  rawMongo: { total: number; maxMs: number };
  /** Scenario 7: `rounds` weekly series of `occurrences`, each next to one single booking. */
  series: { rounds: number; occurrences: number };
  /**
   * Scenario 8 (recovery): `clients` storm `resources` resources through one node, which is
   * `kill -9`ed `rounds` times at moments drawn from `seed`; probes through the other node give
   * up `giveUpMs` after a kill (far past the target, so a miss is still measured).
   */
  recovery: { clients: number; resources: number; rounds: number; seed: number; giveUpMs: number };
}

export const FULL_SIZES: BenchSizes = {
  bookings: { sockets: 32, total: 6000, maxMs: 10_000, targetRate: 500 },
  contention: { racers: 200, rounds: 10 },
  availability: { sockets: 200, resources: 8, total: 60_000, maxMs: 8000, targetRate: 5000 },
  slotsFind: { sockets: 10, resources: 200, total: 1000, maxMs: 8000, targetRate: 100 },
  idle: { sockets: 1000, settleMs: 2000 },
  fanout: { rounds: 10, timeoutMs: 5000 },
  watch: { resources: 100, bookings: 200, timeoutMs: 5000, maxMs: 60_000 },
  rawMongo: { total: 6000, maxMs: 10_000 },
  series: { rounds: 10, occurrences: 52 },
  recovery: { clients: 40, resources: 10, rounds: 3, seed: 1322, giveUpMs: 70_000 },
};

export const TINY_SIZES: BenchSizes = {
  bookings: { sockets: 3, total: 6, maxMs: 5000, targetRate: 100 },
  contention: { racers: 4, rounds: 2 },
  availability: { sockets: 2, resources: 2, total: 10, maxMs: 5000, targetRate: 50 },
  slotsFind: { sockets: 1, resources: 3, total: 3, maxMs: 5000, targetRate: 10 },
  idle: { sockets: 6, settleMs: 50 },
  fanout: { rounds: 1, timeoutMs: 5000 },
  watch: { resources: 3, bookings: 6, timeoutMs: 5000, maxMs: 20_000 },
  rawMongo: { total: 4, maxMs: 5000 },
  series: { rounds: 2, occurrences: 4 },
  recovery: { clients: 4, resources: 2, rounds: 1, seed: 1322, giveUpMs: 70_000 },
};

/** How the bench may crash a node for scenario 8: only when it runs the nodes itself. */
export interface CrashControl {
  /** The node that is killed (the storm's) and the one that lives on (the probes'). */
  victimUrl: string;
  survivorUrl: string;
  /** `kill -9` of the victim's process; resolves once it is gone. */
  kill(): Promise<void>;
  /** Resolves once the victim runs again (restarted by whoever runs it) and answers /healthz 200. */
  restarted(): Promise<void>;
}

export interface BenchTargets {
  /** Booking node base URLs (no trailing slash); sockets are spread over them round-robin. */
  nodeUrls: string[];
  /** The same MongoDB replica set, for the raw transaction baseline. */
  mongoUrl: string;
  staff: { email: string; password: string };
  /** Memory of the booking server processes (null: not measurable from here). */
  nodeMemory: MemoryProbe | null;
  /** The bare Socket.IO baseline servers. */
  bare: { urls: string[]; memory: MemoryProbe | null; layout: string };
  log?: (line: string) => void;
  /** Cumulative CPU milliseconds per process (servers, MongoDB, Redis, this process), when readable. */
  cpu?: () => Record<string, number>;
  /** The names in `cpu()` that are booking nodes (their sum is the "node CPU" of scenario 4w). */
  nodeProcesses?: string[];
  /** Bearer token for the nodes' `/metrics` (their `METRICS_TOKEN`), when they require one. */
  metricsToken?: string;
  /** Called after each scenario with its name (the CPU-profile hook of `BENCH_CPU_PROF`). */
  phaseEnded?: (phase: string) => Promise<void>;
  /** Scenario 8 runs only with it (the embedded stack's nodes); null in the report otherwise. */
  crash?: CrashControl;
}

/** One run of 4w's booking loop and the CPU it cost. */
export interface WatchRun {
  result: WatchFanoutResult;
  /** Every process's CPU per booked booking over the loop. */
  cpu: CpuPerOp | null;
  /** The booking nodes' CPU (sum) per booked booking, ms. */
  nodeCpuMsPerBooking: number | null;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  commit: Commit;
  notes: string[];
  sizes: BenchSizes;
  scenarios: {
    /** `max`: every socket as fast as the rate limit allows; `atTarget`: paced to the target rate. */
    bookings: Phases<ThroughputResult>;
    contention: ContentionResult;
    availability: Phases<ThroughputResult>;
    slotsFind: ThroughputResult;
    idleMemory: MemoryResult | null;
    fanout: FanoutResult;
    /** 4w: the same clients, as many bookings: nobody watching (every client hears each), then watching one resource each. */
    watch: { allHear: WatchRun; watching: WatchRun };
    /** A weekly series against one booking's ack in the same run (target ≤ 10× its p50). */
    series: SeriesResult;
    /** 8: time until each resource books again through the other node after a `kill -9` (target ≤ 5 s); null when not run. */
    recovery: RecoveryResult | null;
  };
  baselines: {
    mongoTransaction: Phases<RawMongoResult>;
    socketIoEcho: Phases<ThroughputResult>;
    socketIoIdleMemory: MemoryResult | null;
    socketIoBroadcast: FanoutResult;
  };
  /** CPU cost per operation: scenario 1 (max phase) and the raw MongoDB transaction (max phase). */
  cpu: { bookings: CpuPerOp | null; mongoTransaction: CpuPerOp | null };
  /** Event-loop delay of the nodes and of the load generator, by phase (in run order). */
  loopDelay: Record<string, PhaseLoopDelay>;
  rows: TableRow[];
  /** docs/design.md's targets that are ratios to a primitive of the same run, each with its verdict. */
  ratios: RatioTarget[];
}

/** CPU milliseconds each process spent per completed operation during a phase. */
export interface CpuPerOp {
  ops: number;
  msPerOp: Record<string, number>;
  totalMsPerOp: number;
  /** The rate at which all cores would be busy: nproc × 1000 / totalMsPerOp. */
  cpuBoundCeilingPerSecond: number;
}

export interface Phases<T> {
  max: T;
  atTarget: T;
}

export async function runBench(t: BenchTargets, sizes: BenchSizes): Promise<BenchReport> {
  const log = t.log ?? (() => {});
  const phase = async (name: string) => {
    await t.phaseEnded?.(name);
  };
  const startedAt = new Date().toISOString();
  const runCommit = commit();
  const first = t.nodeUrls[0];
  if (!first) throw new Error('no booking node URL');

  log('setup: staff sign-in, users, resources');
  const staff = await loginStaff(first, t.staff.email, t.staff.password);
  // One user holds at most 20 connections per node and 100 commands/s (docs/protocol.md): enough users
  // that no socket loop is that user's limiter's (at most two busy sockets per user).
  const userCount = Math.max(
    8,
    Math.ceil(Math.max(sizes.availability.sockets, sizes.contention.racers, sizes.idle.sockets / 20) / 2),
  );
  const users = await Promise.all(Array.from({ length: userCount }, () => registerUser(first)));
  const tokens = users.map((u) => u.token);
  const stamp = Date.now().toString(36);
  const resourceIds: string[] = [];
  for (let i = 0; i < sizes.bookings.sockets; i += 1)
    resourceIds.push((await createResource(first, staff.token, `bench ${stamp} ${i}`)).id);
  const raceResource = (await createResource(first, staff.token, `bench ${stamp} race`)).id;
  const seriesResource = (await createResource(first, staff.token, `bench ${stamp} series`)).id;
  const seriesSingleResource = (await createResource(first, staff.token, `bench ${stamp} series single`)).id;
  const fanResource = (await createResource(first, staff.token, `bench ${stamp} fan-out`)).id;
  // 6's resources: realistic policies in two zones, of a type of their own.
  const findType = `bench-find-${stamp}`;
  const week = (hours: [string, string]) => ({
    mon: [hours],
    tue: [hours],
    wed: [hours],
    thu: [hours],
    fri: [hours],
    sat: [],
    sun: [],
  });
  for (let i = 0; i < sizes.slotsFind.resources; i += 1) {
    const zone = i % 2 === 0 ? 'Europe/Berlin' : 'America/New_York';
    await createResource(first, staff.token, `bench ${stamp} find ${i}`, {
      type: findType,
      timeZone: zone,
      policy: { openingHours: week(['08:00', '18:00']), slotMinutes: 15, bufferMinutes: 10 },
    });
  }

  // 4w's resources: the clients watch one each, round-robin.
  const watchResources: string[] = [];
  for (let i = 0; i < sizes.watch.resources; i += 1)
    watchResources.push((await createResource(first, staff.token, `bench ${stamp} watch ${i}`)).id);

  const cpuWindow = async <T>(
    run: () => Promise<T>,
    opsOf: (result: T) => number,
  ): Promise<{ result: T; cpu: CpuPerOp | null; nodeMsPerOp: number | null }> => {
    const before = t.cpu?.();
    const result = await run();
    const after = t.cpu?.();
    const ops = opsOf(result);
    if (!before || !after || ops === 0) return { result, cpu: null, nodeMsPerOp: null };
    const msPerOp: Record<string, number> = {};
    let total = 0;
    let nodes = 0;
    for (const [name, end] of Object.entries(after)) {
      const used = end - (before[name] ?? end);
      msPerOp[name] = Math.round((used / ops) * 100) / 100;
      total += used / ops;
      if (t.nodeProcesses?.includes(name)) nodes += used / ops;
    }
    const nodeMsPerOp = t.nodeProcesses?.some((n) => n in after) ? Math.round(nodes * 100) / 100 : null;
    return {
      result,
      nodeMsPerOp,
      cpu: {
        ops,
        msPerOp,
        totalMsPerOp: Math.round(total * 100) / 100,
        cpuBoundCeilingPerSecond: Math.round((cpus().length * 1000) / total),
      },
    };
  };
  // Each phase's event-loop delay: the nodes' (reset by a scrape as the phase starts) and ours.
  const loop = loopDelayProbe({ nodeUrls: t.nodeUrls, ...(t.metricsToken ? { metricsToken: t.metricsToken } : {}) });
  const loopDelay: Record<string, PhaseLoopDelay> = {};
  const measured = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    await loop.start();
    const result = await run();
    loopDelay[name] = await loop.stop();
    return result;
  };
  const bookingInterval = (sizes.bookings.sockets * 1000) / sizes.bookings.targetRate;
  const availInterval = (sizes.availability.sockets * 1000) / sizes.availability.targetRate;
  const idleConnect = (urls: string[]) => (n: number) => connectMany(urls, tokens, n);

  await phase('setup');
  // 5. Idle memory first, on fresh processes (RSS freed by earlier load would hide the growth).
  log(`5. memory: ${sizes.idle.sockets} idle sockets`);
  const nodeMemory = t.nodeMemory;
  const idleResult = nodeMemory
    ? await measured(LOOP_PHASES.idle, () =>
        idleMemory({
          probe: nodeMemory,
          connect: idleConnect(t.nodeUrls),
          count: sizes.idle.sockets,
          settleMs: sizes.idle.settleMs,
        }),
      )
    : null;
  if (idleResult) closeAll(idleResult.sockets);

  await phase('5-idle-memory');
  // 6a. Raw MongoDB transaction, same concurrency as scenario 1, before the servers get busy.
  log(
    `baseline: raw MongoDB transactions (${sizes.bookings.sockets} concurrent; max, then ${sizes.bookings.targetRate}/s)`,
  );
  const rawMax = await measured(LOOP_PHASES.rawMongo, () =>
    cpuWindow(
      () => rawMongoTransactions({ mongoUrl: t.mongoUrl, workers: sizes.bookings.sockets, ...sizes.rawMongo }),
      (r) => r.committed,
    ),
  );
  const mongoTransaction = {
    max: rawMax.result,
    atTarget: await rawMongoTransactions({
      mongoUrl: t.mongoUrl,
      workers: sizes.bookings.sockets,
      ...sizes.rawMongo,
      minIntervalMs: bookingInterval,
    }),
  };

  await phase('raw-mongo');
  // 1. Distinct resources: only the sockets that book are connected, and each watches the one
  // resource it books, as the booking page watches what it shows (slots:watch): every booking
  // reaches its own booker's socket, not every client (scenario 4 measures the fan-out to all).
  log(`1. bookings on ${sizes.bookings.sockets} distinct resources (max, then ${sizes.bookings.targetRate}/s)`);
  let sockets = await connectMany(t.nodeUrls, tokens, sizes.bookings.sockets);
  await watchAll(sockets, (i) => {
    const id = resourceIds[i];
    return id ? [id] : null;
  });
  const bookMax = await measured(LOOP_PHASES.bookingsMax, () =>
    cpuWindow(
      () =>
        distinctBookings({
          sockets,
          resourceIds,
          total: sizes.bookings.total,
          maxMs: sizes.bookings.maxMs,
          hourBase: 0,
          warmup: true,
        }),
      (r) => r.ok,
    ),
  );
  const bookings = {
    max: bookMax.result,
    atTarget: await measured(LOOP_PHASES.bookingsAtTarget, () =>
      distinctBookings({
        sockets,
        resourceIds,
        total: sizes.bookings.total,
        maxMs: sizes.bookings.maxMs,
        hourBase: 4000,
        minIntervalMs: bookingInterval,
      }),
    ),
  };
  closeAll(sockets);

  await phase('1-bookings');
  // 2. Contention.
  log(`2. contention: ${sizes.contention.racers} racers × ${sizes.contention.rounds} rounds`);
  sockets = await connectMany(t.nodeUrls, tokens, Math.max(sizes.contention.racers, sizes.availability.sockets));
  const racers = sockets.slice(0, sizes.contention.racers);
  const race = await measured(LOOP_PHASES.contention, () =>
    contention({ sockets: racers, resourceId: raceResource, rounds: sizes.contention.rounds, hourOffset: 0 }),
  );

  await phase('2-contention');
  // 3. Cached availability.
  log(
    `3. availability:get, warm cache, ${sizes.availability.sockets} sockets (max, then ${sizes.availability.targetRate}/s)`,
  );
  const availOpts = {
    sockets: sockets.slice(0, sizes.availability.sockets),
    resourceIds: resourceIds.slice(0, sizes.availability.resources),
    total: sizes.availability.total,
    maxMs: sizes.availability.maxMs,
  };
  const availability = {
    max: await measured(LOOP_PHASES.availabilityMax, () => cachedAvailability(availOpts)),
    atTarget: await measured(LOOP_PHASES.availabilityAtTarget, () =>
      cachedAvailability({ ...availOpts, minIntervalMs: availInterval }),
    ),
  };
  await phase('3-availability');
  // 6. slots:find over a week of many resources (paced: its latency target applies at this rate).
  log(
    `6. slots:find: ${sizes.slotsFind.resources} resources × 1 week, ${sizes.slotsFind.sockets} sockets at ${sizes.slotsFind.targetRate}/s`,
  );
  const finders = sockets.slice(0, sizes.slotsFind.sockets);
  const slotsFind = await measured(LOOP_PHASES.slotsFind, () =>
    slotSearch({
      sockets: finders,
      type: findType,
      total: sizes.slotsFind.total,
      maxMs: sizes.slotsFind.maxMs,
      minIntervalMs: (sizes.slotsFind.sockets * 1000) / sizes.slotsFind.targetRate,
    }),
  );
  await phase('6-slots-find');
  // 7. A weekly series next to a single booking, one at a time on an otherwise idle system.
  log(
    `7. booking:createSeries: ${sizes.series.rounds} weekly series of ${sizes.series.occurrences}, each next to one booking:create`,
  );
  const seriesSocket = sockets[0];
  if (!seriesSocket) throw new Error('no socket for the series scenario');
  const series = await measured(LOOP_PHASES.series, () =>
    seriesBookings({
      socket: seriesSocket,
      seriesResourceId: seriesResource,
      singleResourceId: seriesSingleResource,
      rounds: sizes.series.rounds,
      occurrences: sizes.series.occurrences,
      hourOffset: 100,
    }),
  );
  closeAll(sockets);
  sockets = [];

  await phase('7-series');
  const idle = {
    result: idleResult?.result ?? null,
    sockets: await connectMany(t.nodeUrls, tokens, sizes.idle.sockets),
  };
  // 4. Fan-out of a committed booking.
  log(`4. fan-out to ${idle.sockets.length} clients`);
  const booker = (await connectMany([first], tokens, 1))[0];
  if (!booker) throw new Error('no booker socket');
  const fanKey = (round: number) => new Date(Date.parse(hourSlotStart(200 + round))).toISOString();
  const fan = await measured(LOOP_PHASES.fanout, () =>
    fanout({
      sockets: idle.sockets,
      rounds: sizes.fanout.rounds,
      timeoutMs: sizes.fanout.timeoutMs,
      keyOf: fanKey,
      trigger: async (round) => {
        const start = fanKey(round);
        const end = new Date(Date.parse(start) + 3_600_000).toISOString();
        // Listeners are attached before the trigger; awaiting the ack leaves no timer behind.
        await command(booker, 'booking:create', { resourceId: fanResource, start, end });
        return { start };
      },
    }),
  );
  booker.close();

  await phase('4-fanout');
  // 4w. The same clients, as many bookings twice: nobody watching, then each watching one
  // resource. One booker per node (they watch nothing, so only the clients hear the bookings).
  log(
    `4w. ${sizes.watch.bookings} bookings over ${watchResources.length} resources to ${idle.sockets.length} clients: all hear, then each watches one`,
  );
  const bookers = await connectMany(t.nodeUrls, tokens, t.nodeUrls.length);
  await watchAll(bookers, () => []);
  const watchRun = async (name: string, watching: boolean, hourBase: number): Promise<WatchRun> => {
    const run = await measured(name, () =>
      cpuWindow(
        () =>
          watchedFanout({
            sockets: idle.sockets,
            bookers,
            resourceIds: watchResources,
            watching,
            hourBase,
            bookings: sizes.watch.bookings,
            timeoutMs: sizes.watch.timeoutMs,
            maxMs: sizes.watch.maxMs,
          }),
        (r) => r.booked,
      ),
    );
    return { result: run.result, cpu: run.cpu, nodeCpuMsPerBooking: run.nodeMsPerOp };
  };
  const allHear = await watchRun(LOOP_PHASES.allHear, false, 300);
  await phase('4-fanout-all-hear');
  await watchAll(idle.sockets, (i) => [watchResources[i % watchResources.length] ?? '']);
  const watching = await watchRun(LOOP_PHASES.watching, true, 300 + sizes.watch.bookings);
  closeAll(bookers);
  closeAll(idle.sockets);

  await phase('4w-watching');
  // 6b. Bare Socket.IO: echo (for 3), idle memory (for 5), broadcast (for 4).
  log(`baseline: bare Socket.IO (${t.bare.layout})`);
  const echoSockets = await connectMany(t.bare.urls, ['-'], sizes.availability.sockets);
  const socketIoEcho = {
    max: await bareEcho({ sockets: echoSockets, total: sizes.availability.total, maxMs: sizes.availability.maxMs }),
    atTarget: await bareEcho({
      sockets: echoSockets,
      total: sizes.availability.total,
      maxMs: sizes.availability.maxMs,
      minIntervalMs: availInterval,
    }),
  };
  closeAll(echoSockets);
  let bareIdle: { result: MemoryResult | null; sockets: BenchSocket[] };
  if (t.bare.memory)
    bareIdle = await idleMemory({
      probe: t.bare.memory,
      connect: (n) => connectMany(t.bare.urls, ['-'], n),
      count: sizes.idle.sockets,
      settleMs: sizes.idle.settleMs,
    });
  else bareIdle = { result: null, sockets: await connectMany(t.bare.urls, ['-'], sizes.idle.sockets) };
  const bareEmitUrl = t.bare.urls[0] ?? '';
  const socketIoBroadcast = await measured(LOOP_PHASES.bareBroadcast, () =>
    fanout({
      sockets: bareIdle.sockets,
      rounds: sizes.fanout.rounds,
      timeoutMs: sizes.fanout.timeoutMs,
      keyOf: fanKey,
      trigger: async (round) => {
        const start = fanKey(round);
        await fetch(new URL(`/emit?start=${encodeURIComponent(start)}`, bareEmitUrl), { method: 'POST' })
          .then((r) => r.arrayBuffer())
          .catch(() => undefined);
        return { start };
      },
    }),
  );
  closeAll(bareIdle.sockets);
  loop.close();

  // 8. Last: it kills a node, and every other figure wants both nodes as they started.
  // Probes get users of their own where there are enough, so none shares a storm user's limits.
  const spare = tokens.length >= sizes.recovery.clients + sizes.recovery.resources;
  const recovery = t.crash
    ? await recoveryScenario({
        crash: t.crash,
        sizes: sizes.recovery,
        first,
        staffToken: staff.token,
        stormTokens: tokens,
        probeTokens: spare ? tokens.slice(sizes.recovery.clients) : tokens,
        stamp,
        log,
      })
    : null;
  if (!t.crash) log('8. recovery: skipped (the bench crashes only nodes it runs itself, not BENCH_URLS)');

  const report: Omit<BenchReport, 'rows' | 'ratios'> = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    commit: runCommit,
    notes: [
      `Load generator, MongoDB, Redis and both server nodes share one machine (${cpus().length} cores): the client's CPU use counts against the servers.`,
      `Client pacing: at most ${Math.round(1000 / PER_SOCKET_MIN_INTERVAL_MS)} commands/s per socket (server limit 50/s per socket), so the socket counts used cap the offered load at sockets × ${Math.round(1000 / PER_SOCKET_MIN_INTERVAL_MS)}/s — above every target; no RATE_LIMITED answers are expected.`,
      `Bare Socket.IO baseline: ${t.bare.layout}.`,
      `Two phases for 1 and 3: "max" = every socket as fast as the limit allows (throughput), "@target" = paced to the target rate (${sizes.bookings.targetRate}/s, ${sizes.availability.targetRate}/s) where the latency targets apply; baselines are paced the same way.`,
      'Scenario 1: each booking socket watches the resource it books (slots:watch), as the booking page watches the resource it shows; until this release every booking went to all 32 sockets.',
      `availability:get asks for 2 UTC days of ${sizes.availability.resources} resources that scenario 1 booked hour after hour (answers carry up to 48 busy intervals, ~5 KB).`,
      'Memory is measured first, on fresh server processes (VmRSS from /proc of the process listening on each node port); the sockets are then closed and fresh ones opened for the fan-out.',
      "Raw MongoDB baseline: mongodb driver, same replica set, own database, same concurrency as scenario 1; overlap findOne → $inc fence → insert booking → insert outbox, snapshot/majority withTransaction. It omits the server's availability snapshot read, Redlock, cache and broadcast.",
      "Fan-out latency: client receipt time minus the event's `at` (stamped just before io.emit), both Date.now() on the same machine clock (1 ms resolution).",
      `4w: scenario 4's ${idle.sockets.length} clients, ${sizes.watch.bookings} bookings one at a time (each waits for its deliveries) round-robin over ${watchResources.length} resources from one booker per node; first nobody watches (every client hears every booking), then client i sends slots:watch {resourceIds: [resource i mod ${watchResources.length}]}. Node CPU per booking = CPU time of the node processes over the loop (/proc/<pid>/stat) ÷ bookings booked.`,
      'Event-loop delay: how late a 10 ms timer fired (p99 and max over the phase), in each node (booking_event_loop_delay_seconds on /metrics, reset by the scrape that starts the phase) and in the load generator (perf_hooks.monitorEventLoopDelay in the bench process).',
      ...(recovery ? [RECOVERY_NOTE] : []),
    ],
    sizes,
    scenarios: {
      bookings,
      contention: race,
      availability,
      slotsFind,
      idleMemory: idle.result,
      fanout: fan,
      watch: { allHear, watching },
      series,
      recovery,
    },
    baselines: { mongoTransaction, socketIoEcho, socketIoIdleMemory: bareIdle.result, socketIoBroadcast },
    cpu: { bookings: bookMax.cpu, mongoTransaction: rawMax.cpu },
    loopDelay,
  };
  return { ...report, rows: tableRows(report), ratios: ratioTargets(report) };
}

/** Scenario 8 on resources of its own. */
async function recoveryScenario(opts: {
  crash: CrashControl;
  sizes: BenchSizes['recovery'];
  first: string;
  staffToken: string;
  stormTokens: string[];
  probeTokens: string[];
  stamp: string;
  log: (line: string) => void;
}): Promise<RecoveryResult> {
  const { crash, sizes } = opts;
  opts.log(
    `8. recovery: ${sizes.clients} clients storm ${sizes.resources} resources through one node, kill -9 of it ×${sizes.rounds} (seed ${sizes.seed}), each resource booked again through the other`,
  );
  const resourceIds: string[] = [];
  for (let i = 0; i < sizes.resources; i += 1)
    resourceIds.push((await createResource(opts.first, opts.staffToken, `bench ${opts.stamp} crash ${i}`)).id);
  return crashRecovery({
    victimUrl: crash.victimUrl,
    survivorUrl: crash.survivorUrl,
    stormTokens: opts.stormTokens,
    probeTokens: opts.probeTokens,
    resourceIds,
    clients: sizes.clients,
    rounds: sizes.rounds,
    seed: sizes.seed,
    hourBase: 5000,
    kill: () => crash.kill(),
    restarted: () => crash.restarted(),
    giveUpMs: sizes.giveUpMs,
    log: opts.log,
  });
}

/** What `BENCH_ONLY=recovery` writes: scenario 8 alone, with its rows. */
export interface RecoveryReport {
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  commit: Commit;
  sizes: BenchSizes['recovery'];
  recovery: RecoveryResult;
  rows: TableRow[];
}

/** Scenario 8 alone (`BENCH_ONLY=recovery`): its own users and resources, nothing else measured. */
export async function runRecoveryOnly(
  t: Pick<BenchTargets, 'nodeUrls' | 'staff' | 'log'> & { crash: CrashControl },
  sizes: BenchSizes,
): Promise<RecoveryReport> {
  const log = t.log ?? (() => {});
  const startedAt = new Date().toISOString();
  const runCommit = commit();
  const first = t.nodeUrls[0];
  if (!first) throw new Error('no booking node URL');
  const staff = await loginStaff(first, t.staff.email, t.staff.password);
  const r = sizes.recovery;
  // Two storm sockets per user, a user of its own per probe.
  const users = await Promise.all(
    Array.from({ length: Math.ceil(r.clients / 2) + r.resources }, () => registerUser(first)),
  );
  const tokens = users.map((u) => u.token);
  const stormTokens = tokens.slice(0, Math.ceil(r.clients / 2));
  const probeTokens = tokens.slice(stormTokens.length);
  const recovery = await recoveryScenario({
    crash: t.crash,
    sizes: r,
    first,
    staffToken: staff.token,
    stormTokens,
    probeTokens,
    stamp: Date.now().toString(36),
    log,
  });
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    commit: runCommit,
    sizes: r,
    recovery,
    rows: recoveryRows(recovery),
  };
}

function hourSlotStart(hoursAhead: number): string {
  const base = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3_600_000;
  return new Date(base + hoursAhead * 3_600_000).toISOString();
}
