/**
 * What a person reads for each error code and each policy rule: what happened and what to do
 * next. Part of the contract, so the booking page, the dashboard (through `@booking/client`) and
 * the server's emails say the same; a new code or rule does not compile until it has its sentence.
 */
import type { ErrorCode } from './errors';
import type { PolicyRule } from './policy';

export const errorCodeSentences: Record<ErrorCode, string> = {
  VALIDATION_ERROR: 'That request was not accepted',
  UNAUTHORIZED: 'Your session has ended. Please sign in again.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_FOUND: 'That booking or resource no longer exists. The view has been refreshed.',
  SLOT_TAKEN:
    'Someone else booked that time just before you. The view has been refreshed to show it; please choose another free time.',
  INVALID_STATE:
    'That cannot be done in its current state: a booking may already be cancelled or over, or a resource may still have future bookings.',
  BUSY: 'The resource is busy with other bookings right now. We tried a few times; please try again in a moment.',
  RATE_LIMITED: 'You are going a little fast. Wait a few seconds, then try again.',
  INTERNAL: 'Something went wrong on our side. Please try again.',
  EMAIL_TAKEN: 'An account with that email already exists. Sign in instead, or use another email.',
  INVALID_CREDENTIALS: 'That email and password do not match an account. Check them and try again.',
  POLICY_VIOLATION: 'That time does not fit the rules of this resource.',
  QUOTA_EXCEEDED: 'You already hold as many bookings as allowed.',
};

/** (v3) What a person reads about their access to a resource (`FORBIDDEN` `details.reason`, and the page's view-only note). */
export const accessSentences = {
  notBookable: "You can see this resource's calendar but not book it.",
} as const;

/** What each policy rule means when the resource is not known (`POLICY_VIOLATION.details.rule`). */
export const policyRuleSentences: Record<PolicyRule, string> = {
  openingHours: 'The room is closed then. Choose a time within its opening hours.',
  closure: 'The room is closed on that day.',
  grid: 'Bookings start and end on the resource’s time grid (for example on the quarter hour).',
  duration: 'That booking is too short or too long for this resource.',
  notice: 'That is too soon: this resource must be booked further in advance.',
  past: 'That time has already passed.',
  advance: 'That is too far ahead: this resource cannot be booked that early.',
  buffer: 'That is too close to another booking: this resource keeps a gap between bookings.',
};
