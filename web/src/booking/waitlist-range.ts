/**
 * What a person waits for when they choose a cell that is taken: the time a click there would
 * select if it were free (the cell grown forward to the resource's shortest booking, over cells
 * that are free or taken, not closed or past), so that the entry is a booking the policy allows.
 */
import { cellState, clickSelection, selectionRange } from './cell-state';
import type { CellContext } from './cell-state';
import type { GridCell, LocalGrid } from './local-grid';

export function waitlistRange(
  grid: LocalGrid,
  cell: GridCell,
  context: CellContext,
): { start: number; end: number } | null {
  const col = grid.days.findIndex((d) => d.byRow.get(cell.row) === cell);
  const row = grid.rows.findIndex((r) => r.key === cell.row);
  const day = grid.days[col];
  if (!day || row < 0) return null;
  const selection = clickSelection({
    col,
    row,
    day,
    rows: grid.rows,
    minMinutes: context.policy.minMinutes,
    isFree: (x) => {
      const state = cellState(x, context).state;
      return state === 'free' || state === 'taken';
    },
  });
  return selectionRange(day, grid.rows, selection);
}
