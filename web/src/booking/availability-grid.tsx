/**
 * The day / week grid of one resource in the resource's own time zone: cells of real local time
 * (`local-grid.ts`), each busy, closed, past or free (`cell-state.ts`); a day that lacks a row
 * another day has (the skipped hour of a spring-forward day) shows a placeholder there.
 * It is an ARIA grid with one tab stop (roving tabindex): arrows move, Shift+arrows or Shift+Enter
 * extend the selection, Enter or Space selects, Escape clears. With a mouse: click, shift-click or
 * drag down a day's column. A click selects at least the resource's shortest booking; an
 * extension stops at its longest (`use-grid-choice.ts`).
 */
import type { KeyboardEvent } from 'react';
import { cellState } from './cell-state';
import type { CellContext, CellState, GridSelection } from './cell-state';
import { GridCellView } from './grid-cell';
import { gridKey } from './grid-keys';
import { useGridChoice } from './use-grid-choice';
import { useGridFocus } from './use-grid-focus';
import { formatDate } from './local-grid';
import type { GridCell, LocalGrid } from './local-grid';
import { translate } from '../i18n';

export type { GridSelection } from './cell-state';

/** What cannot be chosen, and why (the page words it with the resource's policy). */
export type Unavailable = Exclude<CellState, 'free' | 'mine'>;

interface Props {
  resourceName: string;
  grid: LocalGrid;
  context: CellContext;
  loading: boolean;
  selection: GridSelection | null;
  selectedBookingId: string | null;
  onSelectRange(selection: GridSelection): void;
  onSelectBooking(bookingId: string): void;
  onClear(): void;
  /** An unavailable cell was chosen (`extending`: in the way of an extension): say why nothing happened. */
  onUnavailable(state: Unavailable, cell: GridCell, extending: boolean): void;
  /** (v3) View only: busy and free are shown, nothing is chosen; the id of what says why. */
  readOnly?: { describedBy: string };
}

/** The first row worth showing: the first open future cell from 08:00, else 08:00. */
function initialRow(grid: LocalGrid, context: CellContext): number {
  const day = grid.days[0];
  const eight = Math.max(
    0,
    grid.rows.findIndex((r) => r.key >= '08:00'),
  );
  if (!day) return eight;
  for (let r = 0; r < grid.rows.length; r += 1) {
    const cell = day.byRow.get(grid.rows[r]?.key ?? '');
    if (cell && cell.time >= '08:00' && cellState(cell, context).state === 'free') return r;
  }
  return eight;
}

/** The header row: a corner, then each day's date. */
function DayHeaders({ days }: { days: LocalGrid['days'] }) {
  return (
    <div role="row" className="grid-row">
      <div role="columnheader" className="grid-corner">
        {translate('grid.time')}
      </div>
      {days.map((d) => (
        <div role="columnheader" key={d.date} className="grid-day">
          {formatDate(d.date)}
        </div>
      ))}
    </div>
  );
}

export function AvailabilityGrid(props: Props) {
  const { grid, context, selection, selectedBookingId } = props;
  const days = grid.days;
  const rowCount = grid.rows.length;
  const cols = days.length;
  const { focus, setFocus, col, cells, moveFocus, dragging } = useGridFocus(cols, () => initialRow(grid, context));
  const choice = useGridChoice(grid, context, props);
  const { anchor, stateOf } = choice;
  const activate: typeof choice.activate = (c, r, extend) => {
    if (!props.readOnly) choice.activate(c, r, extend);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const effect = gridKey(e.key, { col, row: focus.row }, cols, rowCount);
    if (effect === null) return;
    if (effect.kind === 'clear') {
      anchor.current = null;
      props.onClear();
      return;
    }
    e.preventDefault();
    if (effect.kind === 'activate') {
      activate(col, focus.row, e.shiftKey);
      return;
    }
    const { col: c, row } = effect;
    if (e.shiftKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      if (!anchor.current || anchor.current.col !== c) anchor.current = { col: c, row: focus.row };
      if (stateOf(c, row).state === 'free') activate(c, row, true);
    }
    moveFocus.current = true;
    setFocus({ col: c, row });
  };

  return (
    <div className="grid-scroll">
      <div
        role="grid"
        aria-label={translate('grid.label', { name: props.resourceName })}
        aria-busy={props.loading}
        aria-rowcount={rowCount + 1}
        aria-colcount={cols + 1}
        aria-multiselectable={props.readOnly ? undefined : 'true'}
        aria-readonly={props.readOnly ? 'true' : undefined}
        aria-describedby={props.readOnly?.describedBy}
        className={`grid cols-${cols}${props.readOnly ? ' read-only' : ''}`}
        data-zone={grid.zone}
        data-cell-minutes={grid.cellMinutes}
        onKeyDown={onKeyDown}
      >
        <DayHeaders days={days} />
        {grid.rows.map((row, r) => (
          <div role="row" className="grid-row" key={row.key}>
            <div role="rowheader" className={`grid-time${row.hour ? ' hour' : ''}`}>
              {row.label}
            </div>
            {days.map((d, c) => {
              const cell = d.byRow.get(row.key);
              const isFocus = c === col && r === focus.row;
              const view = cell ? cellState(cell, context) : { state: 'free' as const, busy: undefined, free: null };
              const { state, busy: b } = view;
              const inSelection = selection !== null && selection.col === c && r >= selection.from && r <= selection.to;
              return (
                <GridCellView
                  key={d.date}
                  date={d.date}
                  rowLabel={row.label}
                  cell={cell}
                  state={state}
                  busy={b}
                  units={view.free === null ? null : { free: view.free, capacity: context.capacity }}
                  own={view.free !== null && b !== undefined}
                  zone={grid.zone}
                  isFocus={isFocus}
                  inSelection={inSelection}
                  selected={inSelection || (b !== undefined && b.bookingId === selectedBookingId)}
                  cellRef={(el) => {
                    const key = `${c}:${r}`;
                    if (el) cells.current.set(key, el);
                    else cells.current.delete(key);
                  }}
                  onFocus={() => {
                    if (!isFocus) setFocus({ col: c, row: r });
                  }}
                  onPointerDown={(shift) => {
                    setFocus({ col: c, row: r });
                    dragging.current = state === 'free';
                    activate(c, r, shift);
                  }}
                  onPointerEnter={() => {
                    if (dragging.current && anchor.current?.col === c && stateOf(c, r).state === 'free')
                      activate(c, r, true);
                  }}
                />
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
