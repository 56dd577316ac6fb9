/**
 * The pieces every bench table is printed with: fixed-width columns, the verdict, the machine and
 * commit lines, the main table's columns, the CPU-per-operation and event-loop delay lines. Shared by
 * the full run (report.ts), `BENCH_ONLY=recovery` and the single-scenario runs (single.ts).
 */
import type { Commit, Machine } from './environment';
import type { PhaseLoopDelay } from './loop-delay';
import type { CpuPerOp, RatioTarget, TableRow } from './types';

export function fixedTable(header: string[], lines: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [fmt(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)];
}

export const verdict = (meets: boolean | null) => (meets === null ? '' : meets ? 'yes' : 'NO');

/** The machine and the commit a report was measured on, and when. */
export function runLines(report: {
  machine: Machine;
  commit: Commit;
  startedAt: string;
  finishedAt: string;
}): string[] {
  const m = report.machine;
  const c = report.commit;
  const tree = c.dirty
    ? ` with uncommitted changes (${c.changes.length} paths)`
    : c.dirty === false
      ? ' (clean tree)'
      : '';
  return [
    `Machine: ${m.nproc} cores (${m.cpuModel}), ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}, ${m.platform}`,
    `Commit: ${c.sha ?? 'unknown'}${tree}; run ${report.startedAt} to ${report.finishedAt}`,
  ];
}

/** The main table (scenario, figure, value, baseline, base value, ratio, target, ok) of `rows`. */
export function rowsTable(rows: readonly TableRow[]): string[] {
  const lines = rows.map((r) => [
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
  return fixedTable(['scenario', 'figure', 'value', 'baseline', 'base value', 'ratio', 'target', 'ok'], lines);
}

/** The ratio-target table (target, value, baseline, base value, ratio, bound, ok). */
export function ratiosTable(ratios: readonly RatioTarget[]): string[] {
  const lines = ratios.map((q) => [
    q.target,
    `${q.value} ${q.unit}`,
    q.baseline,
    `${q.baselineValue} ${q.unit}`,
    q.ratio === null ? '' : `×${q.ratio}`,
    `${q.bound} ${q.limit}×`,
    verdict(q.meets),
  ]);
  return fixedTable(['target', 'value', 'baseline', 'base value', 'ratio', 'bound', 'ok'], lines);
}

/** `label CPU per operation: node-a 0.4 ms, …; total … → CPU-bound ceiling on N cores ≈ …/s.` */
export function cpuPerOpLine(label: string, c: CpuPerOp | null, nproc: number): string {
  if (!c) return `${label} CPU per operation: not measured.`;
  const each = Object.entries(c.msPerOp)
    .map(([n, v]) => `${n} ${v} ms`)
    .join(', ');
  return (
    `${label} CPU per operation: ${each}; total ${c.totalMsPerOp} ms → ` +
    `CPU-bound ceiling on ${nproc} cores ≈ ${c.cpuBoundCeilingPerSecond}/s.`
  );
}

export function loopDelayLines(loopDelay: Record<string, PhaseLoopDelay>): string[] {
  const fmt = (d: { p99Ms: number; maxMs: number }) => `p99 ${d.p99Ms} / max ${d.maxMs} ms`;
  return [
    'Event-loop delay by phase (nodes from /metrics, generator in-process):',
    ...Object.entries(loopDelay).map(([phase, d]) => {
      const nodes = d.nodes
        ? Object.entries(d.nodes)
            .map(([name, x]) => `${name} ${fmt(x)}`)
            .join(', ')
        : 'nodes not readable';
      return `  ${phase}: ${nodes}; load generator ${fmt(d.generator)}`;
    }),
  ];
}
