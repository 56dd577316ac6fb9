/**
 * What the booking page and the staff dashboard say for each error code: what happened and what
 * to do next. One map, so the two UIs cannot drift apart; a new code does not compile until it
 * has its sentence.
 */
import type { ErrorCode } from '../errors';
import type { ClientError, ClientErrorCode } from './command';

export const errorSentences: Record<ErrorCode | ClientErrorCode, string> = {
  VALIDATION_ERROR: 'That request was not accepted',
  UNAUTHORIZED: 'Your session has ended. Please sign in again.',
  FORBIDDEN: 'That booking belongs to someone else, so you cannot change it.',
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
  TIMEOUT: 'The server did not answer. Check your connection and try again.',
};

/** A sentence for the person, with the server's detail where it helps (validation). */
export function describeError(error: Pick<ClientError, 'code' | 'message'>): string {
  if (error.code === 'VALIDATION_ERROR') return `${errorSentences.VALIDATION_ERROR}: ${error.message}`;
  return errorSentences[error.code];
}
