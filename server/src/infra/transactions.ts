import type { ClientSession, Connection } from 'mongoose';

/** Counts transaction attempts and retries, for the race tests and /metrics. */
export interface TxCounters {
  attempts: number;
  retries: number;
}

/**
 * Runs `fn` in one transaction (snapshot reads, majority writes). The driver retries the whole
 * callback on TransientTransactionError (a WriteConflict on the resource fence among them) and the
 * commit on UnknownTransactionCommitResult, so `fn` must be safe to run more than once: it may
 * only write through the session and must keep its results in locals it resets.
 */
export async function inTransaction<T>(
  conn: Connection,
  counters: TxCounters,
  fn: (session: ClientSession) => Promise<T>,
): Promise<T> {
  const session = await conn.startSession();
  try {
    let result: T | undefined;
    let attempt = 0;
    await session.withTransaction(
      async (s) => {
        attempt += 1;
        counters.attempts += 1;
        if (attempt > 1) counters.retries += 1;
        result = await fn(s);
      },
      { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' }, readPreference: 'primary' },
    );
    return result as T;
  } finally {
    await session.endSession();
  }
}
