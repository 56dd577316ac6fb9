/**
 * The soak's per-minute samples, the line printed for each, the fits over them (minutes 1-5 are the
 * warm-up and left out) and artifacts/soak.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Commit, Machine } from '../bench/environment';
import type { NodeSample, StoreSample } from './probes';
import { afterWarmUp, trendOf } from './trend';
import type { Point, Trend, TrendOptions } from './trend';

export interface MinuteSample extends StoreSample {
  minute: number;
  at: string;
  nodes: Record<string, NodeSample>;
  /** The soak process's own event-loop delay p99 this minute (a saturated generator would skew the load). */
  generatorP99Ms: number;
  /** This minute's figures. */
  commands: number;
  errors: number;
  expectedRefusals: number;
  slotChanged: number;
  watcherConnects: number;
  webhooksDelivered: number;
}

/**
 * The first minute fitted: minutes 1-5 are the warm-up. In them the nodes' resident memory drops
 * after start-up and climbs back as the JIT and the allocator settle (245 → 255 MB from minute 2
 * to 3 in a 30-minute run, then flat), and the capped stores fill to their caps (the queues' kept
 * jobs and events streams: ~2 minutes at this load). A fit that starts inside that counts the
 * ramp as growth. Every minute stays in artifacts/soak.json, warm-up included.
 */
export const FIT_FROM_MINUTE = 6;

interface SeriesSpec {
  name: string;
  unit: string;
  read: (s: MinuteSample) => number | null;
  floor: TrendOptions;
  /** False: fitted and shown, its verdict does not fail the run (default true). */
  judged?: boolean;
}

export interface SeriesTrend extends Trend {
  name: string;
  unit: string;
  absoluteFloor: number;
  /** Whether a GROWS here fails the run. */
  judged: boolean;
}

const minus = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a == null || b == null ? null : Math.round((a - b) * 100) / 100;

/**
 * The fitted series and their absolute floors (beyond max(2 × noise, 5 % of the mean)): whole
 * steps of descriptors and connections, a millisecond of loop delay, half a MB of Redis, 20
 * notification jobs (the shared queue every node reports; a backlog that builds up grows).
 *
 * The heap after a major collection is judged without V8's compiled code and bytecode ("heap
 * data"): heap snapshots of a soak node 12 minutes apart put 0.78 of its 0.96 MB growth in
 * optimized code and its tables, functions on slow paths (a once-a-minute scrape, the reconciler)
 * getting hot long after the warm-up. That share is bounded by the program; it is fitted and shown
 * ("heap code"), with the whole ("heap used"), but does not fail the run. What a leak grows is
 * the rest.
 */
export function seriesSpecs(nodeIds: readonly string[]): SeriesSpec[] {
  const perNode = nodeIds.flatMap((id): SeriesSpec[] => [
    { name: `${id} rss`, unit: 'MB', read: (s) => s.nodes[id]?.rssMb ?? null, floor: {} },
    {
      name: `${id} heap data`,
      unit: 'MB',
      read: (s) => minus(s.nodes[id]?.heapMb, s.nodes[id]?.codeMb),
      floor: {},
    },
    { name: `${id} heap code`, unit: 'MB', read: (s) => s.nodes[id]?.codeMb ?? null, floor: {}, judged: false },
    { name: `${id} heap used`, unit: 'MB', read: (s) => s.nodes[id]?.heapMb ?? null, floor: {}, judged: false },
    { name: `${id} loop p99`, unit: 'ms', read: (s) => s.nodes[id]?.loopP99Ms ?? null, floor: { absoluteFloor: 1 } },
    { name: `${id} open fds`, unit: 'fds', read: (s) => s.nodes[id]?.openFds ?? null, floor: { absoluteFloor: 5 } },
  ]);
  return [
    ...perNode,
    { name: 'redis used_memory', unit: 'MB', read: (s) => s.redisUsedMb, floor: { absoluteFloor: 0.5 } },
    { name: 'mongodb connections', unit: 'conns', read: (s) => s.mongoConnections, floor: { absoluteFloor: 5 } },
    {
      name: 'mail queue waiting',
      unit: 'jobs',
      read: (s) => (nodeIds[0] === undefined ? null : (s.nodes[nodeIds[0]]?.queueWaiting ?? null)),
      floor: { absoluteFloor: 20 },
    },
  ];
}

export function fitAll(samples: readonly MinuteSample[], nodeIds: readonly string[]): SeriesTrend[] {
  const fitted = afterWarmUp(samples, FIT_FROM_MINUTE);
  return seriesSpecs(nodeIds).map((spec) => {
    const points: Point[] = fitted.flatMap((s) => {
      const value = spec.read(s);
      return value === null ? [] : [{ minute: s.minute, value }];
    });
    return {
      name: spec.name,
      unit: spec.unit,
      absoluteFloor: spec.floor.absoluteFloor ?? 0,
      judged: spec.judged ?? true,
      ...trendOf(points, spec.floor),
    };
  });
}

const num = (v: number | null, digits = 1) => (v === null ? '?' : v.toFixed(digits));

const firstQueue = (s: MinuteSample) => Object.values(s.nodes)[0]?.queueWaiting ?? null;

export function minuteLine(s: MinuteSample): string {
  const nodes = Object.entries(s.nodes)
    .map(
      ([id, n]) =>
        `${id} ${num(n.rssMb)} MB (heap ${num(n.heapMb)}, code ${num(n.codeMb)}) p99 ${num(n.loopP99Ms)} ms ${num(n.openFds, 0)} fds`,
    )
    .join(' | ');
  return (
    `min ${String(s.minute).padStart(3)} | ${nodes} | redis ${num(s.redisUsedMb, 2)} MB | ` +
    `mongo ${num(s.mongoConnections, 0)} conns | queue ${num(firstQueue(s), 0)} | ${s.commands} cmds | ${s.errors} errors ` +
    `(${s.expectedRefusals} expected SLOT_TAKEN, ${s.webhooksDelivered} webhooks, ${s.slotChanged} slot:changed, ` +
    `${s.watcherConnects} watcher connects, generator p99 ${s.generatorP99Ms.toFixed(1)} ms)`
  );
}

export function fitsTable(trends: readonly SeriesTrend[], fittedMinutes: number): string {
  const head =
    `Growth per hour: least squares over minutes ${FIT_FROM_MINUTE}.. (${fittedMinutes} samples; minutes 1-${FIT_FROM_MINUTE - 1} are warm-up, not fitted); ` +
    'flat when |growth/h| ≤ max(2 × noise, 5 % of mean, floor), else GROWS (fails the run) or FALLS; ' +
    '"(shown)": fitted, not judged (heap code: the JIT, bounded by the program; heap used: data + code)';
  const rows = trends.map((t) => {
    const cells = [
      t.name.padEnd(22),
      `${t.mean.toFixed(2)} ${t.unit}`.padStart(14),
      `${t.growthPerHour >= 0 ? '+' : ''}${t.growthPerHour.toFixed(2)}/h`.padStart(12),
      `noise ${t.noise.toFixed(2)}`.padStart(13),
      `allow ${t.allowance.toFixed(2)}`.padStart(13),
      t.judged ? t.verdict : `${t.verdict} (shown)`,
    ];
    return `  ${cells.join('  ')}`;
  });
  const note =
    fittedMinutes < 3
      ? ['  (fewer than 3 fitted minutes: no noise estimate; only the 5 % and absolute floors apply)']
      : [];
  return [head, ...rows, ...note].join('\n');
}

export interface SoakReport {
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  commit: Commit;
  minutes: number;
  layout: string;
  load: string;
  fitFromMinute: number;
  samples: MinuteSample[];
  fits: SeriesTrend[];
  verdicts: Record<string, string>;
  errors: { total: number; byKind: Record<string, number> };
  expectedRefusals: Record<string, number>;
  webhooks: { delivered: number; duplicates: number; unexpected: number; missing: number; failedAttempts: number };
  passed: boolean;
}

export function writeSoakReport(path: string, report: SoakReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
