/**
 * One cell of the availability grid: a real local time of one day with its state, or a
 * placeholder where the day has no such time (the clocks skip it) that keeps the columns aligned.
 * Every cell is a gridcell with the roving tab stop.
 */
import type { BusyInterval } from '@booking/shared';
import type { CellState } from './cell-state';
import { formatDate, formatDay, formatTime } from './local-grid';
import type { GridCell } from './local-grid';

const stateText: Record<CellState, string> = {
  past: 'past',
  closed: 'closed',
  unbookable: 'not bookable yet or any more',
  free: 'free',
  mine: 'yours',
  taken: 'taken',
};
const visibleText: Record<CellState, string> = {
  past: '',
  closed: 'Closed',
  unbookable: '',
  free: '',
  mine: 'Yours',
  taken: 'Taken',
};

interface Props {
  /** The day's date and the row's label (for the placeholder). */
  date: string;
  rowLabel: string;
  cell: GridCell | undefined;
  /** The cell's state (ignored for a placeholder). */
  state: CellState;
  busy: BusyInterval | undefined;
  zone: string;
  isFocus: boolean;
  inSelection: boolean;
  selected: boolean;
  cellRef(el: HTMLDivElement | null): void;
  onFocus(): void;
  onPointerDown(shift: boolean): void;
  onPointerEnter(): void;
}

export function GridCellView(p: Props) {
  const { cell, state } = p;
  /** What every cell of the grid has: role, roving tab stop, focus tracking. */
  const common = { role: 'gridcell', ref: p.cellRef, tabIndex: p.isFocus ? 0 : -1, onFocus: p.onFocus };
  if (!cell) {
    return (
      <div
        {...common}
        aria-disabled="true"
        aria-label={`${formatDate(p.date)} ${p.rowLabel}: no such time on this day, the clocks change`}
        data-state="none"
        className="cell none"
      />
    );
  }
  return (
    <div
      {...common}
      aria-selected={p.selected}
      aria-disabled={state !== 'free' && state !== 'mine'}
      aria-label={`${formatDay(cell.start, p.zone)} ${cell.label} to ${formatTime(cell.end, p.zone)}, ${stateText[state]}${p.inSelection ? ', selected' : ''}`}
      data-start={new Date(cell.start).toISOString()}
      data-end={new Date(cell.end).toISOString()}
      data-state={state}
      data-booking-id={p.busy?.bookingId}
      className={`cell ${state}${p.selected ? ' selected' : ''}${cell.hour ? ' hour' : ''}`}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        p.onPointerDown(e.shiftKey);
      }}
      onPointerEnter={p.onPointerEnter}
    >
      {visibleText[state]}
    </div>
  );
}
