/**
 * The bench table's rows: one figure a row, beside its same-run baseline and docs/design.md's
 * target where there is one. One function a scenario, in table order (1, 2, 3, 7, 6, 4, 4w, 5, 9, 10,
 * webhooks, reports, 8).
 */
import { holdsRows } from './holds-rows';
import { reportsRows, webhooksRows } from './integration-rows';
import { LOOP_PHASES } from './loop-delay';
import type { PhaseLoopDelay } from './loop-delay';
import { recoveryRows } from './report';
import { ratio } from './stats';
import type { LatencySummary } from './stats';
import type { BenchReport, BookingsPart, Phases, SlotsFindPart, TableRow } from './types';

type Report = Omit<BenchReport, 'rows' | 'ratios'>;

const RAW = 'raw Mongo tx';

/** The worst node's p99 in a phase (null when the nodes' figures could not be read). */
export function worstNodeP99(phase: PhaseLoopDelay | undefined): number | null {
  if (!phase?.nodes) return null;
  const p99s = Object.values(phase.nodes).map((d) => d.p99Ms);
  return p99s.length === 0 ? null : Math.max(...p99s);
}

/** Collects rows; the ratio is formed from each row's value and baseline. */
export class Rows {
  readonly list: TableRow[] = [];

  constructor(private readonly loopDelay: Report['loopDelay']) {}

  row(x: Omit<TableRow, 'ratio'>): void {
    this.list.push({ ...x, ratio: ratio(x.value, x.baselineValue ?? undefined) });
  }

  /** A figure with no target (and so no verdict). */
  info(
    scenario: string,
    figure: string,
    value: number,
    unit: string,
    baseline = '',
    baselineValue: number | null = null,
  ) {
    this.row({ scenario, figure, value, unit, baseline, baselineValue, target: '', meets: null });
  }

  /**
   * The worst node's event-loop delay p99 beside the load generator's, in the same phase (no
   * ratio: a generator's delay is no baseline for a node's, only a warning that its clock ran late).
   */
  loop(scenario: string, phase: string, figure: string): void {
    const d = this.loopDelay[phase];
    const worst = worstNodeP99(d);
    if (!d || worst === null) return;
    this.list.push({
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
  }
}

/** Throughput and latency measured twice: as fast as allowed (max), then paced to the target rate. */
interface PhasedSpec {
  scenario: string;
  baseline: string;
  measured: Phases<Rated>;
  base: Phases<Rated>;
  /** The throughput target of the max phase, /s. */
  minPerSecond: number;
  /** The paced phase's rate, and its p99 target (met only at ≥ 95 % of that rate). */
  targetRate: number;
  p99Ms: number;
  percentiles: ReadonlyArray<'p50' | 'p95' | 'p99'>;
  /** The latency figure's name before its phase: `ack p50`, `p99`. */
  latencyFigure: (p: string) => string;
  loopPhases: { max: string; atTarget: string };
}

type Rated = { perSecond: number; latency: LatencySummary };

function phasedRows(rows: Rows, s: PhasedSpec): void {
  const { scenario, baseline, measured: m, base } = s;
  rows.row({
    scenario,
    figure: 'throughput (max)',
    value: m.max.perSecond,
    unit: '/s',
    baseline,
    baselineValue: base.max.perSecond,
    target: `≥ ${s.minPerSecond}/s`,
    meets: m.max.perSecond >= s.minPerSecond,
  });
  for (const p of s.percentiles)
    rows.info(scenario, `${s.latencyFigure(p)} (max)`, m.max.latency[p], 'ms', baseline, base.max.latency[p]);
  rows.loop(scenario, s.loopPhases.max, 'node loop p99 (max)');
  rows.info(scenario, `rate @${s.targetRate}/s`, m.atTarget.perSecond, '/s', baseline, base.atTarget.perSecond);
  for (const p of s.percentiles) {
    rows.row({
      scenario,
      figure: `${s.latencyFigure(p)} @target`,
      value: m.atTarget.latency[p],
      unit: 'ms',
      baseline,
      baselineValue: base.atTarget.latency[p],
      target: p === 'p99' ? `≤ ${s.p99Ms} ms` : '',
      meets: p === 'p99' ? m.atTarget.latency.p99 <= s.p99Ms && m.atTarget.perSecond >= s.targetRate * 0.95 : null,
    });
  }
  rows.loop(scenario, s.loopPhases.atTarget, 'node loop p99 @target');
}

export function bookingRows(r: BookingsPart, rows: Rows): void {
  const bk = r.scenarios.bookings;
  phasedRows(rows, {
    scenario: `1 bookings ×${bk.max.sockets} res`,
    baseline: RAW,
    measured: bk,
    base: r.baselines.mongoTransaction,
    minPerSecond: 500,
    targetRate: r.sizes.bookings.targetRate,
    p99Ms: 100,
    percentiles: ['p50', 'p95', 'p99'],
    latencyFigure: (p) => `ack ${p}`,
    loopPhases: { max: LOOP_PHASES.bookingsMax, atTarget: LOOP_PHASES.bookingsAtTarget },
  });
}

function contentionRows(r: Report, rows: Rows): void {
  const race = r.scenarios.contention;
  const tx = r.baselines.mongoTransaction.max;
  const s2 = `2 contention ×${race.racers}`;
  const oneWinner = race.winnersPerRound.every((w) => w === 1);
  const winners = { unit: '', baseline: '', baselineValue: null, target: 'exactly 1', meets: oneWinner };
  rows.row({ scenario: s2, figure: 'winners/round (min)', value: Math.min(...race.winnersPerRound), ...winners });
  rows.row({ scenario: s2, figure: 'winners/round (max)', value: Math.max(...race.winnersPerRound), ...winners });
  rows.row({
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
    rows.row({
      scenario: s2,
      figure: `loser ${p}`,
      value: race.loserLatency[p],
      unit: 'ms',
      baseline: `${RAW} p${p === 'max' ? '99' : p.slice(1)}`,
      baselineValue: p === 'max' ? tx.latency.p99 : tx.latency[p],
      target: p === 'max' ? '≤ 1000 ms' : '',
      meets: p === 'max' ? race.loserLatency.max <= 1000 : null,
    });
  }
  rows.loop(s2, LOOP_PHASES.contention, 'node loop p99');
}

function availabilityRows(r: Report, rows: Rows): void {
  const av = r.scenarios.availability;
  phasedRows(rows, {
    scenario: `3 availability ×${av.max.sockets}`,
    baseline: 'bare IO ack',
    measured: av,
    base: r.baselines.socketIoEcho,
    minPerSecond: 5000,
    targetRate: r.sizes.availability.targetRate,
    p99Ms: 10,
    percentiles: ['p50', 'p99'],
    latencyFigure: (p) => p,
    loopPhases: { max: LOOP_PHASES.availabilityMax, atTarget: LOOP_PHASES.availabilityAtTarget },
  });
}

function seriesRows(r: Report, rows: Rows): void {
  const se = r.scenarios.series;
  const s7 = `7 series ×${se.occurrences} weekly`;
  rows.row({
    scenario: s7,
    figure: 'ack p50',
    value: se.series.p50,
    unit: 'ms',
    baseline: 'booking:create p50',
    baselineValue: se.single.p50,
    target: '≤ 10× base',
    meets: se.series.count > 0 && se.series.p50 <= 10 * se.single.p50,
  });
  rows.info(s7, 'ack max', se.series.max, 'ms', 'booking:create max', se.single.max);
  rows.loop(s7, LOOP_PHASES.series, 'node loop p99');
}

export function slotsFindRows(r: SlotsFindPart, rows: Rows): void {
  const sf = r.scenarios.slotsFind;
  const av = r.scenarios.availability;
  const s6 = `6 slots:find ×${r.sizes.slotsFind.resources} res`;
  rows.info(s6, `rate @${r.sizes.slotsFind.targetRate}/s`, sf.perSecond, '/s');
  rows.info(s6, 'p50 (1 week)', sf.latency.p50, 'ms', 'avail:get p50 @target', av.atTarget.latency.p50);
  rows.row({
    scenario: s6,
    figure: 'p99 (1 week)',
    value: sf.latency.p99,
    unit: 'ms',
    baseline: 'avail:get p99 @target',
    baselineValue: av.atTarget.latency.p99,
    target: '≤ 50 ms',
    // At its rate: met only when the paced calls ran at ≥ 95 % of it (as 1's and 3's @target rows).
    meets: sf.latency.p99 <= 50 && sf.ok > 0 && sf.perSecond >= r.sizes.slotsFind.targetRate * 0.95,
  });
  rows.loop(s6, LOOP_PHASES.slotsFind, 'node loop p99');
}

function fanoutRows(r: Report, rows: Rows): string {
  const fan = r.scenarios.fanout;
  const bare = r.baselines.socketIoBroadcast;
  const s4 = `4 fan-out ×${fan.clients}`;
  for (const p of ['p50', 'p99'] as const) {
    rows.row({
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
  rows.info(s4, 'create→client p99', fan.fromTrigger.p99, 'ms', 'bare POST→client', bare.fromTrigger.p99);
  rows.row({
    scenario: s4,
    figure: 'missed deliveries',
    value: fan.missed,
    unit: '',
    baseline: 'bare IO bcast',
    baselineValue: bare.missed,
    target: '0',
    meets: fan.missed === 0,
  });
  rows.loop(s4, LOOP_PHASES.fanout, 'node loop p99');
  return s4;
}

/** 4w beside 4: the same clients, as many bookings, all hearing every booking and then watching. */
function watchRows(r: Report, rows: Rows, s4: string): void {
  const { allHear, watching } = r.scenarios.watch;
  const bare = r.baselines.socketIoBroadcast;
  const all = allHear.result;
  const w = watching.result;
  const sAll = `${s4}, ${all.booked} bookings`;
  if (allHear.nodeCpuMsPerBooking !== null) rows.info(sAll, 'node CPU/booking', allHear.nodeCpuMsPerBooking, 'ms');
  rows.info(sAll, 'emit→client p99', all.fromEmit.p99, 'ms', 'bare IO bcast', bare.fromEmit.p99);
  const clean = { baseline: '', baselineValue: null, target: '0' };
  rows.row({
    scenario: sAll,
    figure: 'missed + extra',
    value: all.missed + all.extra,
    unit: '',
    ...clean,
    meets: all.missed + all.extra === 0 && all.booked > 0,
  });
  rows.loop(sAll, LOOP_PHASES.allHear, 'node loop p99');
  const sW = `4w watch 1/${w.resources} ×${w.clients}`;
  if (watching.nodeCpuMsPerBooking !== null) {
    const base = allHear.nodeCpuMsPerBooking;
    rows.row({
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
  rows.info(sW, 'emit→watcher p50', w.fromEmit.p50, 'ms', 'bare IO bcast', bare.fromEmit.p50);
  rows.row({
    scenario: sW,
    figure: 'emit→watcher p99',
    value: w.fromEmit.p99,
    unit: 'ms',
    baseline: 'bare IO bcast',
    baselineValue: bare.fromEmit.p99,
    target: '≤ 1.5× base',
    meets: w.delivered > 0 && w.fromEmit.p99 <= 1.5 * bare.fromEmit.p99,
  });
  const missed = { figure: 'missed deliveries', value: w.missed, unit: `/${w.expected}` };
  rows.row({ scenario: sW, ...missed, ...clean, meets: w.missed === 0 && w.booked > 0 });
  rows.row({ scenario: sW, figure: 'extra deliveries', value: w.extra, unit: '', ...clean, meets: w.extra === 0 });
  rows.loop(sW, LOOP_PHASES.watching, 'node loop p99');
}

function idleRows(r: Report, rows: Rows): void {
  const mem = r.scenarios.idleMemory;
  const bareMem = r.baselines.socketIoIdleMemory;
  if (!mem) return;
  const kb = (b: number) => Math.round((b / 1024) * 10) / 10;
  const s5 = `5 idle sockets ×${mem.idleSockets}`;
  rows.row({
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
    const bareHeap = bareMem?.heapBytesPerSocket != null ? kb(bareMem.heapBytesPerSocket) : null;
    rows.info(s5, 'heap/socket', kb(mem.heapBytesPerSocket), 'KB', 'bare IO heap', bareHeap);
  }
  rows.loop(s5, LOOP_PHASES.idle, 'node loop p99');
}

/** 9: unit bookings on the filled pool beside distinct capacity-1 resources; the race for its last units. */
function capacityRows(r: Report, rows: Rows): void {
  const { pool, distinct, race, capacity, overlapping } = r.scenarios.capacity;
  const s9 = `9 ${capacity}-unit pool, ${overlapping} booked`;
  const base = 'capacity 1, distinct';
  rows.row({
    scenario: s9,
    figure: `unit create/s (max, ×${pool.sockets})`,
    value: pool.perSecond,
    unit: '/s',
    baseline: base,
    baselineValue: distinct.perSecond,
    target: '≥ 0.5× base',
    meets: pool.ok > 0 && pool.perSecond >= 0.5 * distinct.perSecond,
  });
  for (const p of ['p50', 'p99'] as const)
    rows.info(s9, `create ${p}`, pool.latency[p], 'ms', base, distinct.latency[p]);
  const empty = r.scenarios.capacity.emptyPool;
  rows.info(s9, 'unit create/s, pool empty', empty.perSecond, '/s', base, distinct.perSecond);
  rows.loop(s9, LOOP_PHASES.capacityPool, 'node loop p99');
  rows.loop(`${s9}: base`, LOOP_PHASES.capacityDistinct, 'node loop p99');
  const s9r = `9 race ×${race.racers} on ${race.nodes} nodes`;
  const exact = `exactly ${race.lastUnits}`;
  rows.row({
    scenario: s9r,
    figure: `booked of the last ${race.lastUnits}`,
    value: race.winners,
    unit: '',
    baseline: '',
    baselineValue: null,
    target: exact,
    meets: race.winners === race.lastUnits,
  });
  for (const p of ['p50', 'p99', 'max'] as const)
    rows.info(s9r, p === 'max' ? 'slowest answer' : `answer ${p}`, race.answers[p], 'ms');
  rows.loop(s9r, LOOP_PHASES.capacityRace, 'node loop p99');
}

export function tableRows(r: Report): TableRow[] {
  const rows = new Rows(r.loopDelay);
  bookingRows(r, rows);
  contentionRows(r, rows);
  availabilityRows(r, rows);
  seriesRows(r, rows);
  slotsFindRows(r, rows);
  watchRows(r, rows, fanoutRows(r, rows));
  idleRows(r, rows);
  capacityRows(r, rows);
  if (r.scenarios.holds) rows.list.push(...holdsRows(r.scenarios.holds));
  if (r.scenarios.webhooks) rows.list.push(...webhooksRows(r.scenarios.webhooks));
  rows.list.push(...reportsRows(r.scenarios.reports));
  if (r.scenarios.recovery) rows.list.push(...recoveryRows(r.scenarios.recovery));
  return rows.list;
}
