/**
 * The day / week grid of one resource in the resource's own time zone: cells of real local time
 * (`local-grid.ts`), each busy, closed, past or free (`cell-state.ts`); a day that lacks a row
 * another day has (the skipped hour of a spring-forward day) shows a placeholder there.
 * It is an ARIA grid with one tab stop (roving tabindex): arrows move, Shift+arrows or Shift+Enter
 * extend the selection, Enter or Space selects, Escape clears. With a mouse: click, shift-click or
 * drag down a day's column. A click selects at least the resource's shortest booking; an
 * extension stops at its longest.
 */
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { BusyInterval } from '@booking/shared';
import { cellState, clampSelection, clickSelection } from './cell-state';
import type { CellContext, CellState, GridSelection } from './cell-state';
import { formatDate, formatDay, formatTime } from './local-grid';
import type { GridCell, LocalGrid } from './local-grid';

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
  /** An unavailable cell was chosen: say why nothing happened. */
  onUnavailable(state: Unavailable, cell: GridCell): void;
}

const stateText: Record<CellState, string> = {
  past: 'past',
  closed: 'closed',
  unbookable: 'not bookable yet or any more',
  free: 'free',
  mine: 'yours',
  taken: 'taken',
};
const visibleText: Record<CellState, string> = { past: '', closed: 'Closed', unbookable: '', free: '', mine: 'Yours', taken: 'Taken' };

/** The first row worth showing: the first open future cell from 08:00, else 08:00. */
function initialRow(grid: LocalGrid, context: CellContext): number {
  const day = grid.days[0];
  const eight = Math.max(0, grid.rows.findIndex((r) => r.key >= '08:00'));
  if (!day) return eight;
  for (let r = 0; r < grid.rows.length; r += 1) {
    const cell = day.byRow.get(grid.rows[r]?.key ?? '');
    if (cell && cell.time >= '08:00' && cellState(cell, context).state === 'free') return r;
  }
  return eight;
}

export function AvailabilityGrid(props: Props) {
  const { grid, context, selection, selectedBookingId } = props;
  const days = grid.days;
  const rowCount = grid.rows.length;
  const policy = context.policy;
  const [focus, setFocus] = useState(() => ({ col: 0, row: initialRow(grid, context) }));
  const anchor = useRef<{ col: number; row: number } | null>(null);
  const dragging = useRef(false);
  const cells = useRef(new Map<string, HTMLDivElement>());
  const moveFocus = useRef(false);
  const scrolled = useRef(false);

  const cols = days.length;
  const col = Math.min(focus.col, cols - 1);
  const cellAt = (c: number, r: number): GridCell | undefined => days[c]?.byRow.get(grid.rows[r]?.key ?? '');

  useEffect(() => {
    const stop = () => {
      dragging.current = false;
    };
    window.addEventListener('pointerup', stop);
    return () => window.removeEventListener('pointerup', stop);
  }, []);

  // Show the working day first, once; afterwards the focused cell follows the keyboard.
  useEffect(() => {
    if (scrolled.current) return;
    const el = cells.current.get(`0:${focus.row}`);
    const box = el?.closest('.grid-scroll');
    if (el && box instanceof HTMLElement) {
      const header = box.querySelector('[role=columnheader]');
      box.scrollTop = el.offsetTop - (header instanceof HTMLElement ? header.offsetHeight : 40);
      scrolled.current = true;
    }
  });

  useEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    const el = cells.current.get(`${col}:${focus.row}`);
    el?.focus();
    el?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [col, focus.row]);

  const stateOf = (c: number, r: number): { state: CellState | 'none'; busy: BusyInterval | undefined } => {
    const cell = cellAt(c, r);
    return cell ? cellState(cell, context) : { state: 'none', busy: undefined };
  };

  const activate = (c: number, r: number, extend: boolean) => {
    const cell = cellAt(c, r);
    const day = days[c];
    if (!cell || !day) return;
    const { state, busy: b } = cellState(cell, context);
    if (state === 'mine') {
      anchor.current = null;
      if (b) props.onSelectBooking(b.bookingId);
      return;
    }
    if (state !== 'free') {
      props.onUnavailable(state, cell);
      return;
    }
    const a = anchor.current;
    if (extend && a && a.col === c) {
      // Every cell between the anchor and here must be free to extend over it.
      const lo = Math.min(a.row, r);
      const hi = Math.max(a.row, r);
      for (let i = lo; i <= hi; i += 1) {
        const between = cellAt(c, i);
        if (!between) continue;
        const s = cellState(between, context).state;
        if (s !== 'free') {
          if (s !== 'mine') props.onUnavailable(s, between);
          return;
        }
      }
      props.onSelectRange(clampSelection({ col: c, from: lo, to: hi }, day, grid.rows, policy.maxMinutes, a.row));
      return;
    }
    anchor.current = { col: c, row: r };
    props.onSelectRange(clickSelection({ col: c, row: r, day, rows: grid.rows, minMinutes: policy.minMinutes, isFree: (x) => cellState(x, context).state === 'free' }));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    let { row } = focus;
    let c = col;
    switch (e.key) {
      case 'ArrowUp':
        row -= 1;
        break;
      case 'ArrowDown':
        row += 1;
        break;
      case 'ArrowLeft':
        c -= 1;
        break;
      case 'ArrowRight':
        c += 1;
        break;
      case 'PageUp':
        row -= 4;
        break;
      case 'PageDown':
        row += 4;
        break;
      case 'Home':
        row = 0;
        break;
      case 'End':
        row = rowCount - 1;
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        activate(c, row, e.shiftKey);
        return;
      case 'Escape':
        anchor.current = null;
        props.onClear();
        return;
      default:
        return;
    }
    e.preventDefault();
    row = Math.max(0, Math.min(rowCount - 1, row));
    c = Math.max(0, Math.min(cols - 1, c));
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
        aria-label={`Availability of ${props.resourceName}`}
        aria-busy={props.loading}
        aria-rowcount={rowCount + 1}
        aria-colcount={cols + 1}
        aria-multiselectable="true"
        className={`grid cols-${cols}`}
        data-zone={grid.zone}
        data-cell-minutes={grid.cellMinutes}
        onKeyDown={onKeyDown}
      >
        <div role="row" className="grid-row">
          <div role="columnheader" className="grid-corner">
            Time
          </div>
          {days.map((d) => (
            <div role="columnheader" key={d.date} className="grid-day">
              {formatDate(d.date)}
            </div>
          ))}
        </div>
        {grid.rows.map((row, r) => (
          <div role="row" className="grid-row" key={row.key}>
            <div role="rowheader" className={`grid-time${row.hour ? ' hour' : ''}`}>
              {row.label}
            </div>
            {days.map((d, c) => {
              const cell = d.byRow.get(row.key);
              const isFocus = c === col && r === focus.row;
              /** What every cell of the grid has: role, roving tab stop, focus tracking. */
              const common = {
                role: 'gridcell',
                ref: (el: HTMLDivElement | null) => {
                  const key = `${c}:${r}`;
                  if (el) cells.current.set(key, el);
                  else cells.current.delete(key);
                },
                tabIndex: isFocus ? 0 : -1,
                onFocus: () => {
                  if (!isFocus) setFocus({ col: c, row: r });
                },
              };
              if (!cell) {
                // This day has no such local time (the clocks skip it): a placeholder keeps the columns aligned.
                return <div key={d.date} {...common} aria-disabled="true" aria-label={`${formatDate(d.date)} ${row.label}: no such time on this day, the clocks change`} data-state="none" className="cell none" />;
              }
              const { state, busy: b } = cellState(cell, context);
              const inSelection = selection !== null && selection.col === c && r >= selection.from && r <= selection.to;
              const selected = inSelection || (b !== undefined && b.bookingId === selectedBookingId);
              return (
                <div
                  key={d.date}
                  {...common}
                  aria-selected={selected}
                  aria-disabled={state !== 'free' && state !== 'mine'}
                  aria-label={`${formatDay(cell.start, grid.zone)} ${cell.label} to ${formatTime(cell.end, grid.zone)}, ${stateText[state]}${inSelection ? ', selected' : ''}`}
                  data-start={new Date(cell.start).toISOString()}
                  data-end={new Date(cell.end).toISOString()}
                  data-state={state}
                  data-booking-id={b?.bookingId}
                  className={`cell ${state}${selected ? ' selected' : ''}${cell.hour ? ' hour' : ''}`}
                  onPointerDown={(e) => {
                    if (e.button !== 0) return;
                    setFocus({ col: c, row: r });
                    dragging.current = state === 'free';
                    activate(c, r, e.shiftKey);
                  }}
                  onPointerEnter={() => {
                    if (dragging.current && anchor.current?.col === c && stateOf(c, r).state === 'free') activate(c, r, true);
                  }}
                >
                  {visibleText[state]}
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
