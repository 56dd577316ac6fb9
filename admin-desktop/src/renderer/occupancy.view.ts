/**
 * The fill level of a resource of several units on the timeline: a strip under its bookings with
 * one bar per stretch of constant use, as high as the share of the capacity in use and labelled
 * `used/capacity` (a full stretch is marked as such; one over the capacity, which only a forced
 * lowering of the capacity leaves, too).
 */
import type { AdminBooking, Resource } from '@booking/shared';
import { h } from './dom.util';
import { occupancySweep, peakUse } from './occupancy';

/** Epoch ms to a CSS `left`/`width` inside the lane. */
export type Place = (start: number, end: number) => string;

export function renderOccupancy(opts: {
  resource: Resource;
  bookings: AdminBooking[];
  day: { from: number; to: number };
  place: Place;
  localTime: (ms: number) => string;
}): { strip: HTMLElement; peak: number } {
  const { resource: r } = opts;
  const use = occupancySweep(
    opts.bookings.filter((b) => b.resourceId === r.id),
    r.policy.bufferMinutes,
    opts.day,
  );
  const strip = h('div', { class: 'tl-occupancy', 'data-testid': 'occupancy', 'data-capacity': r.capacity });
  for (const s of use) {
    const level = s.used > r.capacity ? 'over' : s.used === r.capacity ? 'full' : 'part';
    const when = `${opts.localTime(s.start)}–${opts.localTime(s.end)}`;
    const sentence = `${s.used} of ${r.capacity} units in use ${when}${level === 'over' ? ' (over the capacity)' : ''}`;
    strip.append(
      h(
        'span',
        {
          class: `tl-occ ${level}`,
          style: opts.place(s.start, s.end),
          title: sentence,
          'data-testid': 'occupancy-stretch',
          'data-start': new Date(s.start).toISOString(),
          'data-end': new Date(s.end).toISOString(),
          'data-used': s.used,
        },
        h('span', { class: 'tl-occ-fill', style: `height:${Math.min(100, (s.used / r.capacity) * 100).toFixed(1)}%` }),
        h('span', { class: 'tl-occ-label', 'aria-hidden': 'true' }, `${s.used}/${r.capacity}`),
        h('span', { class: 'visually-hidden' }, sentence),
      ),
    );
  }
  return { strip, peak: peakUse(use) };
}
