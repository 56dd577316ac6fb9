/** Time and interval helpers shared by server and clients. Intervals are half-open [start, end). */

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * Limits from docs/protocol.md that are not a resource's policy (the booking rules are: see
 * `policy/policy.rules.ts`). No policy can widen them: they keep every command's work bounded
 * whatever instants a client sends (issue 22: a booking from year 0001 to 9999 made a node list
 * millions of days under the resource's lock).
 */
export const BOOKING_RULES = {
  /** availability:get and slots:find may span at most this much. */
  maxAvailabilitySpanMs: 31 * DAY_MS,
  /** A booking (and each occurrence of a series) lasts at most this long: longer is a shape error. */
  maxBookingMs: 7 * DAY_MS,
  /** A booking may not start earlier than this before now (POLICY_VIOLATION `past`, staff too). */
  hardPastMs: DAY_MS,
  /** Nor later than this after now (POLICY_VIOLATION `advance`, staff too, whatever `maxAdvanceDays`). */
  hardAdvanceMs: 3653 * DAY_MS,
  /** availability:get and slots:find: `from` and `to` lie within this of now, either side (else VALIDATION_ERROR). */
  queryWindowMs: 3653 * DAY_MS,
} as const;

/**
 * The most local days any day-walking helper lists in one call (`dateRangeCovering` and the
 * cache's per-day commands). The largest legitimate walk is `slots:find`'s 31 days widened by a
 * week-long slot and its buffer on either side; a caller past this is a bug upstream, and the
 * helper throws `DayWalkLimitError` instead of walking on.
 */
export const MAX_WALK_DAYS = 400;

/** A day-walking helper was asked for more than `MAX_WALK_DAYS` days. */
export class DayWalkLimitError extends RangeError {
  constructor(what: string) {
    super(`${what} spans more than ${MAX_WALK_DAYS} days`);
    this.name = 'DayWalkLimitError';
  }
}

export interface Interval {
  start: Date;
  end: Date;
}

/** Two half-open intervals overlap iff a.start < b.end && b.start < a.end, so back-to-back is allowed. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

/**
 * A booking interval's shape (an `end` after the `start`, at most `maxBookingMs` long), as the
 * payload schemas refine it: the message, or null.
 */
export function bookingShapeProblem(start: Date, end: Date): string | null {
  const s = start.getTime();
  const e = end.getTime();
  if (!Number.isFinite(s) || !Number.isFinite(e)) return 'start and end must be instants';
  if (e <= s) return 'end must be after start';
  if (e - s > BOOKING_RULES.maxBookingMs) return 'a booking lasts at most 7 days';
  return null;
}

/**
 * Whether a booking's start lies outside the hard window `[now - hardPastMs, now + hardAdvanceMs]`
 * that no policy and no role widens: the rule it breaks, or null. O(1): it is checked before any
 * day arithmetic.
 */
export function hardWindowViolation(start: Date, now: Date): 'past' | 'advance' | null {
  const s = start.getTime();
  if (s < now.getTime() - BOOKING_RULES.hardPastMs) return 'past';
  if (s > now.getTime() + BOOKING_RULES.hardAdvanceMs) return 'advance';
  return null;
}

/** Whether a query range's ends lie within `queryWindowMs` of now: the offending field, or null. */
export function queryWindowProblem(from: Date, to: Date, now: Date): { path: 'from' | 'to'; message: string } | null {
  const lo = now.getTime() - BOOKING_RULES.queryWindowMs;
  const hi = now.getTime() + BOOKING_RULES.queryWindowMs;
  const message = 'the range must lie within ten years of now';
  if (from.getTime() < lo || from.getTime() > hi) return { path: 'from', message };
  if (to.getTime() < lo || to.getTime() > hi) return { path: 'to', message };
  return null;
}
