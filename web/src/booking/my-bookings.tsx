/** The signed-in person's upcoming active bookings, each with "show" and "cancel". */
import type { Booking, Resource } from '@booking/shared';
import { formatRange, viewerZone, zoneLabel } from './local-grid';

interface Props {
  bookings: Booking[];
  resources: Resource[];
  now: number;
  pending: boolean;
  onShow(booking: Booking): void;
  onCancel(booking: Booking): void;
}

export function MyBookings({ bookings, resources, now, pending, onShow, onCancel }: Props) {
  const upcoming = bookings
    .filter((b) => b.status === 'active' && Date.parse(b.end) > now)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const nameOf = (id: string) => resources.find((r) => r.id === id)?.name ?? 'Unknown resource';
  const mine = viewerZone();
  /** In the resource's zone, which is named when it is not the viewer's. */
  const when = (b: Booking) => {
    const zone = resources.find((r) => r.id === b.resourceId)?.timeZone ?? mine;
    return `${formatRange(b.start, b.end, zone)}${zone === mine ? '' : ` (${zoneLabel(zone)} time)`}`;
  };
  return (
    <section aria-labelledby="mine-heading" className="panel">
      <h2 id="mine-heading">My bookings</h2>
      {upcoming.length === 0 ? (
        <p className="muted">No upcoming bookings yet.</p>
      ) : (
        <ul className="mine-list" aria-label="My upcoming bookings">
          {upcoming.map((b) => {
            const label = `${nameOf(b.resourceId)}, ${when(b)}`;
            return (
              <li key={b.id} data-booking-id={b.id}>
                <span>{label}</span>
                <span className="row-actions">
                  <button type="button" aria-label={`Show ${label}`} onClick={() => onShow(b)}>
                    Show
                  </button>
                  <button type="button" className="danger" disabled={pending} aria-label={`Cancel ${label}`} onClick={() => onCancel(b)}>
                    Cancel
                  </button>
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
