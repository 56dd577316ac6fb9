/**
 * Event-loop delay per scenario: the booking nodes' (where a p99 goes when their loop is busy),
 * read from each node's `/metrics` (`booking_event_loop_delay_seconds`, reset by every scrape),
 * and the load generator's own, from an in-process monitor (a saturated generator stamps its
 * receipts late and so inflates every latency it measures).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Delay beyond the sampling interval, in ms. */
export interface LoopDelay {
  p99Ms: number;
  maxMs: number;
}

export interface PhaseLoopDelay {
  /** By node id (the metric's `node` label); null when a node's metric could not be read. */
  nodes: Record<string, LoopDelay> | null;
  /** The bench process itself (load generator). */
  generator: LoopDelay;
}

/** Phase names of the event-loop delay figures (keys of `BenchReport.loopDelay`). */
export const LOOP_PHASES = {
  idle: '5 idle sockets',
  rawMongo: 'raw Mongo tx (max)',
  bookingsMax: '1 bookings (max)',
  bookingsAtTarget: '1 bookings @target',
  contention: '2 contention',
  availabilityMax: '3 availability (max)',
  availabilityAtTarget: '3 availability @target',
  slotsFind: '6 slots:find',
  series: '7 series',
  fanout: '4 fan-out',
  allHear: '4w all hear',
  watching: '4w watching',
  bareBroadcast: 'bare IO broadcast',
  capacityDistinct: '9 unit bookings, capacity 1',
  capacityPool: '9 unit bookings, pool',
  capacityRace: '9 last-units race',
} as const;

const RESOLUTION_MS = 10;
const SCRAPE_TIMEOUT_MS = 5000;
const METRIC = 'booking_event_loop_delay_seconds';

/** `booking_event_loop_delay_seconds{stat="p99",node="node-a"} 0.012` → node-a's p99 and max in ms. */
export function parseLoopDelay(text: string): Record<string, LoopDelay> {
  const out: Record<string, LoopDelay> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${METRIC}{`)) continue;
    const labels = line.slice(line.indexOf('{') + 1, line.lastIndexOf('}'));
    const stat = /(?:^|,)stat="([^"]*)"/.exec(labels)?.[1];
    const node = /(?:^|,)node="([^"]*)"/.exec(labels)?.[1] ?? 'node';
    const value = Number(line.slice(line.lastIndexOf('}') + 1).trim());
    if (!Number.isFinite(value) || (stat !== 'p99' && stat !== 'max')) continue;
    const entry = (out[node] ??= { p99Ms: 0, maxMs: 0 });
    const ms = Math.round(value * 1000 * 100) / 100;
    if (stat === 'p99') entry.p99Ms = ms;
    else entry.maxMs = ms;
  }
  return out;
}

async function scrape(url: string, token: string | undefined): Promise<Record<string, LoopDelay> | null> {
  try {
    const res = await fetch(new URL('/metrics', url), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS),
    });
    const text = await res.text();
    if (!res.ok) return null;
    const parsed = parseLoopDelay(text);
    return Object.keys(parsed).length > 0 ? parsed : null;
  } catch {
    return null;
  }
}

export interface LoopDelayProbe {
  /** Starts a phase: resets the nodes' figures (by scraping them) and the generator's monitor. */
  start(): Promise<void>;
  /** Ends the phase: each node's and the generator's delay since `start`. */
  stop(): Promise<PhaseLoopDelay>;
  close(): void;
}

/** One probe for the whole run; phases must not overlap (the nodes reset on every scrape). */
export function loopDelayProbe(opts: { nodeUrls: readonly string[]; metricsToken?: string }): LoopDelayProbe {
  const generator = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  generator.enable();
  const beyond = (ns: number) => Math.round(Math.max(0, ns / 1e6 - RESOLUTION_MS) * 100) / 100;
  const nodes = async () => {
    const merged: Record<string, LoopDelay> = {};
    for (const one of await Promise.all(opts.nodeUrls.map((u) => scrape(u, opts.metricsToken)))) {
      if (one === null) return null;
      Object.assign(merged, one);
    }
    return merged;
  };
  return {
    async start() {
      await nodes();
      generator.reset();
    },
    async stop() {
      const own =
        generator.count === 0
          ? { p99Ms: 0, maxMs: 0 }
          : { p99Ms: beyond(generator.percentile(99)), maxMs: beyond(generator.max) };
      return { nodes: await nodes(), generator: own };
    },
    close() {
      generator.disable();
    },
  };
}
