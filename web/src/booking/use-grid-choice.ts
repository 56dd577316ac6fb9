/**
 * What choosing a cell of the availability grid does: a booking of the person's own selects it,
 * an unavailable cell says why nothing happened, and a free cell selects at least the resource's
 * shortest booking, or, extending from the anchor (the last cell chosen) in the same column,
 * every cell between them as long as all of them are free, up to the longest booking. On a
 * resource of several units a free cell books more units even where the person holds some; a
 * full one that holds theirs selects their booking.
 */
import { useRef } from 'react';
import type { MutableRefObject } from 'react';
import type { BusyInterval } from '@booking/shared';
import { cellState, clampSelection, clickSelection, selectsOwnBooking } from './cell-state';
import type { CellContext, CellState, GridSelection } from './cell-state';
import type { GridCell, LocalGrid } from './local-grid';

export interface GridChoiceHandlers {
  onSelectRange(selection: GridSelection): void;
  onSelectBooking(bookingId: string): void;
  /** `extending`: the cell lay in the way of an extension of the selection (which stays as it was). */
  onUnavailable(state: Exclude<CellState, 'free' | 'mine'>, cell: GridCell, extending: boolean): void;
}

export interface GridChoice {
  /** Where an extension starts from (null: nothing chosen to extend). */
  anchor: MutableRefObject<{ col: number; row: number } | null>;
  stateOf(col: number, row: number): { state: CellState | 'none'; busy: BusyInterval | undefined };
  /** Choose the cell at `col`, `row`; `extend`: from the anchor (Shift, or a drag). */
  activate(col: number, row: number, extend: boolean): void;
}

export function useGridChoice(grid: LocalGrid, context: CellContext, on: GridChoiceHandlers): GridChoice {
  const anchor = useRef<{ col: number; row: number } | null>(null);
  const policy = context.policy;
  const cellAt = (c: number, r: number): GridCell | undefined => grid.days[c]?.byRow.get(grid.rows[r]?.key ?? '');

  const stateOf = (c: number, r: number): { state: CellState | 'none'; busy: BusyInterval | undefined } => {
    const cell = cellAt(c, r);
    return cell ? cellState(cell, context) : { state: 'none', busy: undefined };
  };

  /** Selects from the anchor's row to `r` in column `c` when every cell between is free. */
  const extendTo = (a: { col: number; row: number }, c: number, r: number) => {
    const day = grid.days[c];
    if (!day) return;
    // Every cell between the anchor and here must be free to extend over it.
    const lo = Math.min(a.row, r);
    const hi = Math.max(a.row, r);
    for (let i = lo; i <= hi; i += 1) {
      const between = cellAt(c, i);
      if (!between) continue;
      const s = cellState(between, context).state;
      if (s !== 'free') {
        if (s !== 'mine') on.onUnavailable(s, between, true);
        return;
      }
    }
    on.onSelectRange(clampSelection({ col: c, from: lo, to: hi }, day, grid.rows, policy.maxMinutes, a.row));
  };

  const activate = (c: number, r: number, extend: boolean) => {
    const cell = cellAt(c, r);
    const day = grid.days[c];
    if (!cell || !day) return;
    const view = cellState(cell, context);
    const { state, busy: b } = view;
    if (selectsOwnBooking(view, context.myBookingIds)) {
      anchor.current = null;
      if (b) on.onSelectBooking(b.bookingId);
      return;
    }
    if (state !== 'free') {
      if (state !== 'mine') on.onUnavailable(state, cell, false);
      return;
    }
    const a = anchor.current;
    if (extend && a && a.col === c) {
      extendTo(a, c, r);
      return;
    }
    anchor.current = { col: c, row: r };
    on.onSelectRange(
      clickSelection({
        col: c,
        row: r,
        day,
        rows: grid.rows,
        minMinutes: policy.minMinutes,
        isFree: (x) => cellState(x, context).state === 'free',
      }),
    );
  };

  return { anchor, stateOf, activate };
}
