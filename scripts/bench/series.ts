/** Scenario 7: a weekly series beside a single booking, on one socket. */
import { command, hourSlot } from './client';
import type { BenchSocket } from './client';
import { tallyFailure } from './scenarios';
import type { Failures } from './scenarios';
import { summarize } from './stats';
import type { LatencySummary } from './stats';

export interface SeriesResult {
  rounds: number;
  occurrences: number;
  /** Ack latency of `booking:createSeries` (weekly, `occurrences` of them, all booked). */
  series: LatencySummary;
  /** Ack latency of a single `booking:create` measured in the same loop, one before each series. */
  single: LatencySummary;
  failures: Failures;
}

/**
 * 7. A weekly series of `occurrences` occurrences against one booking, alternating on one socket
 * (so both see the same, otherwise idle, system): each round books one single hour on its own
 * resource, then one series at a fresh hour of day on the series resource.
 */
export async function seriesBookings(opts: {
  socket: BenchSocket;
  seriesResourceId: string;
  singleResourceId: string;
  rounds: number;
  occurrences: number;
  hourOffset: number;
}): Promise<SeriesResult> {
  const failures: Failures = {};
  const seriesMs: number[] = [];
  const singleMs: number[] = [];
  for (let round = 0; round < opts.rounds; round += 1) {
    let t0 = performance.now();
    const single = await command(opts.socket, 'booking:create', {
      resourceId: opts.singleResourceId,
      ...hourSlot(opts.hourOffset + round),
    });
    if (single.ok) singleMs.push(performance.now() - t0);
    else tallyFailure(failures, { code: `single ${single.code}`, message: single.message });
    // Successive hours of the first day: every round's weekly series has its own hour of day.
    t0 = performance.now();
    const series = await command(opts.socket, 'booking:createSeries', {
      resourceId: opts.seriesResourceId,
      ...hourSlot(round),
      repeat: { every: 'week', count: opts.occurrences },
      onConflict: 'fail',
    });
    if (series.ok && series.data.bookings.length === opts.occurrences) seriesMs.push(performance.now() - t0);
    else if (series.ok)
      tallyFailure(failures, {
        code: 'series partial',
        message: `${series.data.bookings.length} of ${opts.occurrences} occurrences booked`,
      });
    else tallyFailure(failures, { code: `series ${series.code}`, message: series.message });
  }
  return {
    rounds: opts.rounds,
    occurrences: opts.occurrences,
    series: summarize(seriesMs),
    single: summarize(singleMs),
    failures,
  };
}
