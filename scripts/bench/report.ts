/**
 * What a bench run prints and writes: the table (one row per figure, beside its same-run
 * baseline), docs/design.md's ratio targets with their verdicts, the per-phase event-loop delay, and
 * artifacts/bench.json (the whole report with the rendered table).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LOOP_PHASES } from './loop-delay';
import type { PhaseLoopDelay } from './loop-delay';
import type { RecoveryResult } from './recovery';
import type { BenchReport, Phases, RecoveryReport } from './run';
import type { Failures, ThroughputResult } from './scenarios';
import { ratio } from './stats';

export interface TableRow {
  scenario: string;
  figure: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number | null;
  ratio: number | null;
  target: string;
  meets: boolean | null;
}

/** A docs/design.md target stated as a ratio to a primitive measured in the same run. */
export interface RatioTarget {
  target: string;
  figure: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number;
  /** value ÷ baselineValue (null when the baseline is 0). */
  ratio: number | null;
  /** The bound on `ratio`: at least (`≥`) or at most (`≤`) `limit`. */
  bound: '≥' | '≤';
  limit: number;
  /** null when the ratio could not be formed, or a figure it depends on is missing. */
  meets: boolean | null;
}

type Report = Omit<BenchReport, 'rows' | 'ratios'>;

/** The worst node's p99 in a phase (null when the nodes' figures could not be read). */
function worstNodeP99(phase: PhaseLoopDelay | undefined): number | null {
  if (!phase?.nodes) return null;
  const p99s = Object.values(phase.nodes).map((d) => d.p99Ms);
  return p99s.length === 0 ? null : Math.max(...p99s);
}

export function tableRows(r: Report): TableRow[] {
  const { contention: race, idleMemory: mem, fanout: fan } = r.scenarios;
  const { bookings: bk, availability: av } = r.scenarios;
  const {
    mongoTransaction: txs,
    socketIoEcho: echos,
    socketIoIdleMemory: bareMem,
    socketIoBroadcast: bare,
  } = r.baselines;
  const tx = txs.max;
  const rows: TableRow[] = [];
  const row = (x: Omit<TableRow, 'ratio'>) => rows.push({ ...x, ratio: ratio(x.value, x.baselineValue ?? undefined) });
  // The worst node's event-loop delay p99 beside the load generator's, in the same phase (no
  // ratio: a generator's delay is no baseline for a node's, only a warning that its clock ran late).
  const loopRow = (scenario: string, phase: string, figure: string) => {
    const d = r.loopDelay[phase];
    const worst = worstNodeP99(d);
    if (!d || worst === null) return;
    rows.push({
      scenario,
      figure,
      value: worst,
      unit: 'ms',
      baseline: 'generator loop p99',
      baselineValue: d.generator.p99Ms,
      ratio: null,
      target: '',
      meets: null,
    });
  };
  const raw = 'raw Mongo tx';
  const s1 = `1 bookings ×${bk.max.sockets} res`;
  row({
    scenario: s1,
    figure: 'throughput (max)',
    value: bk.max.perSecond,
    unit: '/s',
    baseline: raw,
    baselineValue: txs.max.perSecond,
    target: '≥ 500/s',
    meets: bk.max.perSecond >= 500,
  });
  for (const p of ['p50', 'p95', 'p99'] as const) {
    row({
      scenario: s1,
      figure: `ack ${p} (max)`,
      value: bk.max.latency[p],
      unit: 'ms',
      baseline: raw,
      baselineValue: txs.max.latency[p],
      target: '',
      meets: null,
    });
  }
  loopRow(s1, LOOP_PHASES.bookingsMax, 'node loop p99 (max)');
  row({
    scenario: s1,
    figure: `rate @${r.sizes.bookings.targetRate}/s`,
    value: bk.atTarget.perSecond,
    unit: '/s',
    baseline: raw,
    baselineValue: txs.atTarget.perSecond,
    target: '',
    meets: null,
  });
  for (const p of ['p50', 'p95', 'p99'] as const) {
    row({
      scenario: s1,
      figure: `ack ${p} @target`,
      value: bk.atTarget.latency[p],
      unit: 'ms',
      baseline: raw,
      baselineValue: txs.atTarget.latency[p],
      target: p === 'p99' ? '≤ 100 ms' : '',
      meets:
        p === 'p99'
          ? bk.atTarget.latency.p99 <= 100 && bk.atTarget.perSecond >= r.sizes.bookings.targetRate * 0.95
          : null,
    });
  }
  loopRow(s1, LOOP_PHASES.bookingsAtTarget, 'node loop p99 @target');
  const s2 = `2 contention ×${race.racers}`;
  const oneWinner = race.winnersPerRound.every((w) => w === 1);
  row({
    scenario: s2,
    figure: 'winners/round (min)',
    value: Math.min(...race.winnersPerRound),
    unit: '',
    baseline: '',
    baselineValue: null,
    target: 'exactly 1',
    meets: oneWinner,
  });
  row({
    scenario: s2,
    figure: 'winners/round (max)',
    value: Math.max(...race.winnersPerRound),
    unit: '',
    baseline: '',
    baselineValue: null,
    target: 'exactly 1',
    meets: oneWinner,
  });
  row({
    scenario: s2,
    figure: 'losers SLOT_TAKEN ≤ 1 s',
    value: race.losersSlotTakenWithin1s,
    unit: `/${race.losers}`,
    baseline: '',
    baselineValue: null,
    target: 'all',
    meets: race.losersSlotTakenWithin1s === race.losers,
  });
  for (const p of ['p50', 'p99', 'max'] as const) {
    row({
      scenario: s2,
      figure: `loser ${p}`,
      value: race.loserLatency[p],
      unit: 'ms',
      baseline: `${raw} p${p === 'max' ? '99' : p.slice(1)}`,
      baselineValue: p === 'max' ? tx.latency.p99 : tx.latency[p],
      target: p === 'max' ? '≤ 1000 ms' : '',
      meets: p === 'max' ? race.loserLatency.max <= 1000 : null,
    });
  }
  loopRow(s2, LOOP_PHASES.contention, 'node loop p99');
  const s3 = `3 availability ×${av.max.sockets}`;
  row({
    scenario: s3,
    figure: 'throughput (max)',
    value: av.max.perSecond,
    unit: '/s',
    baseline: 'bare IO ack',
    baselineValue: echos.max.perSecond,
    target: '≥ 5000/s',
    meets: av.max.perSecond >= 5000,
  });
  for (const p of ['p50', 'p99'] as const) {
    row({
      scenario: s3,
      figure: `${p} (max)`,
      value: av.max.latency[p],
      unit: 'ms',
      baseline: 'bare IO ack',
      baselineValue: echos.max.latency[p],
      target: '',
      meets: null,
    });
  }
  loopRow(s3, LOOP_PHASES.availabilityMax, 'node loop p99 (max)');
  row({
    scenario: s3,
    figure: `rate @${r.sizes.availability.targetRate}/s`,
    value: av.atTarget.perSecond,
    unit: '/s',
    baseline: 'bare IO ack',
    baselineValue: echos.atTarget.perSecond,
    target: '',
    meets: null,
  });
  for (const p of ['p50', 'p99'] as const) {
    row({
      scenario: s3,
      figure: `${p} @target`,
      value: av.atTarget.latency[p],
      unit: 'ms',
      baseline: 'bare IO ack',
      baselineValue: echos.atTarget.latency[p],
      target: p === 'p99' ? '≤ 10 ms' : '',
      meets:
        p === 'p99'
          ? av.atTarget.latency.p99 <= 10 && av.atTarget.perSecond >= r.sizes.availability.targetRate * 0.95
          : null,
    });
  }
  loopRow(s3, LOOP_PHASES.availabilityAtTarget, 'node loop p99 @target');
  const se = r.scenarios.series;
  const s7 = `7 series ×${se.occurrences} weekly`;
  row({
    scenario: s7,
    figure: 'ack p50',
    value: se.series.p50,
    unit: 'ms',
    baseline: 'booking:create p50',
    baselineValue: se.single.p50,
    target: '≤ 10× base',
    meets: se.series.count > 0 && se.series.p50 <= 10 * se.single.p50,
  });
  row({
    scenario: s7,
    figure: 'ack max',
    value: se.series.max,
    unit: 'ms',
    baseline: 'booking:create max',
    baselineValue: se.single.max,
    target: '',
    meets: null,
  });
  loopRow(s7, LOOP_PHASES.series, 'node loop p99');
  const sf = r.scenarios.slotsFind;
  const s6 = `6 slots:find ×${r.sizes.slotsFind.resources} res`;
  row({
    scenario: s6,
    figure: `rate @${r.sizes.slotsFind.targetRate}/s`,
    value: sf.perSecond,
    unit: '/s',
    baseline: '',
    baselineValue: null,
    target: '',
    meets: null,
  });
  row({
    scenario: s6,
    figure: 'p50 (1 week)',
    value: sf.latency.p50,
    unit: 'ms',
    baseline: 'avail:get p50 @target',
    baselineValue: av.atTarget.latency.p50,
    target: '',
    meets: null,
  });
  row({
    scenario: s6,
    figure: 'p99 (1 week)',
    value: sf.latency.p99,
    unit: 'ms',
    baseline: 'avail:get p99 @target',
    baselineValue: av.atTarget.latency.p99,
    target: '≤ 50 ms',
    meets: sf.latency.p99 <= 50 && sf.ok > 0,
  });
  loopRow(s6, LOOP_PHASES.slotsFind, 'node loop p99');
  const s4 = `4 fan-out ×${fan.clients}`;
  for (const p of ['p50', 'p99'] as const) {
    row({
      scenario: s4,
      figure: `emit→client ${p}`,
      value: fan.fromEmit[p],
      unit: 'ms',
      baseline: 'bare IO bcast',
      baselineValue: bare.fromEmit[p],
      target: p === 'p99' ? '≤ 150 ms' : '',
      meets: p === 'p99' ? fan.fromEmit.p99 <= 150 && fan.missed === 0 : null,
    });
  }
  row({
    scenario: s4,
    figure: 'create→client p99',
    value: fan.fromTrigger.p99,
    unit: 'ms',
    baseline: 'bare POST→client',
    baselineValue: bare.fromTrigger.p99,
    target: '',
    meets: null,
  });
  row({
    scenario: s4,
    figure: 'missed deliveries',
    value: fan.missed,
    unit: '',
    baseline: 'bare IO bcast',
    baselineValue: bare.missed,
    target: '0',
    meets: fan.missed === 0,
  });
  loopRow(s4, LOOP_PHASES.fanout, 'node loop p99');
  // 4w beside 4: the same clients, as many bookings, all hearing every booking and then watching.
  const { allHear, watching } = r.scenarios.watch;
  const all = allHear.result;
  const w = watching.result;
  const sAll = `${s4}, ${all.booked} bookings`;
  if (allHear.nodeCpuMsPerBooking !== null) {
    row({
      scenario: sAll,
      figure: 'node CPU/booking',
      value: allHear.nodeCpuMsPerBooking,
      unit: 'ms',
      baseline: '',
      baselineValue: null,
      target: '',
      meets: null,
    });
  }
  row({
    scenario: sAll,
    figure: 'emit→client p99',
    value: all.fromEmit.p99,
    unit: 'ms',
    baseline: 'bare IO bcast',
    baselineValue: bare.fromEmit.p99,
    target: '',
    meets: null,
  });
  row({
    scenario: sAll,
    figure: 'missed + extra',
    value: all.missed + all.extra,
    unit: '',
    baseline: '',
    baselineValue: null,
    target: '0',
    meets: all.missed + all.extra === 0 && all.booked > 0,
  });
  loopRow(sAll, LOOP_PHASES.allHear, 'node loop p99');
  const sW = `4w watch 1/${w.resources} ×${w.clients}`;
  if (watching.nodeCpuMsPerBooking !== null) {
    const base = allHear.nodeCpuMsPerBooking;
    row({
      scenario: sW,
      figure: 'node CPU/booking',
      value: watching.nodeCpuMsPerBooking,
      unit: 'ms',
      baseline: 'all hear',
      baselineValue: base,
      target: '≤ 0.2× base',
      meets: base === null ? null : watching.nodeCpuMsPerBooking * 5 <= base,
    });
  }
  row({
    scenario: sW,
    figure: 'emit→watcher p50',
    value: w.fromEmit.p50,
    unit: 'ms',
    baseline: 'bare IO bcast',
    baselineValue: bare.fromEmit.p50,
    target: '',
    meets: null,
  });
  row({
    scenario: sW,
    figure: 'emit→watcher p99',
    value: w.fromEmit.p99,
    unit: 'ms',
    baseline: 'bare IO bcast',
    baselineValue: bare.fromEmit.p99,
    target: '≤ 1.5× base',
    meets: w.delivered > 0 && w.fromEmit.p99 <= 1.5 * bare.fromEmit.p99,
  });
  row({
    scenario: sW,
    figure: 'missed deliveries',
    value: w.missed,
    unit: `/${w.expected}`,
    baseline: '',
    baselineValue: null,
    target: '0',
    meets: w.missed === 0 && w.booked > 0,
  });
  row({
    scenario: sW,
    figure: 'extra deliveries',
    value: w.extra,
    unit: '',
    baseline: '',
    baselineValue: null,
    target: '0',
    meets: w.extra === 0,
  });
  loopRow(sW, LOOP_PHASES.watching, 'node loop p99');
  if (mem) {
    const kb = (b: number) => Math.round((b / 1024) * 10) / 10;
    const s5 = `5 idle sockets ×${mem.idleSockets}`;
    row({
      scenario: s5,
      figure: 'server RSS/socket',
      value: kb(mem.rssBytesPerSocket),
      unit: 'KB',
      baseline: 'bare IO RSS',
      baselineValue: bareMem ? kb(bareMem.rssBytesPerSocket) : null,
      target: '≤ 50 KB',
      meets: mem.rssBytesPerSocket <= 50 * 1024,
    });
    if (mem.heapBytesPerSocket !== null) {
      row({
        scenario: s5,
        figure: 'heap/socket',
        value: kb(mem.heapBytesPerSocket),
        unit: 'KB',
        baseline: 'bare IO heap',
        baselineValue: bareMem?.heapBytesPerSocket != null ? kb(bareMem.heapBytesPerSocket) : null,
        target: '',
        meets: null,
      });
    }
    loopRow(s5, LOOP_PHASES.idle, 'node loop p99');
  }
  if (r.scenarios.recovery) rows.push(...recoveryRows(r.scenarios.recovery));
  return rows;
}

/**
 * Scenario 8's rows: each round's slowest resource and the maximum over the rounds, from the
 * `kill -9` to its first successful booking through the other node, against docs/design.md's 5 s. A
 * resource never booked again within the probes' patience counts as that patience, and fails.
 */
export function recoveryRows(rec: RecoveryResult): TableRow[] {
  const scenario = `8 recovery ×${rec.resources} res, ${rec.clients} clients`;
  const target = `≤ ${rec.targetMs} ms`;
  const rows: TableRow[] = rec.rounds.map((round, i) => {
    const never = round.perResourceMs.filter((ms) => ms === null).length;
    const value = round.maxMs ?? Math.max(...round.perResourceMs.map((ms) => ms ?? rec.giveUpMs));
    return {
      scenario,
      figure: `kill ${i + 1}: slowest resource${never > 0 ? ` (${never} never booked)` : ''}`,
      value,
      unit: 'ms',
      baseline: '',
      baselineValue: null,
      ratio: null,
      target,
      meets: round.maxMs !== null && round.maxMs <= rec.targetMs && Object.keys(round.refused).length === 0,
    };
  });
  const worst = rows.length === 0 ? 0 : Math.max(...rows.map((x) => x.value));
  rows.push({
    scenario,
    figure: `max over ${rec.rounds.length} kills`,
    value: worst,
    unit: 'ms',
    baseline: '',
    baselineValue: null,
    ratio: null,
    target,
    meets: rec.meets,
  });
  return rows;
}

/** What `BENCH_ONLY=recovery` prints (and keeps in its JSON): scenario 8's table and every figure. */
export function renderRecoveryTable(report: RecoveryReport): string {
  const m = report.machine;
  const c = report.commit;
  const rec = report.recovery;
  const lines = report.rows.map((r) => [r.scenario, r.figure, `${r.value} ${r.unit}`, r.target, verdict(r.meets)]);
  return [
    `Machine: ${m.nproc} cores (${m.cpuModel}), ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}, ${m.platform}`,
    `Commit: ${c.sha ?? 'unknown'}${c.dirty ? ` with uncommitted changes (${c.changes.length} paths)` : c.dirty === false ? ' (clean tree)' : ''}; run ${report.startedAt} to ${report.finishedAt}`,
    `Note: ${RECOVERY_NOTE}`,
    '',
    ...fixedTable(['scenario', 'figure', 'value', 'target', 'ok'], lines),
    '',
    ...recoveryLines(rec),
  ].join('\n');
}

/** How scenario 8 is measured (a note of the full table too). */
export const RECOVERY_NOTE =
  "Scenario 8 (recovery): the storm's clients book and cancel back to back through node A; A is killed with SIGKILL at a seeded moment (0-2 s after the storm's first answers) and restarted by the stack after each round; from the kill on, one booking per resource goes through node B, retried on BUSY or silence with the same idempotency key (pause 25 ms doubling to 200 ms), timed from the kill to its ok. MongoDB runs with transactionLifetimeLimitSeconds=3 (docs/operations.md).";

function recoveryLines(rec: RecoveryResult): string[] {
  return rec.rounds.map(
    (round, i) =>
      `Recovery kill ${i + 1} (${round.killAfterMs} ms into the storm; its answers before: ${JSON.stringify(round.stormOutcomes)}): ms per resource [${round.perResourceMs.map((ms) => ms ?? 'never').join(', ')}]; probe retries ${JSON.stringify(round.retried)}${Object.keys(round.refused).length > 0 ? `; refused ${JSON.stringify(round.refused)}` : ''}.`,
  );
}

/** Writes `BENCH_ONLY=recovery`'s report (with its rendered table) as JSON; creates the folder. */
export function writeRecoveryReport(path: string, report: RecoveryReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ ...report, table: renderRecoveryTable(report) }, null, 2)}\n`);
}

/** docs/design.md's ratio targets ("Performance targets"), each against its primitive of the same run. */
export function ratioTargets(r: Report): RatioTarget[] {
  const { bookings: bk, availability: av, series: se, fanout: fan, watch } = r.scenarios;
  const { mongoTransaction: txs, socketIoEcho: echos, socketIoBroadcast: bare } = r.baselines;
  const out: RatioTarget[] = [];
  const add = (x: Omit<RatioTarget, 'ratio' | 'meets'> & { valid: boolean }) => {
    const { valid, ...rest } = x;
    const q = ratio(x.value, x.baselineValue);
    const meets =
      !valid || q === null
        ? null
        : x.bound === '≥'
          ? x.value >= x.limit * x.baselineValue
          : x.value <= x.limit * x.baselineValue;
    out.push({ ...rest, ratio: q, meets });
  };
  add({
    target: 'bookings on distinct resources: throughput',
    figure: `booking:create/s (max, ×${bk.max.sockets})`,
    value: bk.max.perSecond,
    unit: '/s',
    baseline: 'raw fenced Mongo tx/s (max, same concurrency)',
    baselineValue: txs.max.perSecond,
    bound: '≥',
    limit: 0.5,
    valid: bk.max.ok > 0,
  });
  add({
    target: 'bookings on distinct resources: p99 ack',
    figure: `booking:create p99 @${r.sizes.bookings.targetRate}/s`,
    value: bk.atTarget.latency.p99,
    unit: 'ms',
    baseline: 'raw Mongo tx p99 (same pace)',
    baselineValue: txs.atTarget.latency.p99,
    bound: '≤',
    limit: 3,
    valid: bk.atTarget.ok > 0,
  });
  add({
    target: 'cached availability:get: rate',
    figure: `availability:get/s (max, ×${av.max.sockets})`,
    value: av.max.perSecond,
    unit: '/s',
    baseline: 'bare Socket.IO ack/s (max)',
    baselineValue: echos.max.perSecond,
    bound: '≥',
    limit: 0.8,
    valid: av.max.ok > 0,
  });
  add({
    target: `cached availability:get: p99 at ${r.sizes.availability.targetRate}/s`,
    figure: `availability:get p99 @${r.sizes.availability.targetRate}/s`,
    value: av.atTarget.latency.p99,
    unit: 'ms',
    baseline: 'bare Socket.IO ack p99 (same pace)',
    baselineValue: echos.atTarget.latency.p99,
    bound: '≤',
    limit: 2,
    valid: av.atTarget.ok > 0,
  });
  add({
    target: `a series of ${se.occurrences} weekly occurrences`,
    figure: 'booking:createSeries p50',
    value: se.series.p50,
    unit: 'ms',
    baseline: 'one booking:create p50',
    baselineValue: se.single.p50,
    bound: '≤',
    limit: 10,
    valid: se.series.count > 0,
  });
  add({
    target: `fan-out to ${fan.clients} clients on two nodes: p99`,
    figure: 'emit→client p99',
    value: fan.fromEmit.p99,
    unit: 'ms',
    baseline: 'bare Socket.IO broadcast p99',
    baselineValue: bare.fromEmit.p99,
    bound: '≤',
    limit: 1.5,
    valid: fan.delivered > 0 && fan.missed === 0,
  });
  const w = watch.watching;
  const all = watch.allHear;
  if (w.nodeCpuMsPerBooking !== null && all.nodeCpuMsPerBooking !== null) {
    add({
      target: `slots:watch (1 of ${w.result.resources} each): node CPU per booking ≥ 5× lower`,
      figure: 'node CPU/booking, watching',
      value: w.nodeCpuMsPerBooking,
      unit: 'ms',
      baseline: `node CPU/booking, all ${all.result.clients} hear`,
      baselineValue: all.nodeCpuMsPerBooking,
      bound: '≤',
      limit: 0.2,
      valid: w.result.booked > 0 && all.result.booked > 0,
    });
  }
  add({
    target: 'slots:watch: delivery p99 to the watchers',
    figure: 'emit→watcher p99',
    value: w.result.fromEmit.p99,
    unit: 'ms',
    baseline: 'bare Socket.IO broadcast p99',
    baselineValue: bare.fromEmit.p99,
    bound: '≤',
    limit: 1.5,
    valid: w.result.delivered > 0 && w.result.missed === 0 && w.result.extra === 0,
  });
  return out;
}

function fixedTable(header: string[], lines: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [fmt(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)];
}

const verdict = (meets: boolean | null) => (meets === null ? '' : meets ? 'yes' : 'NO');

/** The fixed-width tables printed by `npm run bench` (and pasted into the README). */
export function renderTable(report: BenchReport): string {
  const lines = report.rows.map((r) => [
    r.scenario,
    r.figure,
    `${r.value}${r.unit ? ` ${r.unit}` : ''}`,
    r.baseline,
    r.baselineValue === null
      ? ''
      : `${r.baselineValue}${r.unit && !r.unit.startsWith('/') ? ` ${r.unit}` : r.unit === '/s' ? ' /s' : ''}`,
    r.ratio === null ? '' : `×${r.ratio}`,
    r.target,
    verdict(r.meets),
  ]);
  const ratioLines = report.ratios.map((q) => [
    q.target,
    `${q.value} ${q.unit}`,
    q.baseline,
    `${q.baselineValue} ${q.unit}`,
    q.ratio === null ? '' : `×${q.ratio}`,
    `${q.bound} ${q.limit}×`,
    verdict(q.meets),
  ]);
  const m = report.machine;
  const c = report.commit;
  const tx = report.baselines.mongoTransaction.max;
  const out = [
    `Machine: ${m.nproc} cores (${m.cpuModel}), ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}, ${m.platform}`,
    `Commit: ${c.sha ?? 'unknown'}${c.dirty ? ` with uncommitted changes (${c.changes.length} paths)` : c.dirty === false ? ' (clean tree)' : ''}; run ${report.startedAt} to ${report.finishedAt}`,
    ...report.notes.map((n) => `Note: ${n}`),
    '',
    ...fixedTable(['scenario', 'figure', 'value', 'baseline', 'base value', 'ratio', 'target', 'ok'], lines),
    '',
    'Ratio targets (docs/design.md "Performance targets", each against its primitive in this run):',
    '',
    ...fixedTable(['target', 'value', 'baseline', 'base value', 'ratio', 'bound', 'ok'], ratioLines),
    '',
    `Raw MongoDB tx: ${tx.perSecond}/s with ${tx.workers} concurrent (p50 ${tx.latency.p50} ms, p99 ${tx.latency.p99} ms, ${tx.committed} committed).`,
    ...cpuLines(report),
    ...loopDelayLines(report),
    `Contention winners per round: [${report.scenarios.contention.winnersPerRound.join(', ')}]; loser outcomes: ${JSON.stringify(report.scenarios.contention.loserOutcomes)}.`,
    ...(report.scenarios.recovery
      ? recoveryLines(report.scenarios.recovery)
      : ['Recovery (8): not run (the bench crashes only nodes it runs itself, not BENCH_URLS).']),
    `Failures (code ×count: first message): ${failureLines(report).join('; ')}.`,
  ];
  return out.join('\n');
}

function cpuLines(report: BenchReport): string[] {
  const perOp = (label: string, c: BenchReport['cpu']['bookings']) =>
    c
      ? `${label} CPU per operation: ${Object.entries(c.msPerOp)
          .map(([n, v]) => `${n} ${v} ms`)
          .join(
            ', ',
          )}; total ${c.totalMsPerOp} ms → CPU-bound ceiling on ${report.machine.nproc} cores ≈ ${c.cpuBoundCeilingPerSecond}/s.`
      : `${label} CPU per operation: not measured.`;
  const { allHear, watching } = report.scenarios.watch;
  return [
    perOp('Scenario 1 (max)', report.cpu.bookings),
    perOp('Raw MongoDB tx (max)', report.cpu.mongoTransaction),
    perOp(`4w all hear (${allHear.result.booked} bookings)`, allHear.cpu),
    perOp(`4w watching (${watching.result.booked} bookings)`, watching.cpu),
  ];
}

function loopDelayLines(report: BenchReport): string[] {
  const fmt = (d: { p99Ms: number; maxMs: number }) => `p99 ${d.p99Ms} / max ${d.maxMs} ms`;
  return [
    'Event-loop delay by phase (nodes from /metrics, generator in-process):',
    ...Object.entries(report.loopDelay).map(([phase, d]) => {
      const nodes = d.nodes
        ? Object.entries(d.nodes)
            .map(([name, x]) => `${name} ${fmt(x)}`)
            .join(', ')
        : 'nodes not readable';
      return `  ${phase}: ${nodes}; load generator ${fmt(d.generator)}`;
    }),
  ];
}

/** `BUSY ×3: "…"`: each code's count and the first message the server gave with it. */
export function failureText(failures: Failures): string {
  const codes = Object.entries(failures).sort(([a], [b]) => a.localeCompare(b));
  return codes.length === 0
    ? 'none'
    : codes.map(([code, f]) => `${code} ×${f.count}: ${JSON.stringify(f.message)}`).join(', ');
}

function phasesText(phases: Phases<ThroughputResult>): string {
  return `max ${failureText(phases.max.failures)}, @target ${failureText(phases.atTarget.failures)}`;
}

function failureLines(report: BenchReport): string[] {
  const s = report.scenarios;
  return [
    `bookings ${phasesText(s.bookings)}`,
    `availability ${phasesText(s.availability)}`,
    `slots:find ${failureText(s.slotsFind.failures)}`,
    `series ${failureText(s.series.failures)}`,
    `4w all hear ${failureText(s.watch.allHear.result.failures)}`,
    `4w watching ${failureText(s.watch.watching.result.failures)}`,
  ];
}

/** Writes the report (with its rendered table) as JSON; creates the folder. */
export function writeReport(path: string, report: BenchReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ ...report, table: renderTable(report) }, null, 2)}\n`);
}
