/**
 * What a bench run prints and writes: the table (one row per figure, beside its same-run
 * baseline), docs/design.md's ratio targets with their verdicts, the per-phase event-loop delay, and
 * artifacts/bench.json (the whole report with the rendered table).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { HOLDS_TARGETS } from './holds-rows';
import type { RecoveryResult } from './recovery';
import { cpuPerOpLine, fixedTable, loopDelayLines, ratiosTable, rowsTable, runLines, verdict } from './table-format';
import { renderWebhooksBench } from './webhooks';
import type { BenchReport, BookingsPart, CpuPerOp, Phases, RatioTarget, RecoveryReport, TableRow } from './types';
import type { Failures, ThroughputResult } from './scenarios';
import { renderReportsBench } from './reports';
import { ratio } from './stats';

type Report = Omit<BenchReport, 'rows' | 'ratios'>;

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
  const rec = report.recovery;
  const lines = report.rows.map((r) => [r.scenario, r.figure, `${r.value} ${r.unit}`, r.target, verdict(r.meets)]);
  return [
    ...runLines(report),
    `Note: ${RECOVERY_NOTE}`,
    '',
    ...fixedTable(['scenario', 'figure', 'value', 'target', 'ok'], lines),
    '',
    ...recoveryLines(rec),
  ].join('\n');
}

/** How scenario 8 is measured (a note of the full table too). */
export const RECOVERY_NOTE =
  "Scenario 8 (recovery): the storm's clients book and cancel back to back through node A; A is killed with SIGKILL " +
  "at a seeded moment (0-2 s after the storm's first answers) and restarted by the stack after each round; from the " +
  'kill on, one booking per resource goes through node B, retried on BUSY or silence with the same idempotency key ' +
  '(pause 25 ms doubling to 200 ms), timed from the kill to its ok. ' +
  'MongoDB runs with transactionLifetimeLimitSeconds=3 (docs/operations.md).';

function recoveryLines(rec: RecoveryResult): string[] {
  return rec.rounds.map(
    (round, i) =>
      `Recovery kill ${i + 1} (${round.killAfterMs} ms into the storm; ` +
      `its answers before: ${JSON.stringify(round.stormOutcomes)}): ` +
      `ms per resource [${round.perResourceMs.map((ms) => ms ?? 'never').join(', ')}]; ` +
      `probe retries ${JSON.stringify(round.retried)}` +
      `${Object.keys(round.refused).length > 0 ? `; refused ${JSON.stringify(round.refused)}` : ''}.`,
  );
}

/** Writes `BENCH_ONLY=recovery`'s report (with its rendered table) as JSON; creates the folder. */
export function writeRecoveryReport(path: string, report: RecoveryReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ ...report, table: renderRecoveryTable(report) }, null, 2)}\n`);
}

type RatioSpec = Omit<RatioTarget, 'ratio' | 'meets'> & { valid: boolean };

/** A ratio target with its ratio and verdict (null when invalid or the baseline is 0). */
export function ratioOf(x: RatioSpec): RatioTarget {
  const { valid, ...rest } = x;
  const q = ratio(x.value, x.baselineValue);
  const meets =
    !valid || q === null
      ? null
      : x.bound === '≥'
        ? x.value >= x.limit * x.baselineValue
        : x.value <= x.limit * x.baselineValue;
  return { ...rest, ratio: q, meets };
}

/** Scenario 1's two ratio targets against the raw MongoDB transaction (the full run and `BENCH_ONLY=bookings`). */
export function bookingRatios(r: BookingsPart): RatioTarget[] {
  const bk = r.scenarios.bookings;
  const txs = r.baselines.mongoTransaction;
  return [
    ratioOf({
      target: 'bookings on distinct resources: throughput',
      figure: `booking:create/s (max, ×${bk.max.sockets})`,
      value: bk.max.perSecond,
      unit: '/s',
      baseline: 'raw fenced Mongo tx/s (max, same concurrency)',
      baselineValue: txs.max.perSecond,
      bound: '≥',
      limit: 0.5,
      valid: bk.max.ok > 0,
    }),
    ratioOf({
      target: 'bookings on distinct resources: p99 ack',
      figure: `booking:create p99 @${r.sizes.bookings.targetRate}/s`,
      value: bk.atTarget.latency.p99,
      unit: 'ms',
      baseline: 'raw Mongo tx p99 (same pace)',
      baselineValue: txs.atTarget.latency.p99,
      bound: '≤',
      limit: 3,
      valid: bk.atTarget.ok > 0,
    }),
  ];
}

/** docs/design.md's ratio targets ("Performance targets"), each against its primitive of the same run. */
export function ratioTargets(r: Report): RatioTarget[] {
  const { availability: av, series: se, fanout: fan, watch } = r.scenarios;
  const { socketIoEcho: echos, socketIoBroadcast: bare } = r.baselines;
  const out: RatioTarget[] = bookingRatios(r);
  const add = (x: RatioSpec) => out.push(ratioOf(x));
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
  const cap = r.scenarios.capacity;
  add({
    target: `unit bookings on a ${cap.capacity}-unit pool holding ${cap.overlapping}: throughput`,
    figure: `unit booking:create/s, pool (max, ×${cap.pool.sockets})`,
    value: cap.pool.perSecond,
    unit: '/s',
    baseline: 'on distinct capacity-1 resources (same loop)',
    baselineValue: cap.distinct.perSecond,
    bound: '≥',
    limit: 0.5,
    valid: cap.pool.ok > 0 && cap.distinct.ok > 0,
  });
  const hc = r.scenarios.holds?.holdConfirm;
  if (hc)
    add({
      // The person's wait once they press Book: the hold was taken when they selected the slot.
      // (Both round trips together are in the scenario's rows, with their ratio.)
      target: 'hold → confirm (the confirm a person waits for)',
      figure: 'booking:confirm of a hold p50',
      value: hc.confirm.p50,
      unit: 'ms',
      baseline: 'one booking:create p50 (same loop)',
      baselineValue: hc.create.p50,
      bound: '≤',
      limit: HOLDS_TARGETS.holdConfirmRatio,
      valid: hc.confirm.count > 0 && hc.create.count > 0,
    });
  return out;
}

/** The fixed-width tables printed by `npm run bench` (and pasted into the README). */
export function renderTable(report: BenchReport): string {
  const tx = report.baselines.mongoTransaction.max;
  const out = [
    ...runLines(report),
    ...report.notes.map((n) => `Note: ${n}`),
    '',
    ...rowsTable(report.rows),
    '',
    'Ratio targets (docs/design.md "Performance targets", each against its primitive in this run):',
    '',
    ...ratiosTable(report.ratios),
    '',
    `Raw MongoDB tx: ${tx.perSecond}/s with ${tx.workers} concurrent ` +
      `(p50 ${tx.latency.p50} ms, p99 ${tx.latency.p99} ms, ${tx.committed} committed).`,
    ...cpuLines(report),
    ...loopDelayLines(report.loopDelay),
    raceLine(report.scenarios.capacity.race),
    ...holdsLines(report.scenarios.holds),
    ...(report.scenarios.webhooks
      ? renderWebhooksBench(report.scenarios.webhooks).trim().split('\n')
      : ['Webhooks: not run (no Redis given for its node).']),
    `Reports: ${renderReportsBench(report.scenarios.reports)}`,
    `Contention winners per round: [${report.scenarios.contention.winnersPerRound.join(', ')}]; ` +
      `loser outcomes: ${JSON.stringify(report.scenarios.contention.loserOutcomes)}.`,
    ...(report.scenarios.recovery
      ? recoveryLines(report.scenarios.recovery)
      : ['Recovery (8): not run (the bench crashes only nodes it runs itself, not BENCH_URLS).']),
    `Failures (code ×count: first message): ${failureLines(report).join('; ')}.`,
  ];
  return out.join('\n');
}

function raceLine(race: BenchReport['scenarios']['capacity']['race']): string {
  return (
    `Capacity race (9): ${race.winners} of ${race.racers} clients on ${race.nodes} nodes booked the last ` +
    `${race.lastUnits} of ${race.capacity} units (exactly ${race.lastUnits} required); answers ${JSON.stringify(race.outcomes)}, ` +
    `${race.busyRetries} BUSY answers sent again; answer p50 ${race.answers.p50} ms, p99 ${race.answers.p99} ms, ` +
    `slowest ${race.answers.max} ms; units free afterwards (from the store): ${race.freeAfter ?? 'not readable'}.`
  );
}

function holdsLines(h: BenchReport['scenarios']['holds']): string[] {
  if (!h) return ['Holds and waitlist (10): not run (it starts nodes of its own, with short holds and a notifier).'];
  const { expiry: ex, offers: of } = h;
  return [
    `Holds and waitlist (10): ${ex.released} of ${ex.holds} expired holds broadcast released ` +
      `(p50 ${ex.afterExpiry.p50} ms, p99 ${ex.afterExpiry.p99} ms, slowest ${ex.afterExpiry.max} ms after expiresAt); ` +
      `${of.offered} of ${of.cancels} offers notified (${of.wrong} wrong; from the cancel's ack p50 ${of.fromAck.p50} ms, ` +
      `p99 ${of.fromAck.p99} ms, slowest ${of.fromAck.max} ms).`,
  ];
}

function cpuLines(report: BenchReport): string[] {
  const perOp = (label: string, c: CpuPerOp | null) => cpuPerOpLine(label, c, report.machine.nproc);
  const { allHear, watching } = report.scenarios.watch;
  return [
    perOp('Scenario 1 (max)', report.cpu.bookings),
    perOp('Raw MongoDB tx (max)', report.cpu.mongoTransaction),
    perOp(`4w all hear (${allHear.result.booked} bookings)`, allHear.cpu),
    perOp(`4w watching (${watching.result.booked} bookings)`, watching.cpu),
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
    `9 pool ${failureText(s.capacity.pool.failures)} (cancels ${failureText(s.capacity.pool.cancelFailures)}), ` +
      `capacity 1 ${failureText(s.capacity.distinct.failures)} (cancels ${failureText(s.capacity.distinct.cancelFailures)}), ` +
      `empty pool ${failureText(s.capacity.emptyPool.failures)} (cancels ${failureText(s.capacity.emptyPool.cancelFailures)})`,
    ...(s.holds
      ? [
          `10 hold→confirm ${failureText(s.holds.holdConfirm.failures)}, expiry ${failureText(s.holds.expiry.failures)}, ` +
            `offers ${failureText(s.holds.offers.failures)}`,
        ]
      : []),
  ];
}

/** Writes the report (with its rendered table) as JSON; creates the folder. */
export function writeReport(path: string, report: BenchReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ ...report, table: renderTable(report) }, null, 2)}\n`);
}
