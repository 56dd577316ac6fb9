import type { z } from 'zod';
import { ErrorCode } from '@booking/shared';
import { AppError, zodDetails } from '../infra/errors';

/** Parses input at the edge: a failure becomes VALIDATION_ERROR with path/message details. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError(ErrorCode.VALIDATION_ERROR, 'invalid payload', { details: zodDetails(result.error.issues) });
  }
  return result.data;
}
