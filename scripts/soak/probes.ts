/**
 * What the soak reads once a minute, besides its own counts: each node's resident memory, its
 * event-loop delay p99 since the previous minute (`/metrics`, reset by each scrape), its open
 * file descriptors (the nodes' `/metrics` has no active-handles figure, so /proc/<pid>/fd is
 * counted: sockets, files, pipes, timers' fds), Redis `used_memory` (INFO memory) and MongoDB's
 * current connections (serverStatus; the soak's own client is one of them, the same all along).
 * From the same scrape: the notification jobs waiting and the faults the node survived.
 */
import { readdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { parseLoopDelay } from '../bench/loop-delay';
import { pidListeningOn, rssBytes } from '../bench/proc-memory';

export interface NodeSample {
  /** The process listening on the node's port (a new pid means the node was restarted). */
  pid: number | null;
  rssMb: number | null;
  /** The V8 heap in use after the latest major collection (`booking_heap_used_bytes`). */
  heapMb: number | null;
  /**
   * Its compiled code and bytecode (`booking_heap_code_bytes`): the JIT's share, which grows as
   * functions get hot and is bounded by the program. The heap less this is what a leak grows.
   */
  codeMb: number | null;
  loopP99Ms: number | null;
  openFds: number | null;
  /** Notification jobs waiting (one queue for all: each node reports the same figure). */
  queueWaiting: number | null;
  /** `booking_faults_total` since the node started (failed effects, publishes, unhandled rejections). */
  faults: number | null;
}

export interface StoreSample {
  redisUsedMb: number | null;
  mongoConnections: number | null;
}

export interface Probe {
  nodes(): Promise<Record<string, NodeSample>>;
  stores(): Promise<StoreSample>;
  close(): Promise<void>;
}

function openFds(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

const round = (n: number, places = 1) => Math.round(n * 10 ** places) / 10 ** places;

/** The sum of every sample of `metric` in a Prometheus text (optionally only those whose labels contain `having`). */
export function metricSum(text: string, metric: string, having = ''): number | null {
  let sum: number | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const labels = line.includes('{') ? line.slice(line.indexOf('{'), line.lastIndexOf('}') + 1) : '';
    if (having && !labels.includes(having)) continue;
    const value = Number(line.slice(line.lastIndexOf(labels ? '}' : ' ') + 1).trim());
    if (Number.isFinite(value)) sum = (sum ?? 0) + value;
  }
  return sum;
}

interface Scraped {
  loopP99Ms: number | null;
  heapBytes: number | null;
  codeBytes: number | null;
  /** Notification jobs waiting (the queue is shared: every node reports the same). */
  queueWaiting: number | null;
  /** Faults the node survived since it started (`booking_faults_total`, all kinds). */
  faults: number;
}

async function scrape(url: string, nodeId: string, token: string | undefined): Promise<Scraped | null> {
  try {
    const res = await fetch(new URL('/metrics', url), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    if (!res.ok) return null;
    return {
      loopP99Ms: parseLoopDelay(text)[nodeId]?.p99Ms ?? null,
      heapBytes: metricSum(text, 'booking_heap_used_bytes'),
      codeBytes: metricSum(text, 'booking_heap_code_bytes'),
      queueWaiting: metricSum(text, 'booking_notification_queue_jobs', 'state="waiting"'),
      faults: metricSum(text, 'booking_faults_total') ?? 0,
    };
  } catch {
    return null;
  }
}

/** Starts the nodes' loop monitors (their first scrape does) and opens the store clients. */
export async function openProbe(o: {
  nodes: ReadonlyArray<{ nodeId: string; port: number }>;
  redisUrl: string;
  mongoUrl: string;
  metricsToken?: string;
}): Promise<Probe> {
  const redis = new Redis(o.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  const mongo = new MongoClient(o.mongoUrl, { maxPoolSize: 1, serverSelectionTimeoutMS: 5000 });
  await mongo.connect();
  const url = (port: number) => `http://127.0.0.1:${port}`;
  await Promise.all(o.nodes.map((n) => scrape(url(n.port), n.nodeId, o.metricsToken)));
  return {
    async nodes() {
      const out: Record<string, NodeSample> = {};
      for (const n of o.nodes) {
        const pid = pidListeningOn(n.port);
        const rss = pid === null ? null : rssBytes(pid);
        const scraped = await scrape(url(n.port), n.nodeId, o.metricsToken);
        out[n.nodeId] = {
          pid,
          rssMb: rss === null ? null : round(rss / 1024 ** 2),
          heapMb: scraped?.heapBytes == null ? null : round(scraped.heapBytes / 1024 ** 2, 2),
          codeMb: scraped?.codeBytes == null ? null : round(scraped.codeBytes / 1024 ** 2, 2),
          loopP99Ms: scraped?.loopP99Ms ?? null,
          openFds: pid === null ? null : openFds(pid),
          queueWaiting: scraped?.queueWaiting ?? null,
          faults: scraped?.faults ?? null,
        };
      }
      return out;
    },
    async stores() {
      let redisUsedMb: number | null = null;
      let mongoConnections: number | null = null;
      try {
        const m = /^used_memory:(\d+)/m.exec(await redis.info('memory'));
        if (m) redisUsedMb = round(Number(m[1]) / 1024 ** 2, 2);
      } catch {
        // counted as a missing sample
      }
      try {
        const status = await mongo.db('admin').command({ serverStatus: 1 });
        const current = (status.connections as { current?: unknown } | undefined)?.current;
        if (typeof current === 'number') mongoConnections = current;
      } catch {
        // counted as a missing sample
      }
      return { redisUsedMb, mongoConnections };
    },
    async close() {
      redis.disconnect();
      await mongo.close();
    },
  };
}
