/**
 * The day / week grid of one resource: 30-minute cells, busy or free, in the browser's time zone.
 * It is an ARIA grid with one tab stop (roving tabindex): arrows move, Shift+arrows or Shift+Enter
 * extend the selection, Enter or Space selects, Escape clears. With a mouse: click, shift-click or
 * drag down a day's column.
 */
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { BusyInterval } from '@booking/shared';
import { ROWS_PER_DAY, busyAt, cellEnd, cellStart, formatDay, formatTime } from './slots';

/** A contiguous run of rows (inclusive) in one day column. */
export interface GridSelection {
  col: number;
  from: number;
  to: number;
}

export type CellState = 'past' | 'free' | 'mine' | 'taken';

interface Props {
  resourceName: string;
  days: Date[];
  busy: BusyInterval[];
  loading: boolean;
  myBookingIds: ReadonlySet<string>;
  now: number;
  selection: GridSelection | null;
  selectedBookingId: string | null;
  onSelectRange(selection: GridSelection): void;
  onSelectBooking(bookingId: string): void;
  onClear(): void;
  /** A taken or past cell was chosen: say why nothing happened. */
  onUnavailable(reason: string): void;
}

const stateText: Record<CellState, string> = { past: 'past', free: 'free', mine: 'your booking', taken: 'taken' };
const visibleText: Record<CellState, string> = { past: '', free: '', mine: 'Yours', taken: 'Taken' };

/** The first row worth showing: 08:00, or the next future row today. */
function initialRow(days: Date[], now: number): number {
  const day = days[0];
  if (!day) return 16;
  for (let r = 16; r < ROWS_PER_DAY; r += 1) if (cellEnd(day, r) > now) return r;
  return 16;
}

export function AvailabilityGrid(props: Props) {
  const { days, busy, myBookingIds, now, selection, selectedBookingId } = props;
  const [focus, setFocus] = useState(() => ({ col: 0, row: initialRow(days, now) }));
  const anchor = useRef<{ col: number; row: number } | null>(null);
  const dragging = useRef(false);
  const cells = useRef(new Map<string, HTMLDivElement>());
  const moveFocus = useRef(false);
  const scrolled = useRef(false);

  const cols = days.length;
  const col = Math.min(focus.col, cols - 1);

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

  const stateOf = (c: number, r: number): { state: CellState; busy: BusyInterval | undefined } => {
    const day = days[c];
    if (!day) return { state: 'past', busy: undefined };
    const start = cellStart(day, r);
    const end = cellEnd(day, r);
    const b = busyAt(busy, start, end);
    if (b) return { state: myBookingIds.has(b.bookingId) ? 'mine' : 'taken', busy: b };
    return { state: start < now ? 'past' : 'free', busy: undefined };
  };

  const activate = (c: number, r: number, extend: boolean) => {
    const { state, busy: b } = stateOf(c, r);
    if (state === 'mine' && b) {
      anchor.current = null;
      props.onSelectBooking(b.bookingId);
      return;
    }
    if (state === 'taken') {
      props.onUnavailable('That time is already booked by someone else. Pick a free time.');
      return;
    }
    if (state === 'past') {
      props.onUnavailable('That time has already passed. Pick a later time.');
      return;
    }
    const a = anchor.current;
    if (extend && a && a.col === c) {
      props.onSelectRange({ col: c, from: Math.min(a.row, r), to: Math.max(a.row, r) });
      return;
    }
    anchor.current = { col: c, row: r };
    props.onSelectRange({ col: c, from: r, to: r });
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
        row = ROWS_PER_DAY - 1;
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
    row = Math.max(0, Math.min(ROWS_PER_DAY - 1, row));
    c = Math.max(0, Math.min(cols - 1, c));
    if (e.shiftKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      if (!anchor.current || anchor.current.col !== c) anchor.current = { col: c, row: focus.row };
      if (stateOf(c, row).state === 'free') activate(c, row, true);
    }
    moveFocus.current = true;
    setFocus({ col: c, row });
  };

  const rows = Array.from({ length: ROWS_PER_DAY }, (_, r) => r);
  const firstDay = days[0] ?? new Date();

  return (
    <div className="grid-scroll">
      <div
        role="grid"
        aria-label={`Availability of ${props.resourceName}`}
        aria-busy={props.loading}
        aria-rowcount={ROWS_PER_DAY + 1}
        aria-colcount={cols + 1}
        aria-multiselectable="true"
        className={`grid cols-${cols}`}
        onKeyDown={onKeyDown}
      >
        <div role="row" className="grid-row">
          <div role="columnheader" className="grid-corner">
            Time
          </div>
          {days.map((d) => (
            <div role="columnheader" key={d.getTime()} className="grid-day">
              {formatDay(d)}
            </div>
          ))}
        </div>
        {rows.map((r) => (
          <div role="row" className="grid-row" key={r}>
            <div role="rowheader" className={`grid-time${r % 2 === 0 ? ' hour' : ''}`}>
              {formatTime(cellStart(firstDay, r))}
            </div>
            {days.map((d, c) => {
              const { state, busy: b } = stateOf(c, r);
              const start = cellStart(d, r);
              const end = cellEnd(d, r);
              const inSelection = selection !== null && selection.col === c && r >= selection.from && r <= selection.to;
              const selected = inSelection || (b !== undefined && b.bookingId === selectedBookingId);
              const isFocus = c === col && r === focus.row;
              return (
                <div
                  role="gridcell"
                  key={d.getTime()}
                  ref={(el) => {
                    const key = `${c}:${r}`;
                    if (el) cells.current.set(key, el);
                    else cells.current.delete(key);
                  }}
                  tabIndex={isFocus ? 0 : -1}
                  aria-selected={selected}
                  aria-disabled={state === 'past' || state === 'taken'}
                  aria-label={`${formatDay(d)} ${formatTime(start)} to ${formatTime(end)}, ${stateText[state]}${inSelection ? ', selected' : ''}`}
                  data-start={new Date(start).toISOString()}
                  data-state={state}
                  data-booking-id={b?.bookingId}
                  className={`cell ${state}${selected ? ' selected' : ''}${r % 2 === 0 ? ' hour' : ''}`}
                  onFocus={() => {
                    if (!isFocus) setFocus({ col: c, row: r });
                  }}
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
