/**
 * Every running total of one process in one object, handed to the parts that count: the
 * services' totals (transactions, lock waits, cache hits and misses) and the faults survived
 * (failed after-commit effects, skipped locks). `/metrics` reads them all through `metricSources`.
 */
import type { QueueCounts } from '@booking/shared';
import type { CacheCounters } from '../availability/availability.service';
import type { LockCounters } from '../booking/booking.service';
import { createFaultCounts } from '../infra/metrics';
import type { FaultCounts, MetricSources } from '../infra/metrics';
import { processFaults } from '../infra/process';
import type { TxCounters } from '../infra/transactions';

/** The services' running totals (the tests read them as `node.counters`). */
export interface Counters {
  tx: TxCounters;
  locks: LockCounters;
  cache: CacheCounters;
}

export interface NodeMetrics extends Counters {
  /** Failed after-commit effects by name (`countingFailures`), for `booking_faults_total`. */
  faults: FaultCounts;
  /** Locks skipped because Redis did not answer. */
  lockFaults: { skipped: number };
}

export function createNodeMetrics(): NodeMetrics {
  return {
    tx: { attempts: 0, retries: 0 },
    locks: { waits: 0 },
    cache: { hits: 0, misses: 0 },
    faults: createFaultCounts(),
    lockFaults: { skipped: 0 },
  };
}

/** What `/metrics` reads: these totals, plus the figures only the built parts know. */
export function metricSources(
  m: NodeMetrics,
  live: { connectedSockets: () => number; queueCounts: () => Promise<QueueCounts>; publishFailures: () => number },
): MetricSources {
  return {
    connectedSockets: live.connectedSockets,
    txRetries: () => m.tx.retries,
    lockWaits: () => m.locks.waits,
    cacheHits: () => m.cache.hits,
    cacheMisses: () => m.cache.misses,
    queueCounts: live.queueCounts,
    faults: () => ({
      ...m.faults.totals(),
      publish: live.publishFailures(),
      lock_skipped: m.lockFaults.skipped,
      unhandled_rejection: processFaults.unhandledRejections,
    }),
  };
}
