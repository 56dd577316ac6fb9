/** Every error code the server may answer with, on HTTP and in Socket.IO acks (PROTOCOL.md). */
export const ErrorCode = {
  VALIDATION_ERROR: 'VALIDATION_ERROR',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  SLOT_TAKEN: 'SLOT_TAKEN',
  INVALID_STATE: 'INVALID_STATE',
  BUSY: 'BUSY',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL: 'INTERNAL',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The error half of the ack envelope and of HTTP error bodies. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Every Socket.IO ack receives exactly one of these. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** Human-readable default explanations, used by clients that have nothing better to say. */
export const errorMessages: Record<ErrorCode, string> = {
  VALIDATION_ERROR: 'The request was malformed.',
  UNAUTHORIZED: 'Please sign in again.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_FOUND: 'That no longer exists.',
  SLOT_TAKEN: 'Someone else has that time already.',
  INVALID_STATE: 'That cannot be done in its current state.',
  BUSY: 'The resource is busy right now; please try again.',
  RATE_LIMITED: 'Too many requests; slow down a little.',
  INTERNAL: 'Something went wrong on our side.',
  EMAIL_TAKEN: 'An account with that email already exists.',
  INVALID_CREDENTIALS: 'Wrong email or password.',
};
