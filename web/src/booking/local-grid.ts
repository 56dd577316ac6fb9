/**
 * The grid's time model: cells of real local time in the resource's IANA zone, built with
 * Luxon's time-zone database (never a fixed offset), so a daylight-saving day is right:
 *
 * - spring forward (a local day of 23 hours): the skipped wall-clock times have no cells, and the
 *   cell before the gap (01:30 in Berlin) ends where the next begins (03:00): 30 real minutes,
 *   never a 90-minute "30-minute" cell;
 * - fall back (25 hours): the repeated wall-clock hour has its cells twice, each labelled with
 *   its offset name (CEST, then CET), so no booking in it hides.
 *
 * A cell boundary is every instant of the local day whose wall-clock minute is on the cell grid
 * (counted from local midnight, as the policy's `slotMinutes` grid is). Offsets (and their
 * changes) are whole multiples of 15 minutes, so stepping real time by gcd(cell, 15) minutes
 * from the day's first instant visits every such instant.
 */
import { DateTime, IANAZone } from 'luxon';
import { formatInstant } from '@booking/shared';
import { currentLocale } from '../i18n';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;

export type ViewMode = 'day' | 'week';

/** One cell `[start, end)` of a local day (epoch ms). */
export interface GridCell {
  start: number;
  end: number;
  /** Local `HH:MM` of the start. */
  time: string;
  /** What the row header and labels show: `HH:MM`, plus the offset name in a repeated hour. */
  label: string;
  /** The row it belongs to: `HH:MM`, and `HH:MM#2` for the second pass of a repeated hour. */
  row: string;
  /** Starts on a whole local hour. */
  hour: boolean;
}

export interface GridDay {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  from: number;
  to: number;
  cells: GridCell[];
  /** Cells by row key. */
  byRow: ReadonlyMap<string, GridCell>;
}

export interface GridRow {
  key: string;
  label: string;
  hour: boolean;
}

export interface LocalGrid {
  zone: string;
  cellMinutes: number;
  days: GridDay[];
  /** Every row any day has, in time order (a day without one shows a placeholder). */
  rows: GridRow[];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The length of one cell for a policy grid of `slotMinutes`: the grid itself from 15 minutes up;
 * below that (the default grid is 1 minute) the smallest multiple of it from 30 minutes that
 * divides a day, so every cell boundary is still on the grid.
 */
export function cellMinutesFor(slotMinutes: number): number {
  if (slotMinutes >= 15) return slotMinutes;
  for (let m = slotMinutes; m <= DAY_MINUTES; m += slotMinutes) if (m >= 30 && DAY_MINUTES % m === 0) return m;
  return slotMinutes;
}

/** Wall-clock minutes since local midnight at instant `ms`. */
function wallMinutes(ms: number, zone: IANAZone): number {
  const minutes = Math.floor(ms / MINUTE_MS) + zone.offset(ms);
  return ((minutes % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The cells of local day `date` in `zone`. */
export function dayCells(date: string, zone: string, cellMinutes: number): GridDay {
  const tz = IANAZone.create(zone);
  const first = DateTime.fromISO(date, { zone }).startOf('day');
  const from = first.toMillis();
  const to = first.plus({ days: 1 }).startOf('day').toMillis();
  const step = gcd(cellMinutes, 15) * MINUTE_MS;
  const bounds = [from];
  for (let t = from + step; t < to; t += step) if (wallMinutes(t, tz) % cellMinutes === 0) bounds.push(t);
  bounds.push(to);

  const times = bounds.slice(0, -1).map((t) => hhmm(wallMinutes(t, tz)));
  const repeated = new Set(times.filter((t, i) => times.indexOf(t) !== i));
  const seen = new Map<string, number>();
  const cells: GridCell[] = [];
  for (let i = 0; i + 1 < bounds.length; i += 1) {
    const start = bounds[i] ?? from;
    const time = times[i] ?? '';
    const pass = (seen.get(time) ?? 0) + 1;
    seen.set(time, pass);
    const label = repeated.has(time)
      ? `${time} ${DateTime.fromMillis(start, { zone }).offsetNameShort ?? ''}`.trim()
      : time;
    cells.push({
      start,
      end: bounds[i + 1] ?? to,
      time,
      label,
      row: pass === 1 ? time : `${time}#${pass}`,
      hour: time.endsWith(':00'),
    });
  }
  return { date, from, to, cells, byRow: new Map(cells.map((c) => [c.row, c])) };
}

/**
 * The rows of several days in time order: each day's own order, merged (a repeated hour's second
 * pass comes after the first, a skipped hour's rows stay where other days have them).
 */
export function mergeRows(days: GridDay[]): GridRow[] {
  const rows: GridRow[] = [];
  const index = new Map<string, number>();
  for (const day of days) {
    let after = -1;
    for (const cell of day.cells) {
      const at = index.get(cell.row);
      if (at !== undefined) {
        after = at;
        continue;
      }
      // A repeated hour's rows carry no offset in the header: the cells name theirs.
      const label = cell.row.includes('#') ? `${cell.time} (again)` : cell.time;
      rows.splice(after + 1, 0, { key: cell.row, label, hour: cell.hour });
      after += 1;
      index.clear();
      rows.forEach((r, i) => index.set(r.key, i));
    }
  }
  return rows;
}

/** The local dates a view shows from `anchor` (`YYYY-MM-DD`). */
export function datesOf(anchor: string, mode: ViewMode): string[] {
  const start = DateTime.fromISO(anchor, { zone: 'UTC' });
  return Array.from({ length: mode === 'day' ? 1 : 7 }, (_, i) => start.plus({ days: i }).toISODate() ?? anchor);
}

/** `date` moved by `n` calendar days. */
export function addDays(date: string, n: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: n }).toISODate() ?? date;
}

export function buildGrid(opts: { anchor: string; mode: ViewMode; zone: string; slotMinutes: number }): LocalGrid {
  const cellMinutes = cellMinutesFor(opts.slotMinutes);
  const days = datesOf(opts.anchor, opts.mode).map((d) => dayCells(d, opts.zone, cellMinutes));
  return { zone: opts.zone, cellMinutes, days, rows: mergeRows(days) };
}

/** Whether `YYYY-MM-DD` is a real calendar date. */
export function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
}

/** The viewer's own zone (the browser's). */
export const viewerZone = (): string => DateTime.local().zoneName;

/** `Tue 25 Nov` of an instant in `zone`, in the page's language. */
export const formatDay = (ms: number | string, zone: string): string =>
  formatInstant(currentLocale(), new Date(toMs(ms)), zone, 'date');
/** `HH:MM` of an instant in `zone`. */
export const formatTime = (ms: number | string, zone: string): string =>
  formatInstant(currentLocale(), new Date(toMs(ms)), zone, 'time');
/** `Tue 25 Nov` of a local date, in the page's language. */
export const formatDate = (date: string): string =>
  formatInstant(currentLocale(), new Date(`${date}T12:00:00Z`), 'UTC', 'date');

function toMs(v: number | string): number {
  return typeof v === 'number' ? v : Date.parse(v);
}

/** "Tue 25 Nov, 10:00–11:00" in `zone` (the end's day too when it differs), in the page's language. */
export function formatRange(start: number | string, end: number | string, zone: string): string {
  const s = DateTime.fromMillis(toMs(start), { zone });
  const e = DateTime.fromMillis(toMs(end), { zone });
  const lastMinute = e.minus({ milliseconds: 1 });
  return s.hasSame(lastMinute, 'day')
    ? `${formatDay(start, zone)}, ${formatTime(start, zone)}–${formatTime(end, zone)}`
    : `${formatDay(start, zone)} ${formatTime(start, zone)} – ${formatDay(end, zone)} ${formatTime(end, zone)}`;
}

/** A zone name for people: `America/New_York` → `America/New York`. */
export const zoneLabel = (zone: string): string => zone.replace(/_/g, ' ');
