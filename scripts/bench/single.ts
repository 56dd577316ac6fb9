/**
 * One scenario alone, for A/B runs of performance work: `BENCH_ONLY=bookings` (scenario 1 and its
 * raw MongoDB transaction baseline, with the CPU per operation and the event-loop delay) and
 * `BENCH_ONLY=find` (scenario 6, slots:find, after scenario 3's paced phase, its baseline). The same
 * steps (steps.ts), rows (table-rows.ts) and ratio targets (report.ts) as the full run; printed in
 * the full table's columns and written to artifacts/bench-<name>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { closeAll, connectMany } from './client';
import { commit, machine } from './environment';
import type { PhaseLoopDelay } from './loop-delay';
import type { RawMongoResult } from './raw-mongo';
import { bookingRatios, failureText } from './report';
import type { ThroughputResult } from './scenarios';
import { createFixtures } from './setup';
import { availabilityAtTarget, bookingsStep, rawMongoStep, slotsFindStep, startRun } from './steps';
import type { Run } from './steps';
import { cpuPerOpLine, loopDelayLines, ratiosTable, rowsTable, runLines } from './table-format';
import { Rows, bookingRows, slotsFindRows } from './table-rows';
import type { BenchSizes, BenchTargets, CpuPerOp, Phases, RatioTarget, RunHeader, TableRow } from './types';

export const SINGLE_SCENARIOS = ['bookings', 'find'] as const;
export type SingleName = (typeof SINGLE_SCENARIOS)[number];

export const isSingle = (name: string): name is SingleName => (SINGLE_SCENARIOS as readonly string[]).includes(name);

/** What a single-scenario run needs: no bare Socket.IO servers, no memory probe, no crash, no holds nodes. */
export type SingleTargets = Omit<BenchTargets, 'bare' | 'nodeMemory' | 'crash' | 'holds'>;

/** What `BENCH_ONLY=bookings` or `BENCH_ONLY=find` writes to artifacts/bench-<name>.json. */
export interface SingleReport extends RunHeader {
  only: SingleName;
  scenarios: {
    bookings?: Phases<ThroughputResult>;
    /** Scenario 3's paced phase: the baseline of 6's rows. */
    availability?: { atTarget: ThroughputResult };
    slotsFind?: ThroughputResult;
  };
  baselines: { mongoTransaction?: Phases<RawMongoResult> };
  cpu: { bookings: CpuPerOp | null; mongoTransaction: CpuPerOp | null } | null;
  loopDelay: Record<string, PhaseLoopDelay>;
  rows: TableRow[];
  ratios: RatioTarget[];
  /** The lines printed under the tables (raw transaction, CPU per operation, failures). */
  details: string[];
}

type Part = Pick<SingleReport, 'notes' | 'scenarios' | 'baselines' | 'cpu' | 'rows' | 'ratios' | 'details'>;

/** Scenario 1 and its raw baseline, in the full run's order (raw first, before the servers get busy). */
async function bookingsPart(r: Run, loopDelay: Record<string, PhaseLoopDelay>): Promise<Part> {
  const raw = await rawMongoStep(r);
  await r.phase('raw-mongo');
  const one = await bookingsStep(r);
  await r.phase('1-bookings');
  const part = {
    sizes: r.sizes,
    scenarios: { bookings: one.bookings },
    baselines: { mongoTransaction: raw.mongoTransaction },
  };
  const rows = new Rows(loopDelay);
  bookingRows(part, rows);
  const nproc = machine().nproc;
  const tx = raw.mongoTransaction.max;
  return {
    notes: [
      'BENCH_ONLY=bookings: the raw MongoDB transaction baseline, then scenario 1 (max, then paced), as in the full ' +
        'run, where they follow scenario 5 (idle memory) on the same stack; nothing else is measured.',
    ],
    ...part,
    cpu: { bookings: one.cpu, mongoTransaction: raw.cpu },
    rows: rows.list,
    ratios: bookingRatios(part),
    details: [
      `Raw MongoDB tx: ${tx.perSecond}/s with ${tx.workers} concurrent ` +
        `(p50 ${tx.latency.p50} ms, p99 ${tx.latency.p99} ms, ${tx.committed} committed).`,
      cpuPerOpLine('Scenario 1 (max)', one.cpu, nproc),
      cpuPerOpLine('Raw MongoDB tx (max)', raw.cpu, nproc),
      `Failures (code ×count: first message): bookings max ${failureText(one.bookings.max.failures)}, ` +
        `@target ${failureText(one.bookings.atTarget.failures)}.`,
    ],
  };
}

/** Scenario 3's paced phase (6's baseline), then scenario 6, on one set of sockets as in the full run. */
async function findPart(r: Run, loopDelay: Record<string, PhaseLoopDelay>): Promise<Part> {
  const { t, sizes, fx } = r;
  const sockets = await connectMany(
    t.nodeUrls,
    fx.tokens,
    Math.max(sizes.availability.sockets, sizes.slotsFind.sockets),
  );
  r.log(`baseline: 3's paced phase, availability:get at ${sizes.availability.targetRate}/s`);
  const atTarget = await availabilityAtTarget(r, sockets);
  await r.phase('3-availability');
  const slotsFind = await slotsFindStep(r, sockets);
  await r.phase('6-slots-find');
  closeAll(sockets);
  const part = { sizes, scenarios: { slotsFind, availability: { atTarget } } };
  const rows = new Rows(loopDelay);
  slotsFindRows(part, rows);
  return {
    notes: [
      "BENCH_ONLY=find: scenario 3's paced phase (availability:get, its baseline), then scenario 6 (slots:find), " +
        'as in the full run; availability:get reads resources with no bookings here (the full run reads those ' +
        'scenario 1 booked hour after hour), so its answers are smaller.',
    ],
    scenarios: part.scenarios,
    baselines: {},
    cpu: null,
    rows: rows.list,
    ratios: [],
    details: [
      `Failures (code ×count: first message): availability @target ${failureText(atTarget.failures)}, ` +
        `slots:find ${failureText(slotsFind.failures)}.`,
    ],
  };
}

/** The fixtures of the full run, less the resources of scenarios this run does not measure. */
function fixtureSizes(only: SingleName, sizes: BenchSizes): BenchSizes {
  const watch = { ...sizes.watch, resources: 0 };
  return only === 'bookings'
    ? { ...sizes, watch, slotsFind: { ...sizes.slotsFind, resources: 0 } }
    : { ...sizes, watch };
}

export async function runSingle(only: SingleName, given: SingleTargets, sizes: BenchSizes): Promise<SingleReport> {
  const t: BenchTargets = { ...given, nodeMemory: null, bare: { urls: [], memory: null, layout: 'not started' } };
  const startedAt = new Date().toISOString();
  const runCommit = commit();
  t.log?.('setup: staff sign-in, users, resources');
  const fx = await createFixtures(t, fixtureSizes(only, sizes));
  const { r, loopDelay, loop } = startRun(t, sizes, fx);
  await r.phase('setup');
  let part: Part;
  try {
    part = only === 'bookings' ? await bookingsPart(r, loopDelay) : await findPart(r, loopDelay);
  } finally {
    loop.close();
  }
  const finishedAt = new Date().toISOString();
  return { only, startedAt, finishedAt, machine: machine(), commit: runCommit, sizes, loopDelay, ...part };
}

/** What a single-scenario run prints: the full table's columns, its ratio targets, CPU and loop-delay lines. */
export function renderSingle(report: SingleReport): string {
  return [
    ...runLines(report),
    ...report.notes.map((n) => `Note: ${n}`),
    '',
    ...rowsTable(report.rows),
    ...(report.ratios.length > 0
      ? ['', 'Ratio targets (docs/design.md "Performance targets"):', '', ...ratiosTable(report.ratios)]
      : []),
    '',
    ...report.details,
    ...loopDelayLines(report.loopDelay),
  ].join('\n');
}

/** Writes the report (with its rendered table) as JSON; creates the folder. */
export function writeSingleReport(path: string, report: SingleReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ ...report, table: renderSingle(report) }, null, 2)}\n`);
}
