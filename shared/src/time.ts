/** Time and interval helpers shared by server and clients. Intervals are half-open [start, end). */

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;

/** Booking rules from PROTOCOL.md. */
export const BOOKING_RULES = {
  minDurationMs: 5 * MINUTE_MS,
  maxDurationMs: DAY_MS,
  maxAheadMs: 365 * DAY_MS,
  /** availability:get may span at most this much. */
  maxAvailabilitySpanMs: 31 * DAY_MS,
} as const;

export interface Interval {
  start: Date;
  end: Date;
}

/** Two half-open intervals overlap iff a.start < b.end && b.start < a.end, so back-to-back is allowed. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

/** Why an interval breaks the booking rules at `now`, or null when it is fine. */
export function bookingRuleViolation(interval: Interval, now: Date): string | null {
  const start = interval.start.getTime();
  const end = interval.end.getTime();
  const duration = end - start;
  if (!(end > start)) return 'end must be after start';
  if (start % MINUTE_MS !== 0 || end % MINUTE_MS !== 0) return 'start and end must be whole minutes';
  if (duration < BOOKING_RULES.minDurationMs) return 'a booking lasts at least 5 minutes';
  if (duration > BOOKING_RULES.maxDurationMs) return 'a booking lasts at most 24 hours';
  if (start < now.getTime()) return 'a booking cannot start in the past';
  if (start > now.getTime() + BOOKING_RULES.maxAheadMs) return 'a booking starts at most 365 days ahead';
  return null;
}

/** Start of the UTC day that contains `d`. */
export function utcDayStart(d: Date): Date {
  return new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);
}

/** The UTC days (as their start instants) that the half-open interval [from, to) touches. */
export function utcDaysCovering(from: Date, to: Date): Date[] {
  const days: Date[] = [];
  for (let t = utcDayStart(from).getTime(); t < to.getTime(); t += DAY_MS) days.push(new Date(t));
  return days;
}

/** `YYYY-MM-DD` of a UTC day start. */
export function utcDayKey(d: Date): string {
  return d.toISOString().slice(0, 10);
}
