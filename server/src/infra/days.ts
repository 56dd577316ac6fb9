/**
 * Local days of a zone, as pure arithmetic over the shared time helpers: a leaf that booking (the
 * days a change touches, the span a series reads back) and availability (its cache keys) both use,
 * so neither reaches into the other for it.
 */
import { localDayRange, localDaysOf } from '@booking/shared';

/** The local day keys of `zone` that the intervals touch. */
export function daysOf(intervals: Array<{ start: Date; end: Date }>, zone: string): string[] {
  return localDaysOf(intervals, zone);
}

/** The instants spanned by sorted local day keys: `[first day's midnight, the midnight after the last)`. */
export function spanOf(days: string[], zone: string): { from: Date; to: Date } {
  return { from: localDayRange(days[0] ?? '', zone).from, to: localDayRange(days[days.length - 1] ?? '', zone).to };
}
