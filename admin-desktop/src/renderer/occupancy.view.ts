/**
 * The fill level of a resource of several units on the timeline: a strip under its bookings with
 * one bar per stretch of constant use, as high as the share of the capacity in use and labelled
 * `used/capacity` (a full stretch is marked as such; one over the capacity, which only a forced
 * lowering of the capacity leaves, too). The units that holds and waitlist offers take (v3) are the
 * top of the bar, hatched, and said in its sentence; the caller passes only what takes units now.
 */
import type { AdminBooking, Resource } from '@booking/shared';
import { h } from './dom.util';
import { occupancyWithHolds, peakUse } from './occupancy';
import { t } from './i18n';

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
  const use = occupancyWithHolds(
    opts.bookings.filter((b) => b.resourceId === r.id),
    r.policy.bufferMinutes,
    opts.day,
  );
  const strip = h('div', { class: 'tl-occupancy', 'data-testid': 'occupancy', 'data-capacity': r.capacity });
  for (const s of use) {
    const level = s.used > r.capacity ? 'over' : s.used === r.capacity ? 'full' : 'part';
    const when = `${opts.localTime(s.start)}–${opts.localTime(s.end)}`;
    const sentence = `${t('occupancy.inUse', { used: s.used, capacity: r.capacity, when })}${
      s.held > 0 ? `, ${t('occupancy.held', { held: s.held })}` : ''
    }${level === 'over' ? ` ${t('occupancy.over')}` : ''}`;
    const share = (n: number) => `${Math.min(100, (n / r.capacity) * 100).toFixed(1)}%`;
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
          'data-held': s.held,
        },
        h('span', { class: 'tl-occ-fill', style: `height:${share(s.used)}` }),
        ...(s.held > 0
          ? [h('span', { class: 'tl-occ-held', style: `bottom:${share(s.used - s.held)};height:${share(s.held)}` })]
          : []),
        h(
          'span',
          { class: 'tl-occ-label', 'aria-hidden': 'true' },
          `${s.used}/${r.capacity}${s.held > 0 ? ` ${t('occupancy.heldShort', { held: s.held })}` : ''}`,
        ),
        h('span', { class: 'visually-hidden' }, sentence),
      ),
    );
  }
  return { strip, peak: peakUse(use) };
}
