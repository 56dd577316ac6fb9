/** Time and interval helpers shared by server and clients. Intervals are half-open [start, end). */

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * Limits from PROTOCOL.md that are not a resource's policy (the booking rules are: see
 * `policy/policy.rules.ts`).
 */
export const BOOKING_RULES = {
  /** availability:get and slots:find may span at most this much. */
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
