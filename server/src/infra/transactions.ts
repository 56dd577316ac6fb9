import type { ClientSession, Connection } from 'mongoose';
import { ErrorCode } from '@booking/shared';
import { AppError, busyIfTransient } from './errors';

/** Counts transaction attempts and retries, for the race tests and /metrics. */
export interface TxCounters {
  attempts: number;
  retries: number;
}

/**
 * How long a transaction keeps being retried before the command answers BUSY instead. The
 * driver's own limit is 120 s, far past any client's patience; an election on a replica set
 * takes a few seconds, and the client's retry (same idempotency key) takes over from there.
 */
export const TX_RETRY_BUDGET_MS = 5000;

/**
 * The transactions running on one connection, so that closing it can wait for them. A
 * transaction cut off by a closing client can outlive it: the driver's close aborts it, but an
 * attempt's operation already on its way (on another pooled connection) may reach MongoDB after
 * that abort and open the transaction again, which MongoDB 4.0 then keeps, with the resource
 * fence it wrote, until `transactionLifetimeLimitSeconds`: every booking of that resource meets
 * a WriteConflict, and answers BUSY, that long.
 */
interface TxGate {
  closed: boolean;
  running: Set<Promise<unknown>>;
}

const gates = new WeakMap<Connection, TxGate>();

function gateOf(conn: Connection): TxGate {
  let gate = gates.get(conn);
  if (!gate) {
    gate = { closed: false, running: new Set() };
    gates.set(conn, gate);
  }
  return gate;
}

const stopping = () => new AppError(ErrorCode.BUSY, 'this node is stopping; try again');

/**
 * Before a connection closes: no transaction starts on it any more, none is retried (both answer
 * BUSY, safe to retry elsewhere with the same idempotency key), and the running ones are waited
 * for, up to `withinMs`. Resolves with how many were still running (0 when all ended).
 */
export async function settleTransactions(conn: Connection, withinMs: number): Promise<number> {
  const gate = gateOf(conn);
  gate.closed = true;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, withinMs);
  });
  await Promise.race([Promise.allSettled([...gate.running]), late]);
  clearTimeout(timer);
  return gate.running.size;
}

/**
 * Runs `fn` in one transaction (snapshot reads, majority writes). The driver retries the whole
 * callback on TransientTransactionError (a WriteConflict on the resource fence among them, or a
 * primary lost mid-transaction) and the commit on UnknownTransactionCommitResult (a commit whose
 * answer was lost: retried on the new primary, where a commit that reached a majority is known),
 * so `fn` must be safe to run more than once: it may only write through the session and must keep
 * its results in locals it resets. No attempt starts after `TX_RETRY_BUDGET_MS`, and a transient
 * store failure that ends the transaction (`isTransientStoreError`: no primary within the server
 * selection timeout, say) is thrown as BUSY, safe to retry with the same idempotency key.
 */
export async function inTransaction<T>(
  conn: Connection,
  counters: TxCounters,
  fn: (session: ClientSession) => Promise<T>,
  opts: { budgetMs?: number } = {},
): Promise<T> {
  const gate = gateOf(conn);
  if (gate.closed) throw stopping();
  const running = run(conn, gate, counters, fn, opts.budgetMs ?? TX_RETRY_BUDGET_MS);
  gate.running.add(running);
  try {
    return await running;
  } finally {
    gate.running.delete(running);
  }
}

async function run<T>(
  conn: Connection,
  gate: TxGate,
  counters: TxCounters,
  fn: (session: ClientSession) => Promise<T>,
  budgetMs: number,
): Promise<T> {
  const started = Date.now();
  let session: ClientSession;
  try {
    session = await conn.startSession();
  } catch (err) {
    throw busyIfTransient(err);
  }
  try {
    let result: T | undefined;
    let attempt = 0;
    await session.withTransaction(
      async (s) => {
        attempt += 1;
        if (attempt > 1 && gate.closed) throw stopping();
        if (attempt > 1 && Date.now() - started > budgetMs) {
          // Not a MongoError: the driver aborts this attempt and rethrows instead of retrying.
          throw new AppError(ErrorCode.BUSY, 'the store is busy; try again');
        }
        counters.attempts += 1;
        if (attempt > 1) counters.retries += 1;
        result = await fn(s);
      },
      { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' }, readPreference: 'primary' },
    );
    return result as T;
  } catch (err) {
    if (isCommitMisfire(err))
      throw new AppError(ErrorCode.BUSY, 'the store did not say whether the change was saved; try again');
    throw busyIfTransient(err);
  } finally {
    await session.endSession().catch(() => undefined);
  }
}

/**
 * The mongodb driver's `withTransaction` (6.16) calls `hasErrorLabel` on whatever the commit
 * threw; when that was not a MongoError (seen once in the failover test, while the primary was
 * being killed) it throws this TypeError instead of the commit's error. The commit's outcome is
 * then unknown, which is what BUSY says: safe to retry with the same idempotency key (a commit
 * that did happen is replayed; without a key the retry meets its own booking). Matched narrowly
 * (the message and the driver's frame) so a bug of ours still answers INTERNAL.
 */
export function isCommitMisfire(err: unknown): boolean {
  return (
    err instanceof TypeError &&
    /\bhasErrorLabel is not a function\b/.test(err.message) &&
    /withTransaction/.test(err.stack ?? '')
  );
}
