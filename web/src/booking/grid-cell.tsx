/**
 * One cell of the availability grid: a real local time of one day with its state, or a
 * placeholder where the day has no such time (the clocks skip it) that keeps the columns aligned.
 * Every cell is a gridcell with the roving tab stop. A cell of a resource of several units says
 * how many are free ("3 of 40 free"; in a week "3/40", drawn by the style sheet from `data-units`
 * so that what is seen stays within what the cell's label says) and whether the viewer holds some.
 * (v3) A time taken by someone's hold or waitlist offer says "Held" and is hatched: it may free up.
 * (v3) A time taken by a request awaiting approval says "Awaiting approval" and is outlined, dashed.
 */
import type { BusyInterval } from '@booking/shared';
import { freeText } from './capacity';
import type { CellState } from './cell-state';
import { formatDate, formatDay, formatTime } from './local-grid';
import type { GridCell } from './local-grid';
import { translate, type WebKey } from '../i18n';

const stateKeys: Record<CellState, WebKey> = {
  past: 'cell.past',
  closed: 'cell.closed',
  unbookable: 'cell.unbookable',
  free: 'cell.free',
  mine: 'cell.mine',
  taken: 'cell.taken',
};
const stateText = (state: CellState): string => translate(stateKeys[state]);
const visibleKeys: Record<CellState, WebKey | null> = {
  past: null,
  closed: 'cell.closedShown',
  unbookable: null,
  free: null,
  mine: 'cell.mineShown',
  taken: 'cell.takenShown',
};
const visibleText = (state: CellState): string => {
  const key = visibleKeys[state];
  return key ? translate(key) : '';
};

interface Props {
  /** The day's date and the row's label (for the placeholder). */
  date: string;
  rowLabel: string;
  cell: GridCell | undefined;
  /** The cell's state (ignored for a placeholder). */
  state: CellState;
  busy: BusyInterval | undefined;
  /** Units free over the cell and the resource's capacity (null: a resource of capacity 1). */
  units: { free: number; capacity: number } | null;
  /** The viewer holds units here (a resource of capacity > 1). */
  own: boolean;
  zone: string;
  isFocus: boolean;
  inSelection: boolean;
  selected: boolean;
  cellRef(el: HTMLDivElement | null): void;
  onFocus(): void;
  onPointerDown(shift: boolean): void;
  onPointerEnter(): void;
}

/** The visible words of a multi-unit cell that can be booked or is too full: "3 of 40 free", "· yours" where the viewer holds some. */
function unitsWords(units: { free: number; capacity: number }, own: boolean): string {
  return `${freeText(units.free, units.capacity)}${own ? translate('cell.unitsYours') : ''}`;
}

/** What a multi-unit cell says to a screen reader: its visible words first (as they are shown), then why it is greyed. */
function unitsLabel(state: CellState, units: { free: number; capacity: number }, own: boolean): string {
  if (state === 'free') return unitsWords(units, own);
  if (state === 'taken')
    return `${unitsWords(units, own)}, ${units.free === 0 ? translate('cell.full') : translate('cell.tooFew')}`;
  return `${stateText(state)}${own ? translate('cell.ownToo') : ''}`;
}

/** The visible text of a multi-unit cell: the count where it can be booked or is too full (in a week, `data-units` instead). */
function UnitsText({
  state,
  units,
  own,
}: {
  state: CellState;
  units: { free: number; capacity: number };
  own: boolean;
}) {
  if (state !== 'free' && state !== 'taken') return <>{own ? translate('cell.mineShown') : visibleText(state)}</>;
  return <span className="units-long">{unitsWords(units, own)}</span>;
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
        aria-label={translate('cell.none', { date: formatDate(p.date), time: p.rowLabel })}
        data-state="none"
        className="cell none"
      />
    );
  }
  // (v3) Taken by a hold or a waitlist offer: occupied all the same, but it may free up.
  const held = !p.units && (state === 'taken' || state === 'mine') && p.busy?.status === 'held';
  const heldWords = state === 'mine' ? translate('cell.heldMine') : translate('cell.heldOther');
  // (v3) Taken by a request awaiting approval: occupied too, until it is decided or runs out.
  const requested = !p.units && (state === 'taken' || state === 'mine') && p.busy?.status === 'pending';
  const requestedWords = state === 'mine' ? translate('cell.requestedMine') : translate('cell.requestedOther');
  // (v3) The booking's title, when the server sends it (publicTitles, or the viewer's own).
  const title = p.busy?.title;
  const what = p.units
    ? unitsLabel(state, p.units, p.own)
    : held
      ? heldWords
      : requested
        ? requestedWords
        : title && (state === 'taken' || state === 'mine')
          ? `${stateText(state)}: ${title}`
          : stateText(state);
  return (
    <div
      {...common}
      aria-selected={p.selected}
      aria-disabled={state !== 'free' && state !== 'mine'}
      aria-label={translate(p.inSelection ? 'cell.labelSelected' : 'cell.label', {
        day: formatDay(cell.start, p.zone),
        start: cell.label,
        end: formatTime(cell.end, p.zone),
        what,
      })}
      data-start={new Date(cell.start).toISOString()}
      data-end={new Date(cell.end).toISOString()}
      data-state={state}
      data-free={p.units?.free}
      data-units={
        p.units && (state === 'free' || state === 'taken') ? `${p.units.free}/${p.units.capacity}` : undefined
      }
      data-booking-id={p.busy?.bookingId}
      data-held={held ? 'true' : undefined}
      data-pending={requested ? 'true' : undefined}
      className={[
        'cell',
        state,
        held && 'held',
        requested && 'awaiting',
        p.selected && 'selected',
        cell.hour && 'hour',
        p.own && 'has-mine',
      ]
        .filter(Boolean)
        .join(' ')}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        p.onPointerDown(e.shiftKey);
      }}
      onPointerEnter={p.onPointerEnter}
    >
      {p.units ? (
        <UnitsText state={state} units={p.units} own={p.own} />
      ) : held ? (
        state === 'mine' ? (
          translate('cell.heldForYou')
        ) : (
          translate('cell.held')
        )
      ) : requested ? (
        translate('cell.awaiting')
      ) : title && (state === 'taken' || state === 'mine') ? (
        <span className="busy-title">{title}</span>
      ) : (
        visibleText(state)
      )}
    </div>
  );
}
