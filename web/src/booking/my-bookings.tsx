/**
 * The signed-in person's upcoming active bookings, each with "show" and "cancel"; the occurrences
 * of a series are grouped under it, each cancellable alone or with every later one.
 */
import type { Booking, Resource } from '@booking/shared';
import { formatRange, viewerZone, zoneLabel } from './local-grid';

interface Props {
  bookings: Booking[];
  resources: Resource[];
  now: number;
  pending: boolean;
  onShow(booking: Booking): void;
  onCancel(booking: Booking): void;
  /** Cancels this occurrence and the later ones of its series. */
  onCancelSeries(booking: Booking): void;
}

type Entry = { kind: 'single'; booking: Booking } | { kind: 'series'; seriesId: string; bookings: Booking[] };

export function MyBookings({ bookings, resources, now, pending, onShow, onCancel, onCancelSeries }: Props) {
  const upcoming = bookings
    .filter((b) => b.status === 'active' && Date.parse(b.end) > now)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const entries: Entry[] = [];
  for (const b of upcoming) {
    const group = b.seriesId ? entries.find((e): e is Extract<Entry, { kind: 'series' }> => e.kind === 'series' && e.seriesId === b.seriesId) : undefined;
    if (group) group.bookings.push(b);
    else if (b.seriesId) entries.push({ kind: 'series', seriesId: b.seriesId, bookings: [b] });
    else entries.push({ kind: 'single', booking: b });
  }
  const nameOf = (id: string) => resources.find((r) => r.id === id)?.name ?? 'Unknown resource';
  const mine = viewerZone();
  /** In the resource's zone, which is named when it is not the viewer's. */
  const when = (b: Booking) => {
    const zone = resources.find((r) => r.id === b.resourceId)?.timeZone ?? mine;
    return `${formatRange(b.start, b.end, zone)}${zone === mine ? '' : ` (${zoneLabel(zone)} time)`}`;
  };
  const row = (b: Booking, label: string, inSeries: boolean) => (
    <li key={b.id} data-booking-id={b.id}>
      <span>{label}</span>
      <span className="row-actions">
        <button type="button" aria-label={`Show ${label}`} onClick={() => onShow(b)}>
          Show
        </button>
        <button type="button" className="danger" disabled={pending} aria-label={`Cancel ${label}`} onClick={() => onCancel(b)}>
          Cancel
        </button>
        {inSeries && (
          <button type="button" className="danger" disabled={pending} aria-label={`Cancel the rest from ${label}`} onClick={() => onCancelSeries(b)}>
            Cancel the rest
          </button>
        )}
      </span>
    </li>
  );
  return (
    <section aria-labelledby="mine-heading" className="panel">
      <h2 id="mine-heading">My bookings</h2>
      {upcoming.length === 0 ? (
        <p className="muted">No upcoming bookings yet.</p>
      ) : (
        <ul className="mine-list" aria-label="My upcoming bookings">
          {entries.map((e) => {
            if (e.kind === 'single') return row(e.booking, `${nameOf(e.booking.resourceId)}, ${when(e.booking)}`, false);
            const head = e.bookings[0];
            if (!head) return null;
            const title = `${nameOf(head.resourceId)}, repeating: ${e.bookings.length} upcoming`;
            return (
              <li key={e.seriesId} data-series-id={e.seriesId} className="series">
                <span>{title}</span>
                <ul aria-label={`Occurrences: ${title}`}>{e.bookings.map((b) => row(b, when(b), true))}</ul>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
