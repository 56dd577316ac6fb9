/**
 * Scenario 10's rows (holds and the waitlist), in the table's style: hold → confirm beside one
 * booking:create of the same run, a hold's expiry broadcast and a waitlist offer's notification
 * against docs/design.md's bounds (2 s, 1 s).
 */
import type { HoldsResult } from './holds';
import { ratio } from './stats';
import type { TableRow } from './types';

/**
 * docs/design.md: hold → confirm p50 ≤ 1.2× one booking:create p50, read as the confirm a person
 * waits for when they press Book (the hold was taken when they selected the slot); both round
 * trips together are shown beside it. Expiry broadcast p99 ≤ 2 s; offer notice p99 ≤ 1 s.
 */
export const HOLDS_TARGETS = { holdConfirmRatio: 1.2, expiryP99Ms: 2000, offerP99Ms: 1000 } as const;

type Row = Omit<TableRow, 'ratio'>;
const NONE = { baseline: '', baselineValue: null, target: '', meets: null };

export function holdsRows(h: HoldsResult): TableRow[] {
  const hc = h.holdConfirm;
  const s1 = `10 hold→confirm ×${hc.sockets}`;
  const base = 'booking:create';
  const list: Row[] = [
    {
      scenario: s1,
      figure: 'confirm p50',
      value: hc.confirm.p50,
      unit: 'ms',
      baseline: `${base} p50`,
      baselineValue: hc.create.p50,
      target: `≤ ${HOLDS_TARGETS.holdConfirmRatio}× base`,
      meets: hc.confirm.count > 0 && hc.confirm.p50 <= HOLDS_TARGETS.holdConfirmRatio * hc.create.p50,
    },
    {
      ...NONE,
      scenario: s1,
      figure: 'hold+confirm p50',
      value: hc.holdConfirm.p50,
      unit: 'ms',
      baseline: `${base} p50`,
      baselineValue: hc.create.p50,
    },
    {
      ...NONE,
      scenario: s1,
      figure: 'hold+confirm p99',
      value: hc.holdConfirm.p99,
      unit: 'ms',
      baseline: `${base} p99`,
      baselineValue: hc.create.p99,
    },
    { ...NONE, scenario: s1, figure: 'hold p50', value: hc.hold.p50, unit: 'ms' },
  ];
  const ex = h.expiry;
  const s2 = `10 hold expiry ×${ex.holds} (${Math.round(ex.holdMs / 100) / 10} s holds)`;
  list.push(
    { ...NONE, scenario: s2, figure: 'expiresAt→released p50', value: ex.afterExpiry.p50, unit: 'ms' },
    {
      ...NONE,
      scenario: s2,
      figure: 'expiresAt→released p99',
      value: ex.afterExpiry.p99,
      unit: 'ms',
      target: `≤ ${HOLDS_TARGETS.expiryP99Ms} ms`,
      meets: ex.released > 0 && ex.afterExpiry.p99 <= HOLDS_TARGETS.expiryP99Ms,
    },
    { ...NONE, scenario: s2, figure: 'expiresAt→emit p99', value: ex.emitAfterExpiry.p99, unit: 'ms' },
    {
      ...NONE,
      scenario: s2,
      figure: 'released missed',
      value: ex.missed,
      unit: `/${ex.holds}`,
      target: '0',
      meets: ex.missed === 0 && ex.holds > 0,
    },
  );
  const of = h.offers;
  const s3 = `10 waitlist offer ×${of.cancels}`;
  list.push(
    { ...NONE, scenario: s3, figure: 'cancel ack→offered p50', value: of.fromAck.p50, unit: 'ms' },
    {
      ...NONE,
      scenario: s3,
      figure: 'cancel ack→offered p99',
      value: of.fromAck.p99,
      unit: 'ms',
      target: `≤ ${HOLDS_TARGETS.offerP99Ms} ms`,
      meets: of.offered > 0 && of.fromAck.p99 <= HOLDS_TARGETS.offerP99Ms,
    },
    { ...NONE, scenario: s3, figure: 'cancel sent→offered p99', value: of.fromSend.p99, unit: 'ms' },
    { ...NONE, scenario: s3, figure: 'cancel ack→emit p99', value: of.emitFromAck.p99, unit: 'ms' },
    {
      ...NONE,
      scenario: s3,
      figure: 'missed + wrong notices',
      value: of.missed + of.wrong,
      unit: `/${of.cancels}`,
      target: '0',
      meets: of.missed + of.wrong === 0 && of.offered === of.cancels,
    },
  );
  return list.map((x) => ({ ...x, ratio: ratio(x.value, x.baselineValue ?? undefined) }));
}

/** What `BENCH_ONLY=holds` prints: scenario 10's rows in the full table's columns. */
export function renderHoldsTable(h: HoldsResult): string {
  const header = ['scenario', 'figure', 'value', 'baseline', 'base value', 'ratio', 'target', 'ok'];
  const lines = holdsRows(h).map((r) => [
    r.scenario,
    r.figure,
    `${r.value}${r.unit ? ` ${r.unit}` : ''}`,
    r.baseline,
    r.baselineValue === null ? '' : `${r.baselineValue} ${r.unit}`,
    r.ratio === null ? '' : `×${r.ratio}`,
    r.target,
    r.meets === null ? '' : r.meets ? 'yes' : 'NO',
  ]);
  const widths = header.map((x, i) => Math.max(x.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [`Note: ${h.layout}.`, fmt(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)]
    .concat(
      `Failures: hold→confirm ${JSON.stringify(h.holdConfirm.failures)}, expiry ${JSON.stringify(h.expiry.failures)}, ` +
        `offers ${JSON.stringify(h.offers.failures)}.`,
    )
    .join('\n');
}
