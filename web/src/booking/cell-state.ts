/**
 * What one grid cell is for the viewer, from the live availability and the resource's policy:
 * booked (theirs or someone else's), past, closed by the opening hours or a closure day, out of
 * the booking window (notice / advance), or free. And how a click or an extension becomes a
 * selection that the duration limits allow.
 */
import { DateTime } from 'luxon';
import type { BusyInterval, Policy } from '@booking/shared';
import type { GridCell, GridDay, GridRow } from './local-grid';

export type CellState = 'past' | 'closed' | 'unbookable' | 'free' | 'mine' | 'taken';

export interface CellContext {
  busy: BusyInterval[];
  /** Open stretches (epoch ms), from the policy. */
  open: Array<{ start: number; end: number }>;
  myBookingIds: ReadonlySet<string>;
  now: number;
  policy: Policy;
  zone: string;
}

export function busyAt(busy: BusyInterval[], start: number, end: number): BusyInterval | undefined {
  return busy.find((b) => Date.parse(b.start) < end && start < Date.parse(b.end));
}

export function cellState(cell: GridCell, ctx: CellContext): { state: CellState; busy: BusyInterval | undefined } {
  const b = busyAt(ctx.busy, cell.start, cell.end);
  if (b) return { state: ctx.myBookingIds.has(b.bookingId) ? 'mine' : 'taken', busy: b };
  if (cell.start < ctx.now) return { state: 'past', busy: undefined };
  if (!ctx.open.some((o) => o.start <= cell.start && cell.end <= o.end)) return { state: 'closed', busy: undefined };
  const soonest = ctx.now + ctx.policy.minNoticeMinutes * 60_000;
  const latest = DateTime.fromMillis(ctx.now, { zone: ctx.zone }).plus({ days: ctx.policy.maxAdvanceDays }).toMillis();
  if (cell.start < soonest || cell.start > latest) return { state: 'unbookable', busy: undefined };
  return { state: 'free', busy: undefined };
}

/** A contiguous run of rows (inclusive, indexes into the grid's rows) in one day column. */
export interface GridSelection {
  col: number;
  from: number;
  to: number;
}

/** The interval a selection covers in its day (rows the day lacks are skipped). */
export function selectionRange(
  day: GridDay | undefined,
  rows: GridRow[],
  sel: GridSelection,
): { start: number; end: number } | null {
  if (!day) return null;
  const cells = rows.slice(sel.from, sel.to + 1).flatMap((r) => day.byRow.get(r.key) ?? []);
  const first = cells[0];
  const last = cells[cells.length - 1];
  return first && last ? { start: first.start, end: last.end } : null;
}

/**
 * The selection a click on row `row` makes: the cell, grown forward over free cells until it
 * lasts `minMinutes` (so one click is already a booking the policy allows, where it fits).
 */
export function clickSelection(opts: {
  col: number;
  row: number;
  day: GridDay;
  rows: GridRow[];
  minMinutes: number;
  isFree: (cell: GridCell) => boolean;
}): GridSelection {
  const { col, row, day, rows } = opts;
  const startCell = day.byRow.get(rows[row]?.key ?? '');
  if (!startCell) return { col, from: row, to: row };
  let to = row;
  let end = startCell.end;
  for (let r = row + 1; end - startCell.start < opts.minMinutes * 60_000 && r < rows.length; r += 1) {
    const cell = day.byRow.get(rows[r]?.key ?? '');
    if (!cell) continue;
    if (!opts.isFree(cell)) return { col, from: row, to: row };
    to = r;
    end = cell.end;
  }
  return end - startCell.start >= opts.minMinutes * 60_000 ? { col, from: row, to } : { col, from: row, to: row };
}

/** `sel` shortened from the far end of `moving` until it lasts at most `maxMinutes`. */
export function clampSelection(
  sel: GridSelection,
  day: GridDay,
  rows: GridRow[],
  maxMinutes: number,
  anchorRow: number,
): GridSelection {
  let { from, to } = sel;
  const length = () => {
    const r = selectionRange(day, rows, { col: sel.col, from, to });
    return r ? r.end - r.start : 0;
  };
  while (length() > maxMinutes * 60_000 && from < to) {
    if (anchorRow <= from) to -= 1;
    else from += 1;
  }
  return { col: sel.col, from, to };
}
