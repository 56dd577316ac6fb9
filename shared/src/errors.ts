/** Every error code the server may answer with, on HTTP and in Socket.IO acks (docs/protocol.md). */
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
  /** A rule of the resource's policy; `details: {rule}` (v3: `approvable: true` when approval may be asked for). */
  POLICY_VIOLATION: 'POLICY_VIOLATION',
  /** Over a limit; `details: {scope: "user" | "resource" | "holds" | "waitlist", limit}` (v3: `approvable`, as above). */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The HTTP status of each error code (docs/protocol.md "HTTP"). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  SLOT_TAKEN: 409,
  INVALID_STATE: 409,
  POLICY_VIOLATION: 422,
  QUOTA_EXCEEDED: 422,
  RATE_LIMITED: 429,
  BUSY: 503,
  INTERNAL: 500,
};

/** The error half of the ack envelope and of HTTP error bodies. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/**
 * Every Socket.IO ack receives exactly one of these. Clients see it through `CommandResult`
 * (`client/command.ts`), which adds their own `TIMEOUT`; the sentences are in `client/messages.ts`.
 */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
