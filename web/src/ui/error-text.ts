/** What the page says for each error code: what happened and what to do next. */
import { errorMessages } from '@booking/shared';
import type { ErrorBody, ErrorCode } from '@booking/shared';

const explanations: Record<ErrorCode, string> = {
  VALIDATION_ERROR: 'That request was not accepted',
  UNAUTHORIZED: 'Your session has ended. Please sign in again.',
  FORBIDDEN: 'That booking belongs to someone else, so you cannot change it.',
  NOT_FOUND: 'That booking or resource no longer exists. The view has been refreshed.',
  SLOT_TAKEN:
    'Someone else booked that time just before you. The grid has been refreshed to show it; please choose another free time.',
  INVALID_STATE: 'That booking can no longer be changed: it may already be cancelled or over.',
  BUSY: 'The resource is busy with other bookings right now. We tried a few times; please try again in a moment.',
  RATE_LIMITED: 'You are going a little fast. Wait a few seconds, then try again.',
  INTERNAL: `${errorMessages.INTERNAL} Please try again.`,
  EMAIL_TAKEN: 'An account with that email already exists. Sign in instead, or use another email.',
  INVALID_CREDENTIALS: 'That email and password do not match an account. Check them and try again.',
};

/** A sentence for the person, with the server's detail where it helps (validation). */
export function describeError(error: ErrorBody): string {
  if (error.code === 'VALIDATION_ERROR') return `${explanations.VALIDATION_ERROR}: ${error.message}`;
  if (error.code === 'INTERNAL' && error.message && error.message !== errorMessages.INTERNAL) return error.message;
  return explanations[error.code];
}
