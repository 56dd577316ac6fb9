/**
 * Runs every scenario and its raw baseline against the targets it is given, and renders the
 * table. Used by `npm run bench` (scripts/bench.ts) and, at a tiny size, by the smoke test.
 *
 * One function a step, in run order: fixtures (users, resources), 5 (idle memory, on fresh
 * processes), the raw MongoDB baseline, 1, then 2/3/6/7 on one set of sockets, 4 and 4w on the
 * idle clients, 9 (capacity), the bare Socket.IO baselines, 10 (holds, on nodes of its own) and 8 last (it kills a node).
 */
import { capacityScenario } from './capacity';
import { closeAll, command, connectMany, hourSlot } from './client';
import type { BenchSocket } from './client';
import { commit, machine } from './environment';
import { holdsScenario } from './holds';
import { LOOP_PHASES } from './loop-delay';
import { benchNotes } from './notes';
import { recoveryScenario } from './recovery-run';
import { runReportsBench } from './reports';
import { ratioTargets } from './report';
import { bareEcho, contention, fanout, idleMemory } from './scenarios';
import type { MemoryResult } from './scenarios';
import { seriesBookings } from './series';
import { cpuWindow, createFixtures } from './setup';
import { availabilityStep, bookingsStep, rawMongoStep, slotsFindStep, startRun } from './steps';
import type { Run } from './steps';
import { tableRows } from './table-rows';
import type { BenchReport, BenchSizes, BenchTargets, WatchRun } from './types';
import { watchAll, watchedFanout } from './watch-fanout';
import { runWebhooksBench } from './webhooks';

export { renderTable, writeReport } from './report';
export { runRecoveryOnly } from './recovery-run';
export { FULL_SIZES, TINY_SIZES } from './types';
export type { BenchReport, BenchSizes, BenchTargets, CrashControl, CpuPerOp, Phases, WatchRun } from './types';
export type { Machine } from './environment';

/** 5. Idle memory first, on fresh processes (RSS freed by earlier load would hide the growth). */
async function idleMemoryStep(r: Run): Promise<MemoryResult | null> {
  const { t, sizes } = r;
  r.log(`5. memory: ${sizes.idle.sockets} idle sockets`);
  const probe = t.nodeMemory;
  const idle = probe
    ? await r.measured(LOOP_PHASES.idle, () =>
        idleMemory({
          probe,
          connect: (n) => connectMany(t.nodeUrls, r.fx.tokens, n),
          count: sizes.idle.sockets,
          settleMs: sizes.idle.settleMs,
        }),
      )
    : null;
  if (idle) closeAll(idle.sockets);
  return idle?.result ?? null;
}

/** 2 (contention), 3 (cached availability), 6 (slots:find) and 7 (series), on one set of sockets. */
async function socketSteps(r: Run) {
  const { t, sizes, fx } = r;
  r.log(`2. contention: ${sizes.contention.racers} racers × ${sizes.contention.rounds} rounds`);
  const sockets = await connectMany(
    t.nodeUrls,
    fx.tokens,
    Math.max(sizes.contention.racers, sizes.availability.sockets),
  );
  const racers = sockets.slice(0, sizes.contention.racers);
  const race = await r.measured(LOOP_PHASES.contention, () =>
    contention({ sockets: racers, resourceId: fx.raceResource, rounds: sizes.contention.rounds, hourOffset: 0 }),
  );
  await r.phase('2-contention');

  const availability = await availabilityStep(r, sockets);
  await r.phase('3-availability');

  const slotsFind = await slotsFindStep(r, sockets);
  await r.phase('6-slots-find');

  // 7. A weekly series next to a single booking, one at a time on an otherwise idle system.
  r.log(
    `7. booking:createSeries: ${sizes.series.rounds} weekly series of ${sizes.series.occurrences}, ` +
      'each next to one booking:create',
  );
  const seriesSocket = sockets[0];
  if (!seriesSocket) throw new Error('no socket for the series scenario');
  const series = await r.measured(LOOP_PHASES.series, () =>
    seriesBookings({
      socket: seriesSocket,
      seriesResourceId: fx.seriesResource,
      singleResourceId: fx.seriesSingleResource,
      rounds: sizes.series.rounds,
      occurrences: sizes.series.occurrences,
      hourOffset: 100,
    }),
  );
  closeAll(sockets);
  return { race, availability, slotsFind, series };
}

const fanKey = (round: number) => hourSlot(200 + round).start;

/**
 * 4. Fan-out of a committed booking to every idle client; then 4w: the same clients, as many
 * bookings twice: nobody watching, then each watching one resource. One booker per node (they
 * watch nothing, so only the clients hear the bookings).
 */
async function fanoutSteps(r: Run) {
  const { t, sizes, fx } = r;
  const clients = await connectMany(t.nodeUrls, fx.tokens, sizes.idle.sockets);
  r.log(`4. fan-out to ${clients.length} clients`);
  const booker = (await connectMany([fx.first], fx.tokens, 1))[0];
  if (!booker) throw new Error('no booker socket');
  const fan = await r.measured(LOOP_PHASES.fanout, () =>
    fanout({
      sockets: clients,
      rounds: sizes.fanout.rounds,
      timeoutMs: sizes.fanout.timeoutMs,
      keyOf: fanKey,
      trigger: async (round) => {
        const start = fanKey(round);
        const end = new Date(Date.parse(start) + 3_600_000).toISOString();
        // Listeners are attached before the trigger; awaiting the ack leaves no timer behind.
        await command(booker, 'booking:create', { resourceId: fx.fanResource, start, end });
        return { start };
      },
    }),
  );
  booker.close();
  await r.phase('4-fanout');

  r.log(
    `4w. ${sizes.watch.bookings} bookings over ${fx.watchResources.length} resources to ${clients.length} clients: ` +
      'all hear, then each watches one',
  );
  const bookers = await connectMany(t.nodeUrls, fx.tokens, t.nodeUrls.length);
  await watchAll(bookers, () => []);
  const watchRun = async (name: string, watching: boolean, hourBase: number): Promise<WatchRun> => {
    const run = await r.measured(name, () =>
      cpuWindow(
        t,
        () =>
          watchedFanout({
            sockets: clients,
            bookers,
            resourceIds: fx.watchResources,
            watching,
            hourBase,
            bookings: sizes.watch.bookings,
            timeoutMs: sizes.watch.timeoutMs,
            maxMs: sizes.watch.maxMs,
          }),
        (x) => x.booked,
      ),
    );
    return { result: run.result, cpu: run.cpu, nodeCpuMsPerBooking: run.nodeMsPerOp };
  };
  const allHear = await watchRun(LOOP_PHASES.allHear, false, 300);
  await r.phase('4-fanout-all-hear');
  await watchAll(clients, (i) => [fx.watchResources[i % fx.watchResources.length] ?? '']);
  const watching = await watchRun(LOOP_PHASES.watching, true, 300 + sizes.watch.bookings);
  closeAll(bookers);
  closeAll(clients);
  return { fan, watch: { allHear, watching }, clients: clients.length };
}

/** 6b. Bare Socket.IO: echo (for 3), idle memory (for 5), broadcast (for 4). */
async function bareSteps(r: Run) {
  const { t, sizes } = r;
  r.log(`baseline: bare Socket.IO (${t.bare.layout})`);
  const echoSockets = await connectMany(t.bare.urls, ['-'], sizes.availability.sockets);
  const echoOpts = { sockets: echoSockets, total: sizes.availability.total, maxMs: sizes.availability.maxMs };
  const socketIoEcho = {
    max: await bareEcho(echoOpts),
    atTarget: await bareEcho({ ...echoOpts, minIntervalMs: r.availInterval }),
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
  const socketIoBroadcast = await r.measured(LOOP_PHASES.bareBroadcast, () =>
    fanout({
      sockets: bareIdle.sockets,
      rounds: sizes.fanout.rounds,
      timeoutMs: sizes.fanout.timeoutMs,
      keyOf: fanKey,
      trigger: async (round) => {
        const start = fanKey(round);
        await fetch(new URL(`/emit?start=${encodeURIComponent(start)}`, bareEmitUrl), { method: 'POST' })
          .then((res) => res.arrayBuffer())
          .catch(() => undefined);
        return { start };
      },
    }),
  );
  closeAll(bareIdle.sockets);
  return { socketIoEcho, socketIoIdleMemory: bareIdle.result, socketIoBroadcast };
}

/** 8. Last: it kills a node, and every other figure wants both nodes as they started. */
async function recoveryStep(r: Run) {
  const { t, sizes, fx } = r;
  if (!t.crash) {
    r.log('8. recovery: skipped (the bench crashes only nodes it runs itself, not BENCH_URLS)');
    return null;
  }
  // Probes get users of their own where there are enough, so none shares a storm user's limits.
  const spare = fx.tokens.length >= sizes.recovery.clients + sizes.recovery.resources;
  return recoveryScenario({
    crash: t.crash,
    sizes: sizes.recovery,
    first: fx.first,
    staffToken: fx.staffToken,
    stormTokens: fx.tokens,
    probeTokens: spare ? fx.tokens.slice(sizes.recovery.clients) : fx.tokens,
    stamp: fx.stamp,
    log: r.log,
  });
}

export async function runBench(t: BenchTargets, sizes: BenchSizes): Promise<BenchReport> {
  const log = t.log ?? (() => {});
  const phase = async (name: string) => t.phaseEnded?.(name);
  const startedAt = new Date().toISOString();
  const runCommit = commit();

  log('setup: staff sign-in, users, resources');
  const fx = await createFixtures(t, sizes);
  const { r, loopDelay, loop } = startRun(t, sizes, fx);
  await phase('setup');
  const idle = await idleMemoryStep(r);
  await phase('5-idle-memory');
  const raw = await rawMongoStep(r);
  await phase('raw-mongo');
  const one = await bookingsStep(r);
  await phase('1-bookings');
  const { race, availability, slotsFind, series } = await socketSteps(r);
  await phase('7-series');
  const { fan, watch, clients } = await fanoutSteps(r);
  await phase('4w-watching');
  const capacity = await capacityScenario({
    nodeUrls: t.nodeUrls,
    sizes: sizes.capacity,
    fx,
    log,
    measured: r.measured,
  });
  await phase('9-capacity');
  const bare = await bareSteps(r);
  loop.close();
  const holds = t.holds ? await holdsScenario({ start: t.holds, staff: t.staff, sizes: sizes.holds, log }) : null;
  // Reports and webhooks (issue 28): on databases (and a Redis prefix) of their own, the webhooks' node in this process.
  log(`reports: the bookings CSV of ${sizes.reports.rows} rows against a raw cursor`);
  const reports = await runReportsBench({ mongoUrl: t.mongoUrl, rows: sizes.reports.rows, log });
  if (!t.redisUrl) log('webhooks: skipped (no Redis given for its node)');
  else log(`webhooks: ${sizes.webhooks.changes} booking changes to a local receiver`);
  const webhooks = t.redisUrl
    ? await runWebhooksBench({ mongoUrl: t.mongoUrl, redisUrl: t.redisUrl, changes: sizes.webhooks.changes, log })
    : null;
  const recovery = await recoveryStep(r);

  const report: Omit<BenchReport, 'rows' | 'ratios'> = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    commit: runCommit,
    notes: benchNotes({
      sizes,
      bareLayout: t.bare.layout,
      fanoutClients: clients,
      watchResources: fx.watchResources.length,
      recovery: recovery !== null,
      holds,
    }),
    sizes,
    scenarios: {
      bookings: one.bookings,
      contention: race,
      availability,
      slotsFind,
      idleMemory: idle,
      fanout: fan,
      watch,
      series,
      recovery,
      capacity,
      holds,
      webhooks,
      reports,
    },
    baselines: { mongoTransaction: raw.mongoTransaction, ...bare },
    cpu: { bookings: one.cpu, mongoTransaction: raw.cpu },
    loopDelay,
  };
  return { ...report, rows: tableRows(report), ratios: ratioTargets(report) };
}
