/**
 * Every resource across the chosen date as a local day of its own time zone (23, 24 or 25 hours,
 * from Luxon's zone database): its local hours as grid lines, closed time (the policy's
 * `openStretches` complement) hatched, and each booking that takes units as a block with local
 * times (holds and waitlist offers outlined and hatched until they run out: `booking-block.view.ts`).
 * A resource of several units stacks overlapping blocks and shows its fill level under them. Each
 * resource says how many wait on its waitlist (`stats.waitlist`).
 */
import { DateTime } from 'luxon';
import { localDayRange, openStretches } from '@booking/shared';
import type { AdminBooking, Resource } from '@booking/shared';
import { bookingBlock, localTime } from './booking-block.view';
import { h } from './dom.util';
import { isShown, queueLabel } from './holds';
import { assignTracks } from './occupancy';
import { renderOccupancy } from './occupancy.view';
import { t } from './i18n';

export { localTime };

/** The height of the blocks' tracks of a resource of several units, and of its fill-level strip. */
const MULTI_BLOCKS_PX = 150;
const OCCUPANCY_PX = 26;

export function renderTimeline(opts: {
  date: string;
  resources: Resource[];
  bookings: AdminBooking[];
  utilization: Record<string, number>;
  /** Waiting waitlist entries by resource id (absent: none). */
  waitlist: Record<string, number>;
  selectedId: string | null;
  now: Date;
  onSelect: (bookingId: string) => void;
}): HTMLElement {
  const hours = h('div', { class: 'tl-hours' });
  for (let i = 0; i < 24; i += 3)
    hours.append(h('span', { class: 'tl-hour', style: `left:${(i / 24) * 100}%` }, String(i).padStart(2, '0')));
  // What takes units now: holds and offers only until their `expiresAt`.
  const shown = opts.bookings.filter((b) => isShown(b, opts.now));
  const rows = opts.resources.map((r) => {
    const zone = r.timeZone;
    const { from, to } = localDayRange(opts.date, zone);
    const dayStart = from.getTime();
    const dayEnd = to.getTime();
    const span = dayEnd - dayStart;
    const pct = (t: number) => `${Math.min(100, Math.max(0, ((t - dayStart) / span) * 100)).toFixed(3)}%`;
    const width = (a: number, b: number) => `left:${pct(a)};width:calc(${pct(b)} - ${pct(a)})`;
    const lane = h('div', { class: 'tl-lane', 'data-zone': zone, 'data-hours': String(span / 3_600_000) });

    // Closed time: what the policy leaves between its open stretches.
    let open = dayStart;
    const closed: Array<[number, number]> = [];
    for (const s of openStretches(r.policy, zone, from, to)) {
      if (s.start.getTime() > open) closed.push([open, s.start.getTime()]);
      open = Math.max(open, s.end.getTime());
    }
    if (open < dayEnd) closed.push([open, dayEnd]);
    for (const [a, b] of closed) {
      lane.append(
        h('span', {
          class: 'tl-closed',
          style: width(a, b),
          'data-testid': 'closed-span',
          'data-start': new Date(a).toISOString(),
          'data-end': new Date(b).toISOString(),
          title: t('timeline.closed', { from: localTime(a, zone), to: localTime(b, zone) }),
        }),
      );
    }
    // A line at each local hour (on a change day the lines are where the hours really fall).
    for (
      let t = DateTime.fromMillis(dayStart, { zone }).plus({ hours: 1 }).startOf('hour');
      t.toMillis() < dayEnd;
      t = t.plus({ hours: 1 })
    ) {
      lane.append(
        h('span', { class: `tl-grid${t.hour % 6 === 0 ? ' major' : ''}`, style: `left:${pct(t.toMillis())}` }),
      );
    }
    const mine = shown.filter(
      (b) => b.resourceId === r.id && Date.parse(b.start) < dayEnd && Date.parse(b.end) > dayStart,
    );
    // Several units: the blocks one above the other (a track each where they overlap) and the
    // fill level under them; one unit: one row of blocks, as it always was.
    const multi = r.capacity > 1;
    const tracks = multi ? assignTracks(mine.map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end) }))) : [];
    const trackCount = Math.max(1, ...tracks.map((t) => t + 1));
    const trackPx = Math.max(12, Math.min(30, Math.floor(MULTI_BLOCKS_PX / trackCount)));
    mine.forEach((b, i) => {
      const track = tracks[i];
      const rowStyle = track === undefined ? '' : `;top:${4 + track * trackPx}px;height:${trackPx - 2}px;bottom:auto`;
      const start = Math.max(Date.parse(b.start), dayStart);
      const end = Math.min(Date.parse(b.end), dayEnd);
      const block = bookingBlock(b, r, { zone, now: opts.now, selected: b.id === opts.selectedId });
      block.style.cssText = width(start, end) + rowStyle;
      block.addEventListener('click', () => opts.onSelect(b.id));
      lane.append(block);
    });
    let peak = 0;
    if (multi) {
      const occupancy = renderOccupancy({
        resource: r,
        bookings: shown,
        day: { from: dayStart, to: dayEnd },
        place: width,
        localTime: (ms) => localTime(ms, zone),
      });
      peak = occupancy.peak;
      occupancy.strip.style.cssText = `top:${6 + trackCount * trackPx}px`;
      lane.classList.add('multi');
      lane.style.cssText = `height:${6 + trackCount * trackPx + OCCUPANCY_PX + 4}px`;
      lane.append(occupancy.strip);
    }
    const nowMs = opts.now.getTime();
    if (nowMs >= dayStart && nowMs < dayEnd) lane.append(h('span', { class: 'tl-now', style: `left:${pct(nowMs)}` }));
    const used = Math.round((opts.utilization[r.id] ?? 0) * 100);
    const queue = queueLabel(opts.waitlist[r.id]);
    return h(
      'div',
      { class: 'tl-row', 'data-resource-id': r.id },
      h(
        'div',
        { class: 'tl-label' },
        h('strong', {}, r.name),
        h('small', {}, `${r.type} · ${zone.replace(/_/g, ' ')}`),
        ...(multi
          ? [
              h(
                'small',
                { 'data-testid': 'capacity-label' },
                [
                  t('timeline.units', { count: r.capacity }),
                  ...(r.seats === null ? [] : [t('timeline.seats', { count: r.seats })]),
                  t('timeline.peak', { peak, capacity: r.capacity }),
                ].join(' · '),
              ),
            ]
          : []),
        h('small', {}, t('timeline.booked', { used })),
        ...(queue ? [h('small', { class: 'tl-queue', 'data-testid': 'queue-length' }, queue)] : []),
        h('span', { class: 'tl-util', 'aria-hidden': 'true' }, h('span', { style: `width:${used}%` })),
      ),
      lane,
    );
  });
  return h(
    'div',
    { class: 'timeline', 'data-testid': 'timeline' },
    h('div', { class: 'tl-row tl-head' }, h('div', { class: 'tl-label' }, t('timeline.head')), hours),
    ...(rows.length > 0 ? rows : [h('p', { class: 'muted' }, t('timeline.empty'))]),
  );
}
