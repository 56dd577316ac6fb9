/** All resources across the 24 hours of one UTC day; each active booking is a block. */
import type { AdminBooking, Resource } from '@booking/shared';
import { h, hhmm } from './dom.util';

const DAY_MS = 86_400_000;

export function renderTimeline(opts: {
  date: string;
  resources: Resource[];
  bookings: AdminBooking[];
  utilization: Record<string, number>;
  selectedId: string | null;
  now: Date;
  onSelect: (bookingId: string) => void;
}): HTMLElement {
  const dayStart = Date.parse(`${opts.date}T00:00:00Z`);
  const pct = (t: number) => `${Math.min(100, Math.max(0, ((t - dayStart) / DAY_MS) * 100)).toFixed(3)}%`;
  const hours = h('div', { class: 'tl-hours' });
  for (let i = 0; i < 24; i += 1) hours.append(h('span', { class: 'tl-hour', style: `left:${(i / 24) * 100}%` }, String(i).padStart(2, '0')));
  const rows = opts.resources.map((r) => {
    const lane = h('div', { class: 'tl-lane' });
    for (let i = 1; i < 24; i += 1) lane.append(h('span', { class: 'tl-grid', style: `left:${(i / 24) * 100}%` }));
    const mine = opts.bookings.filter((b) => b.resourceId === r.id && b.status !== 'cancelled');
    for (const b of mine) {
      const start = Math.max(Date.parse(b.start), dayStart);
      const end = Math.min(Date.parse(b.end), dayStart + DAY_MS);
      const block = h(
        'button',
        {
          type: 'button',
          class: `tl-block ${b.status}${b.id === opts.selectedId ? ' selected' : ''}`,
          style: `left:${pct(start)};width:calc(${pct(end)} - ${pct(start)})`,
          title: `${b.userName} · ${hhmm(b.start)}–${hhmm(b.end)} UTC · ${b.status}`,
          'data-testid': 'booking-block',
          'data-booking-id': b.id,
        },
        h('span', { class: 'tl-block-name' }, b.userName),
        h('span', { class: 'tl-block-time' }, `${hhmm(b.start)}–${hhmm(b.end)}`),
      );
      block.addEventListener('click', () => opts.onSelect(b.id));
      lane.append(block);
    }
    const nowMs = opts.now.getTime();
    if (nowMs >= dayStart && nowMs < dayStart + DAY_MS) lane.append(h('span', { class: 'tl-now', style: `left:${pct(nowMs)}` }));
    const used = Math.round((opts.utilization[r.id] ?? 0) * 100);
    return h(
      'div',
      { class: 'tl-row', 'data-resource-id': r.id },
      h(
        'div',
        { class: 'tl-label' },
        h('strong', {}, r.name),
        h('small', {}, `${r.type} · ${used}% booked`),
        h('span', { class: 'tl-util' }, h('span', { style: `width:${used}%` })),
      ),
      lane,
    );
  });
  return h(
    'div',
    { class: 'timeline', 'data-testid': 'timeline' },
    h('div', { class: 'tl-row tl-head' }, h('div', { class: 'tl-label' }, 'Resource'), hours),
    ...(rows.length > 0 ? rows : [h('p', { class: 'muted' }, 'No resources yet: add one below.')]),
  );
}
