import mongoose from 'mongoose';
import { ErrorCode } from '@booking/shared';
import type { ErrorBody } from '@booking/shared';

/** An expected failure with a protocol error code; anything else becomes INTERNAL. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, opts: { cause?: unknown; details?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = opts.details;
  }
}

const { mongo } = mongoose;

/**
 * MongoDB server error codes that say "not now, here", never "not this request": the member is not
 * (or no longer) primary, is shutting down or stepping down, could not be reached, or a lock or
 * time limit ran out. The same request sent again (with its idempotency key) can succeed.
 */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  24, // LockTimeout
  50, // MaxTimeMSExpired
  64, // WriteConcernFailed (wtimeout: written, not yet replicated; a retry replays)
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/**
 * Socket errors as Node reports them: the connection failed, not the request. The driver wraps
 * them in MongoNetworkError, but one read reset under a command on a killed primary was seen to
 * reach the handler bare (driver 6.16).
 */
const NETWORK_ERRNOS: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * The rule for which store failures a client may retry: a MongoDB error that the driver labels
 * retryable (TransientTransactionError, UnknownTransactionCommitResult, RetryableWriteError), a
 * network or server-selection failure (no primary reachable within serverSelectionTimeoutMS, as
 * during an election; a bare socket error too), or a server error with a code in TRANSIENT_CODES.
 * Everything else (duplicate keys, validation, bugs) is not transient: retrying would fail the
 * same way. Retrying is safe because every command that writes replays by its idempotency key.
 */
export function isTransientStoreError(err: unknown): boolean {
  if (err instanceof mongoose.Error.MongooseServerSelectionError) return true;
  if (err instanceof Error && 'code' in err && typeof err.code === 'string' && NETWORK_ERRNOS.has(err.code))
    return true;
  if (!(err instanceof mongo.MongoError)) return false;
  if (
    err.hasErrorLabel('TransientTransactionError') ||
    err.hasErrorLabel('UnknownTransactionCommitResult') ||
    err.hasErrorLabel('RetryableWriteError')
  ) {
    return true;
  }
  if (
    err instanceof mongo.MongoNetworkError ||
    err instanceof mongo.MongoServerSelectionError ||
    err instanceof mongo.MongoTopologyClosedError
  )
    return true;
  return typeof err.code === 'number' && TRANSIENT_CODES.has(err.code);
}

/** A transient store failure as the BUSY it means to a client (the cause kept); anything else unchanged. */
export function busyIfTransient(err: unknown): unknown {
  if (err instanceof AppError || !isTransientStoreError(err)) return err;
  return new AppError(ErrorCode.BUSY, 'the store is busy; try again', { cause: err });
}

/**
 * The public body for an error: AppErrors speak, a transient store failure says BUSY (retry with
 * the same idempotency key), anything else says only INTERNAL.
 */
export function toErrorBody(err: unknown): ErrorBody {
  const e = busyIfTransient(err);
  if (e instanceof AppError) {
    return e.details === undefined
      ? { code: e.code, message: e.message }
      : { code: e.code, message: e.message, details: e.details };
  }
  return { code: ErrorCode.INTERNAL, message: 'internal error' };
}

/** Turns a zod error into details a client can show (path and message, nothing else). */
export function zodDetails(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): unknown {
  return issues.slice(0, 10).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
