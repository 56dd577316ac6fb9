/**
 * Every resource across the chosen date as a local day of its own time zone (23, 24 or 25 hours,
 * from Luxon's zone database): its local hours as grid lines, closed time (the policy's
 * `openStretches` complement) hatched, and each active booking as a block with local times.
 */
import { DateTime } from 'luxon';
import { checkInDeadline, localDayRange, openStretches } from '@booking/shared';
import type { AdminBooking, Resource } from '@booking/shared';
import { h } from './dom.util';

/** `HH:mm` of an instant in a zone. */
export const localTime = (iso: string | number, zone: string): string =>
  DateTime.fromMillis(typeof iso === 'number' ? iso : Date.parse(iso), { zone }).toFormat('HH:mm');

export function renderTimeline(opts: {
  date: string;
  resources: Resource[];
  bookings: AdminBooking[];
  utilization: Record<string, number>;
  selectedId: string | null;
  now: Date;
  onSelect: (bookingId: string) => void;
}): HTMLElement {
  const hours = h('div', { class: 'tl-hours' });
  for (let i = 0; i < 24; i += 3)
    hours.append(h('span', { class: 'tl-hour', style: `left:${(i / 24) * 100}%` }, String(i).padStart(2, '0')));
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
          title: `closed ${localTime(a, zone)}–${localTime(b, zone)}`,
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
    const mine = opts.bookings.filter(
      (b) =>
        b.resourceId === r.id &&
        b.status !== 'cancelled' &&
        Date.parse(b.start) < dayEnd &&
        Date.parse(b.end) > dayStart,
    );
    for (const b of mine) {
      // Awaiting check-in: a room with check-in, active, not checked in, its window still open.
      const deadline =
        b.status === 'active' && !b.checkedInAt
          ? checkInDeadline({ start: new Date(b.start), end: new Date(b.end) }, r.policy.checkIn)
          : null;
      const awaiting = deadline !== null && deadline.getTime() > opts.now.getTime();
      const start = Math.max(Date.parse(b.start), dayStart);
      const end = Math.min(Date.parse(b.end), dayEnd);
      const when = `${localTime(b.start, zone)}–${localTime(b.end, zone)}`;
      const title = [
        `${b.userName} · ${when} ${zone} · ${b.status}`,
        ...(b.seriesId ? ['repeating'] : []),
        ...(awaiting && deadline ? [`awaiting check-in until ${localTime(deadline.toISOString(), zone)}`] : []),
        ...(b.checkedInAt ? ['checked in'] : []),
      ].join(' · ');
      const block = h(
        'button',
        {
          type: 'button',
          class: `tl-block ${b.status}${b.id === opts.selectedId ? ' selected' : ''}${b.seriesId ? ' series' : ''}${awaiting ? ' awaiting-check-in' : ''}`,
          style: width(start, end),
          title,
          ...(awaiting ? { 'data-awaiting-check-in': 'true' } : {}),
          'data-testid': 'booking-block',
          'data-booking-id': b.id,
          ...(b.seriesId ? { 'data-series-id': b.seriesId } : {}),
        },
        h('span', { class: 'tl-block-name' }, `${awaiting ? '⏳ ' : ''}${b.seriesId ? `↻ ${b.userName}` : b.userName}`),
        h('span', { class: 'tl-block-time' }, when),
      );
      block.addEventListener('click', () => opts.onSelect(b.id));
      lane.append(block);
    }
    const nowMs = opts.now.getTime();
    if (nowMs >= dayStart && nowMs < dayEnd) lane.append(h('span', { class: 'tl-now', style: `left:${pct(nowMs)}` }));
    const used = Math.round((opts.utilization[r.id] ?? 0) * 100);
    return h(
      'div',
      { class: 'tl-row', 'data-resource-id': r.id },
      h(
        'div',
        { class: 'tl-label' },
        h('strong', {}, r.name),
        h('small', {}, `${r.type} · ${zone.replace(/_/g, ' ')}`),
        h('small', {}, `${used}% booked (UTC day)`),
        h('span', { class: 'tl-util', 'aria-hidden': 'true' }, h('span', { style: `width:${used}%` })),
      ),
      lane,
    );
  });
  return h(
    'div',
    { class: 'timeline', 'data-testid': 'timeline' },
    h('div', { class: 'tl-row tl-head' }, h('div', { class: 'tl-label' }, 'Resource (its local time)'), hours),
    ...(rows.length > 0 ? rows : [h('p', { class: 'muted' }, 'No resources yet: add one below.')]),
  );
}
