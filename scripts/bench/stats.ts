/** Latency summaries for the benchmarks (milliseconds). */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array (0 when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? 0),
    mean: round(sorted.length === 0 ? 0 : sum / sorted.length),
  };
}

/** `a / b` rounded, or null when the baseline is zero or missing. */
export function ratio(a: number, b: number | undefined): number | null {
  if (b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return Math.round((a / b) * 100) / 100;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs `workers` closed loops until `total` operations were started or `maxMs` elapsed. Each loop
 * waits at least `minIntervalMs` between its own sends (keeps one socket under the server's
 * per-socket rate limit). Returns the wall time and each operation's latency.
 */
export async function closedLoop(opts: {
  workers: number;
  total: number;
  maxMs: number;
  minIntervalMs: number;
  op: (worker: number, seq: number) => Promise<boolean>;
}): Promise<{ elapsedMs: number; latencies: number[]; ok: number; failed: number }> {
  const latencies: number[] = [];
  let started = 0;
  let ok = 0;
  let failed = 0;
  const t0 = performance.now();
  const deadline = t0 + opts.maxMs;
  const loop = async (worker: number) => {
    let seq = 0;
    while (started < opts.total && performance.now() < deadline) {
      started += 1;
      const sent = performance.now();
      const good = await opts.op(worker, seq);
      const done = performance.now();
      seq += 1;
      if (good) {
        ok += 1;
        latencies.push(done - sent);
      } else failed += 1;
      const wait = opts.minIntervalMs - (done - sent);
      if (wait > 0) await sleep(wait);
    }
  };
  await Promise.all(Array.from({ length: opts.workers }, (_, i) => loop(i)));
  return { elapsedMs: performance.now() - t0, latencies, ok, failed };
}
