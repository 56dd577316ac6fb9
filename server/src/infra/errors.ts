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

/** The public body for an error: AppErrors speak, anything else says only INTERNAL. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof AppError) {
    return err.details === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, details: err.details };
  }
  return { code: ErrorCode.INTERNAL, message: 'internal error' };
}

/** Turns a zod error into details a client can show (path and message, nothing else). */
export function zodDetails(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): unknown {
  return issues.slice(0, 10).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
