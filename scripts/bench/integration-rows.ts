/**
 * The table rows of the webhooks and reports figures (issue 28): webhooks' commit → delivery
 * beside the raw signed POST, its p95 bound and "each exactly once"; the bookings CSV's time and
 * peak heap beside a raw cursor over the same rows (no bound: docs/design.md gives none).
 */
import type { ReportsBenchResult } from './reports';
import { ratio } from './stats';
import type { TableRow } from './types';
import type { WebhooksBenchResult } from './webhooks';

type Row = Omit<TableRow, 'ratio'>;
const withRatio = (x: Row): TableRow => ({ ...x, ratio: ratio(x.value, x.baselineValue ?? undefined) });
const NONE = { baseline: '', baselineValue: null, target: '', meets: null };

export function webhooksRows(w: WebhooksBenchResult): TableRow[] {
  const scenario = `webhooks ×${w.changes} changes`;
  const raw = 'raw signed POST';
  const delivered = w.fromCommit.count > 0;
  const rows: Row[] = [
    {
      scenario,
      figure: 'commit→delivery p50',
      value: w.fromCommit.p50,
      unit: 'ms',
      baseline: raw,
      baselineValue: w.raw.p50,
      target: '',
      meets: null,
    },
    {
      scenario,
      figure: 'commit→delivery p95',
      value: w.fromCommit.p95,
      unit: 'ms',
      baseline: raw,
      baselineValue: w.raw.p95,
      target: `≤ ${w.targetP95Ms} ms`,
      meets: delivered && w.fromCommit.p95 <= w.targetP95Ms,
    },
    { scenario, figure: 'command sent→delivery p95', value: w.delivery.p95, unit: 'ms', ...NONE },
    {
      scenario,
      figure: 'delivered exactly once',
      value: w.exactlyOnce,
      unit: `/${w.changes}`,
      ...NONE,
      target: 'all',
      meets: w.changes > 0 && w.exactlyOnce === w.changes,
    },
    {
      scenario,
      figure: `missed + duplicates (${w.missed} + ${w.duplicates})`,
      value: w.missed + w.duplicates,
      unit: '',
      ...NONE,
      target: '0',
      meets: w.missed + w.duplicates === 0,
    },
  ];
  return rows.map(withRatio);
}

export function reportsRows(r: ReportsBenchResult): TableRow[] {
  const scenario = `reports CSV ×${r.rows} rows`;
  const raw = 'raw Mongo cursor';
  const rows: Row[] = [
    { scenario, figure: 'time', value: r.csv.ms, unit: 'ms', ...NONE, baseline: raw, baselineValue: r.raw.ms },
    {
      scenario,
      figure: 'rows/s',
      value: r.csv.rowsPerSecond,
      unit: '/s',
      ...NONE,
      baseline: raw,
      baselineValue: r.raw.rowsPerSecond,
    },
    {
      scenario,
      figure: 'peak heap over start',
      value: r.csv.peakHeapDeltaMb,
      unit: 'MB',
      ...NONE,
      baseline: raw,
      baselineValue: r.raw.peakHeapDeltaMb,
    },
    {
      scenario,
      figure: 'peak RSS over start',
      value: r.csv.peakRssDeltaMb,
      unit: 'MB',
      ...NONE,
      baseline: raw,
      baselineValue: r.raw.peakRssDeltaMb,
    },
  ];
  return rows.map(withRatio);
}
