import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { IntervalHistogram } from 'node:perf_hooks';
import { getHeapCodeStatistics } from 'node:v8';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueCounts } from '@booking/shared';
import type { Effect } from './effects';
import { withDeadline } from './mongo';

/** Running totals kept by the services; exported as Prometheus counters when scraped. */
export interface MetricSources {
  connectedSockets: () => number;
  txRetries: () => number;
  lockWaits: () => number;
  cacheHits: () => number;
  cacheMisses: () => number;
  /** Notification queue depth. */
  queueCounts: () => Promise<QueueCounts>;
  /**
   * Faults the node survived, as running totals by kind: failed after-commit effects
   * (`effect:<name>`), Redis publishes not taken (`publish`), locks skipped while Redis did not
   * answer (`lock_skipped`), unhandled rejections (`unhandled_rejection`).
   */
  faults?: () => Record<string, number>;
}

/** Running totals of survived faults by kind, kept by the composition root (see `MetricSources.faults`). */
export interface FaultCounts {
  add(kind: string): void;
  totals(): Record<string, number>;
}

export function createFaultCounts(): FaultCounts {
  const totals: Record<string, number> = {};
  return {
    add(kind) {
      totals[kind] = (totals[kind] ?? 0) + 1;
    },
    totals: () => ({ ...totals }),
  };
}

/**
 * The same effects, each counting its failures into `faults` as `effect:<name>` before the
 * failure goes on to the runner (which logs it and runs the next effect).
 */
export function countingFailures<C>(effects: ReadonlyArray<Effect<C>>, faults: FaultCounts): Array<Effect<C>> {
  return effects.map((effect) => ({
    ...effect,
    async run(change: C) {
      try {
        await effect.run(change);
      } catch (err) {
        faults.add(`effect:${effect.name}`);
        throw err;
      }
    },
  }));
}

/** How long a scrape waits for the queue figures (they read Redis, which may be away). */
const QUEUE_FIGURES_MS = 1000;

export interface Metrics {
  registry: Registry;
  commandDone(event: string, outcome: string, ms: number): void;
}

/** A counter mirroring a running total owned elsewhere: each scrape adds what grew since the last. */
function mirrorCounter(registry: Registry, name: string, help: string, read: () => number): void {
  let last = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read();
      if (now > last) this.inc(now - last);
      last = now;
    },
  });
}

/** The event-loop timer fires every this many ms; what it records beyond that is the delay. */
const LOOP_RESOLUTION_MS = 10;

/**
 * `booking_event_loop_delay_seconds{stat="p99"|"max"}`: how late the event loop ran a timer
 * since the previous scrape (each scrape reads and resets; the benchmark scrapes before and after
 * each scenario). The monitor starts at the first scrape, so a node nobody scrapes pays nothing.
 */
function eventLoopDelayGauge(registry: Registry): void {
  let monitor: IntervalHistogram | null = null;
  const delaySeconds = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS) / 1000;
  new Gauge({
    name: 'booking_event_loop_delay_seconds',
    help: `Event-loop delay since the previous scrape (timer lateness beyond its ${LOOP_RESOLUTION_MS} ms interval), by stat`,
    labelNames: ['stat'],
    registers: [registry],
    collect() {
      const h = monitor;
      const empty = h === null || h.count === 0;
      this.set({ stat: 'p99' }, empty ? 0 : delaySeconds(h.percentile(99)));
      this.set({ stat: 'max' }, empty ? 0 : delaySeconds(h.max));
      if (h) h.reset();
      else {
        monitor = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
        monitor.enable();
      }
    },
  });
}

let afterGc: { bytes: number; at: number } | null = null;
let gcWatch: PerformanceObserver | null = null;
/** The compiled code's share, read after a major collection at most this often (a heap walk). */
const CODE_READ_EVERY_MS = 30_000;
let codeAfterGc: { bytes: number; at: number } | null = null;

/**
 * V8's compiled code and bytecode with their metadata (relocation, deoptimization and source
 * position tables): what the JIT adds as functions get hot, bounded by the program however long
 * it runs. A walk of the heap (~7 ms on an 80 MB heap), so read after a major collection at most
 * every 30 s, never per scrape.
 */
function compiledBytes(): number {
  const code = getHeapCodeStatistics();
  return code.code_and_metadata_size + code.bytecode_and_metadata_size;
}

/**
 * The latest major (mark-sweep-compact) collection this process reported: the heap in use read when
 * it was reported, and when it ended (`performance.now()` time). Garbage waiting for the next
 * collection is not in it, so a series of these rises only with what stays reachable. One observer
 * per process (every node in it shares the heap), started by the first call; null until then and
 * until the first major collection after it. Reports arrive a moment after the collection.
 */
export function latestMajorGc(): { bytes: number; at: number } | null {
  if (!gcWatch) {
    gcWatch = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        // Node 16+ puts the collection's kind in `detail` (older typings lack the field).
        const { detail } = entry as { detail?: { kind?: number } };
        if (detail?.kind !== perfConstants.NODE_PERFORMANCE_GC_MAJOR) continue;
        const at = entry.startTime + entry.duration;
        afterGc = { bytes: process.memoryUsage().heapUsed, at };
        if (!codeAfterGc || at - codeAfterGc.at >= CODE_READ_EVERY_MS) codeAfterGc = { bytes: compiledBytes(), at };
      }
    });
    gcWatch.observe({ entryTypes: ['gc'] });
  }
  return afterGc;
}

/** The heap after the latest major collection (`latestMajorGc`); the heap in use now until the first. */
export function heapAfterMajorGc(): number {
  return latestMajorGc()?.bytes ?? process.memoryUsage().heapUsed;
}

/**
 * The compiled code's share of that heap (`compiledBytes`), read after a major collection at most
 * every 30 s; read now until the first (once: later scrapes reuse it until a collection).
 */
export function codeAfterMajorGc(): number {
  latestMajorGc();
  codeAfterGc ??= { bytes: compiledBytes(), at: performance.now() };
  return codeAfterGc.bytes;
}

/** One registry per node (tests run several nodes in one process, so never the global one). */
export function createMetrics(opts: { nodeId: string; sources: MetricSources }): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ node: opts.nodeId });
  const { sources } = opts;

  new Gauge({
    name: 'booking_connected_sockets',
    help: 'Socket.IO clients connected to this node',
    registers: [registry],
    collect() {
      this.set(sources.connectedSockets());
    },
  });
  const commands = new Counter({
    name: 'booking_commands_total',
    help: 'Commands answered, by event and outcome (ok or error code)',
    labelNames: ['event', 'outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'booking_command_duration_seconds',
    help: 'Time from receiving a command to its ack, by event',
    labelNames: ['event'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  mirrorCounter(
    registry,
    'booking_tx_retries_total',
    'Booking transactions retried after a write conflict',
    sources.txRetries,
  );
  mirrorCounter(
    registry,
    'booking_lock_waits_total',
    'Booking commands that found the resource lock taken',
    sources.lockWaits,
  );
  mirrorCounter(registry, 'booking_cache_hits_total', 'Availability day entries served from Redis', sources.cacheHits);
  mirrorCounter(
    registry,
    'booking_cache_misses_total',
    'Availability day entries read from MongoDB',
    sources.cacheMisses,
  );
  const read = sources.queueCounts;
  new Gauge({
    name: 'booking_notification_queue_jobs',
    help: 'Notification jobs by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await withDeadline<QueueCounts | null>(read(), QUEUE_FIGURES_MS, null);
      if (!counts) return;
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });

  const faults = sources.faults;
  if (faults) {
    const seen: Record<string, number> = {};
    new Counter({
      name: 'booking_faults_total',
      help: 'Faults survived, by kind (failed after-commit effects, Redis publishes not taken, locks skipped, unhandled rejections)',
      labelNames: ['kind'],
      registers: [registry],
      collect() {
        for (const [kind, n] of Object.entries(faults())) {
          const grew = n - (seen[kind] ?? 0);
          if (grew > 0) this.inc({ kind }, grew);
          seen[kind] = n;
        }
      },
    });
  }

  eventLoopDelayGauge(registry);
  new Gauge({
    name: 'booking_heap_used_bytes',
    help: 'V8 heap in use just after the latest major garbage collection (what a leak grows; at the scrape until the first one)',
    registers: [registry],
    collect() {
      this.set(heapAfterMajorGc());
    },
  });
  new Gauge({
    name: 'booking_heap_code_bytes',
    help: "V8 compiled code and bytecode with their metadata, read after a major collection at most every 30 s: the JIT's share of booking_heap_used_bytes (grows as functions get hot, bounded by the program)",
    registers: [registry],
    collect() {
      this.set(codeAfterMajorGc());
    },
  });

  return {
    registry,
    commandDone(event, outcome, ms) {
      commands.inc({ event, outcome });
      latency.observe({ event }, ms / 1000);
    },
  };
}
