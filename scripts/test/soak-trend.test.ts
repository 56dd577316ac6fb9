/** The soak's fit and verdict (scripts/soak/trend.ts) on series whose slope and noise are known. */
import { afterWarmUp, linearFit, trendOf } from '../soak/trend';
import type { Point } from '../soak/trend';

const series = (values: readonly number[], firstMinute = 1): Point[] =>
  values.map((value, i) => ({ minute: firstMinute + i, value }));

describe('linearFit', () => {
  it('finds the slope and intercept of an exact line, with no noise', () => {
    const fit = linearFit(series([10, 12, 14, 16, 18], 0));
    expect(fit.n).toBe(5);
    expect(fit.slopePerMinute).toBeCloseTo(2, 12);
    expect(fit.intercept).toBeCloseTo(10, 12);
    expect(fit.mean).toBeCloseTo(14, 12);
    expect(fit.noise).toBeCloseTo(0, 12);
  });

  it('finds a negative slope whatever the first minute is', () => {
    const fit = linearFit(series([100, 97, 94, 91], 7));
    expect(fit.slopePerMinute).toBeCloseTo(-3, 12);
    expect(fit.intercept).toBeCloseTo(121, 12);
  });

  it('measures the noise as the residual standard deviation with n - 2 degrees of freedom', () => {
    // Alternating ±1, worked by hand:
    const points = series([1, -1, 1, -1], 0);
    // x = 0..3, mean x 1.5, mean y 0; sxy = (-1.5)(1) + (-0.5)(-1) + (0.5)(1) + (1.5)(-1) = -2; sxx = 5.
    const fit = linearFit(points);
    expect(fit.slopePerMinute).toBeCloseTo(-0.4, 12);
    expect(fit.intercept).toBeCloseTo(0.6, 12);
    // Residuals: 1 - 0.6 = 0.4, -1 - 0.2 = -1.2, 1 - (-0.2) = 1.2, -1 - (-0.6) = -0.4 → SSR 3.2, /2 → 1.6.
    expect(fit.noise).toBeCloseTo(Math.sqrt(1.6), 12);
  });

  it('has no noise estimate below three samples and no slope below two', () => {
    expect(linearFit(series([3, 9])).noise).toBe(0);
    expect(linearFit(series([3, 9])).slopePerMinute).toBeCloseTo(6, 12);
    expect(linearFit(series([42])).slopePerMinute).toBe(0);
    expect(linearFit([]).n).toBe(0);
  });
});

describe('trendOf', () => {
  it('calls a flat series with noise flat, its growth well within twice the noise', () => {
    // RSS-like: 200 MB ± 3 MB, no trend.
    const values = [203, 197, 201, 199, 204, 196, 200, 202, 198, 200];
    const t = trendOf(series(values));
    expect(Math.abs(t.growthPerHour)).toBeLessThan(t.allowance);
    expect(t.noise).toBeGreaterThan(2);
    expect(t.verdict).toBe('flat');
  });

  it('calls a series growing 1 MB a minute GROWS, at 60 MB an hour', () => {
    const values = Array.from({ length: 29 }, (_, i) => 200 + i + (i % 2 === 0 ? 0.5 : -0.5));
    const t = trendOf(series(values, 2));
    expect(t.growthPerHour).toBeCloseTo(60, 0);
    expect(t.verdict).toBe('GROWS');
  });

  it('uses 5 % of the mean as the floor when the noise is smaller', () => {
    // Exact line, no noise, mean 100: 0.08/min = 4.8/h ≤ 5 → flat; 0.09/min = 5.4/h > 5 → GROWS.
    const slow = trendOf(series(Array.from({ length: 11 }, (_, i) => 100 + 0.08 * (i - 5))));
    expect(slow.mean).toBeCloseTo(100, 9);
    expect(slow.allowance).toBeCloseTo(5, 9);
    expect(slow.verdict).toBe('flat');
    const fast = trendOf(series(Array.from({ length: 11 }, (_, i) => 100 + 0.09 * (i - 5))));
    expect(fast.verdict).toBe('GROWS');
  });

  it('uses twice the noise when that is larger than the mean floor', () => {
    const values = [10, 30, 10, 30, 10, 30, 10, 30, 10, 31];
    const t = trendOf(series(values));
    expect(t.allowance).toBeCloseTo(2 * t.noise, 9);
    expect(t.allowance).toBeGreaterThan(0.05 * t.mean);
  });

  it('keeps an absolute floor for series that move in whole steps', () => {
    // One MongoDB connection more from minute 6 on: slope 12/82.5 a minute ≈ 8.7 an hour, beyond 5 % of ~20.
    const values = [20, 20, 20, 20, 21, 21, 21, 21, 21, 21];
    expect(trendOf(series(values, 2)).verdict).toBe('GROWS');
    expect(trendOf(series(values, 2), { absoluteFloor: 10 }).verdict).toBe('flat');
  });

  it('calls a series falling beyond its noise FALLS, not GROWS', () => {
    const t = trendOf(series(Array.from({ length: 10 }, (_, i) => 300 - 2 * i)));
    expect(t.growthPerHour).toBeCloseTo(-120, 9);
    expect(t.verdict).toBe('FALLS');
  });

  it('calls an exactly constant series flat, also at zero', () => {
    expect(trendOf(series([0, 0, 0, 0])).verdict).toBe('flat');
    expect(trendOf(series([7, 7, 7])).verdict).toBe('flat');
  });
});

describe('afterWarmUp', () => {
  it('drops the minutes before the given one', () => {
    const samples = [{ minute: 1 }, { minute: 2 }, { minute: 3 }];
    expect(afterWarmUp(samples, 2).map((s) => s.minute)).toEqual([2, 3]);
  });
});
