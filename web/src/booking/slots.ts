/** The grid's time model: 30-minute cells laid out on local (browser time zone) days. */
import type { BusyInterval } from '@booking/shared';

export const SLOT_MINUTES = 30;
export const ROWS_PER_DAY = (24 * 60) / SLOT_MINUTES;

export type ViewMode = 'day' | 'week';

/** Local midnight of the day containing `d`. */
export function localDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

export function addDays(d: Date, n: number): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
}

/** The local days the view shows, starting at `anchor`. */
export function daysOf(anchor: Date, mode: ViewMode): Date[] {
  const count = mode === 'day' ? 1 : 7;
  return Array.from({ length: count }, (_, i) => addDays(anchor, i));
}

/** Start instant (ms) of row `row` on local day `day`; built from wall time so DST days stay aligned. */
export function cellStart(day: Date, row: number): number {
  return new Date(day.getFullYear(), day.getMonth(), day.getDate(), 0, row * SLOT_MINUTES).getTime();
}

export function cellEnd(day: Date, row: number): number {
  return new Date(day.getFullYear(), day.getMonth(), day.getDate(), 0, (row + 1) * SLOT_MINUTES).getTime();
}

/** `YYYY-MM-DD` of a local day (for the date input). */
export function dateInputValue(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function parseDateInput(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** The busy interval (if any) that overlaps [start, end). */
export function busyAt(busy: BusyInterval[], start: number, end: number): BusyInterval | undefined {
  return busy.find((b) => Date.parse(b.start) < end && start < Date.parse(b.end));
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

export const formatTime = (ms: number | string): string => timeFormat.format(new Date(ms));
export const formatDay = (ms: number | string | Date): string => dayFormat.format(new Date(ms));

/** "Tue 25 Nov, 10:00–11:00" (the end's day too when it differs). */
export function formatRange(start: number | string, end: number | string): string {
  const s = new Date(start);
  const e = new Date(end);
  const sameDay = localDay(s).getTime() === localDay(new Date(e.getTime() - 1)).getTime();
  return sameDay
    ? `${formatDay(s)}, ${formatTime(s.getTime())}–${formatTime(e.getTime())}`
    : `${formatDay(s)} ${formatTime(s.getTime())} – ${formatDay(e)} ${formatTime(e.getTime())}`;
}

export const timeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;
