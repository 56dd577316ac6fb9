/**
 * Keeps the reports bench (scripts/bench/reports.ts, in `npm run bench`) from rotting: a small run
 * on the test MongoDB streams every row through the server's CSV code and the raw cursor reads
 * the same rows; figures finite, never judged for speed.
 */
import { runReportsBench, renderReportsBench } from '../../scripts/bench/reports';
import { testUrls } from '../../test/support/env';

jest.setTimeout(60_000);

test('the bookings CSV bench runs and reports time, memory and the ratio to a raw cursor', async () => {
  const result = await runReportsBench({ mongoUrl: testUrls().mongo, rows: 2_000 });
  expect(result.rows).toBe(2_000);
  // Header + 2,000 rows of at least 100 bytes each.
  expect(result.csv.bytes).toBeGreaterThan(2_000 * 100);
  for (const n of [result.csv.ms, result.raw.ms, result.ratio, result.csv.peakHeapDeltaMb, result.csv.peakRssDeltaMb])
    expect(Number.isFinite(n)).toBe(true);
  expect(renderReportsBench(result)).toContain('ratio (CSV ÷ raw)');
});
