/**
 * What one grid cell is for the viewer, from the live availability and the resource's policy:
 * booked (theirs or someone else's), past, closed by the opening hours or a closure day, out of
 * the booking window (notice / advance), or free. And how a click or an extension becomes a
 * selection that the duration limits allow.
 *
 * A resource of several units (capacity > 1) is free where at least the chosen quantity of units
 * is free over the whole cell, and `taken` (greyed) only where fewer are; a booking of the
 * viewer's there does not change its state (another unit may still be booked), it is only marked.
 */
import { DateTime } from 'luxon';
import type { BusyInterval, OccupancyStretch, Policy } from '@booking/shared';
import { freeUnits } from './capacity';
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
  /** Units of the resource (1: a room, and the grid works from `busy` alone). */
  capacity: number;
  /** Units in use per stretch (read only when `capacity` > 1). */
  occupancy: OccupancyStretch[];
  /** Units the viewer wants at once (1 for a resource of capacity 1). */
  quantity: number;
}

export interface CellView {
  state: CellState;
  /** The viewer's own booking there (capacity > 1), or the booking that takes the cell (capacity 1). */
  busy: BusyInterval | undefined;
  /** Units free over the cell, for a resource of capacity > 1 (null otherwise). */
  free: number | null;
}

export function busyAt(busy: BusyInterval[], start: number, end: number): BusyInterval | undefined {
  return busy.find((b) => Date.parse(b.start) < end && start < Date.parse(b.end));
}

/** Past, closed or out of the booking window by the policy (null: bookable as far as the rules go). */
function ruleState(cell: GridCell, ctx: CellContext): CellState | null {
  if (cell.start < ctx.now) return 'past';
  if (!ctx.open.some((o) => o.start <= cell.start && cell.end <= o.end)) return 'closed';
  const soonest = ctx.now + ctx.policy.minNoticeMinutes * 60_000;
  const latest = DateTime.fromMillis(ctx.now, { zone: ctx.zone }).plus({ days: ctx.policy.maxAdvanceDays }).toMillis();
  if (cell.start < soonest || cell.start > latest) return 'unbookable';
  return null;
}

export function cellState(cell: GridCell, ctx: CellContext): CellView {
  if (ctx.capacity > 1) {
    const free = freeUnits(ctx.occupancy, ctx.capacity, cell.start, cell.end);
    const own = ctx.busy.find(
      (b) => ctx.myBookingIds.has(b.bookingId) && Date.parse(b.start) < cell.end && cell.start < Date.parse(b.end),
    );
    const state = free < ctx.quantity ? 'taken' : (ruleState(cell, ctx) ?? 'free');
    return { state, busy: own, free };
  }
  const b = busyAt(ctx.busy, cell.start, cell.end);
  if (b) return { state: ctx.myBookingIds.has(b.bookingId) ? 'mine' : 'taken', busy: b, free: null };
  return { state: ruleState(cell, ctx) ?? 'free', busy: undefined, free: null };
}

/** Whether choosing a cell in `view` selects the viewer's own booking there rather than a time. */
export function selectsOwnBooking(view: CellView, myBookingIds: ReadonlySet<string>): boolean {
  if (view.state === 'mine') return true;
  return view.state !== 'free' && view.busy !== undefined && myBookingIds.has(view.busy.bookingId);
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
