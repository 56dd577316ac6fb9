/**
 * The soak's verdict on each per-minute series: an ordinary least-squares line through the samples
 * (minute → value), its slope as growth per hour, the noise around it (residual standard
 * deviation, n − 2 degrees of freedom), and "flat" when the hour's growth is within
 * max(2 × noise, 5 % of the mean, the series' absolute floor), "GROWS" beyond it upwards, "FALLS" beyond
 * it downwards (memory settling after the warm-up: not a leak, but not a steady state either).
 *
 * The absolute floor is for series that move in whole steps around a small mean (MongoDB
 * connections, open descriptors, a loop delay of a few ms): one step more at minute 10 of a
 * 30-minute run is not a leak, and 5 % of a small mean is less than one step.
 *
 * Pure functions: no clock, no I/O (scripts/test/soak-trend.test.ts).
 */

export interface Point {
  /** Minutes since the load started. */
  minute: number;
  value: number;
}

export interface LinearFit {
  /** Samples fitted. */
  n: number;
  /** Value per minute. */
  slopePerMinute: number;
  intercept: number;
  mean: number;
  /** Residual standard deviation: sqrt(Σ residual² / (n − 2)); 0 with fewer than 3 samples (no estimate). */
  noise: number;
}

/** Least squares through `points`; a single minute (or none) has slope 0. */
export function linearFit(points: readonly Point[]): LinearFit {
  const n = points.length;
  if (n === 0) return { n, slopePerMinute: 0, intercept: 0, mean: 0, noise: 0 };
  const meanX = points.reduce((s, p) => s + p.minute, 0) / n;
  const meanY = points.reduce((s, p) => s + p.value, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.minute - meanX) ** 2;
    sxy += (p.minute - meanX) * (p.value - meanY);
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = meanY - slope * meanX;
  let ssr = 0;
  for (const p of points) ssr += (p.value - (intercept + slope * p.minute)) ** 2;
  const noise = n > 2 ? Math.sqrt(ssr / (n - 2)) : 0;
  return { n, slopePerMinute: slope, intercept, mean: meanY, noise };
}

export type Verdict = 'flat' | 'GROWS' | 'FALLS';

export interface TrendOptions {
  /** The floor as a fraction of |mean| (default 0.05). */
  meanFraction?: number;
  /** A floor in the series' own unit (default 0). */
  absoluteFloor?: number;
}

export interface Trend extends LinearFit {
  growthPerHour: number;
  /** What |growthPerHour| is compared with: max(2 × noise, meanFraction × |mean|, absoluteFloor). */
  allowance: number;
  verdict: Verdict;
}

/** Growth per hour of `points` and whether it is beyond noise. */
export function trendOf(points: readonly Point[], opts: TrendOptions = {}): Trend {
  const fit = linearFit(points);
  const growthPerHour = fit.slopePerMinute * 60;
  const allowance = Math.max(2 * fit.noise, (opts.meanFraction ?? 0.05) * Math.abs(fit.mean), opts.absoluteFloor ?? 0);
  // A hair of tolerance for floating-point sums on an exactly flat series.
  const beyond = Math.abs(growthPerHour) > allowance + 1e-9;
  const verdict: Verdict = !beyond ? 'flat' : growthPerHour > 0 ? 'GROWS' : 'FALLS';
  return { ...fit, growthPerHour, allowance, verdict };
}

/** The samples after the warm-up: minutes ≥ `fromMinute` (the soak fits from minute 6 on). */
export function afterWarmUp<T extends { minute: number }>(samples: readonly T[], fromMinute: number): T[] {
  return samples.filter((s) => s.minute >= fromMinute);
}
