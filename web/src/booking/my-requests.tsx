/**
 * (v3, issue 26) In "My bookings": the person's requests for approval. A pending one reads
 * "Awaiting approval" with until when it can be decided (its `expiresAt`) and can be cancelled; a
 * declined one says so, with the approver's reason when given; one that ran out undecided says so.
 * An `expired` booking may as well be a hold that ran out, so only the ones this browser saw
 * pending are listed as requests that expired (remembered per person in `localStorage`).
 */
import { useEffect, useMemo } from 'react';
import type { Booking, Resource } from '@booking/shared';
import { untilText } from './approvals';
import { quantitySuffix } from './capacity';
import { formatRange, viewerZone, zoneLabel } from './local-grid';

interface Props {
  userId: string;
  bookings: Booking[];
  resources: Resource[];
  now: number;
  pending: boolean;
  onShow(booking: Booking): void;
  onCancel(booking: Booking): void;
}

const storeKey = (userId: string) => `booking.requests.${userId}`;
/** Requests remembered at most (the newest kept). */
const REMEMBERED = 100;

function remembered(userId: string): string[] {
  try {
    const raw: unknown = JSON.parse(window.localStorage.getItem(storeKey(userId)) ?? '[]');
    return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** The ids of the person's bookings known to have been requests (seen pending or decided). */
function useKnownRequests(userId: string, bookings: Booking[]): ReadonlySet<string> {
  const seen = bookings.filter((b) => b.status === 'pending' || b.status === 'declined' || b.decidedBy);
  const seenKey = seen.map((b) => b.id).join(',');
  const known = useMemo(
    () => new Set([...remembered(userId), ...seenKey.split(',').filter(Boolean)]),
    [userId, seenKey],
  );
  useEffect(() => {
    try {
      window.localStorage.setItem(storeKey(userId), JSON.stringify([...known].slice(-REMEMBERED)));
    } catch {
      // Storage may be full or off: the list is then only what this page saw.
    }
  }, [userId, known]);
  return known;
}

export function MyRequests(p: Props) {
  const known = useKnownRequests(p.userId, p.bookings);
  const mine = viewerZone();
  const requests = p.bookings
    .filter((b) => Date.parse(b.end) > p.now)
    .filter(
      (b) =>
        (b.status === 'pending' && Date.parse(b.expiresAt ?? '') > p.now) ||
        b.status === 'declined' ||
        ((b.status === 'expired' || b.status === 'pending') && known.has(b.id)),
    )
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  if (requests.length === 0) return null;
  const label = (b: Booking) => {
    const resource = p.resources.find((r) => r.id === b.resourceId);
    const zone = resource?.timeZone ?? mine;
    const named = zone === mine ? '' : ` (${zoneLabel(zone)} time)`;
    return `${resource?.name ?? 'Unknown resource'}${quantitySuffix(b.quantity)}, ${formatRange(b.start, b.end, zone)}${named}`;
  };
  return (
    <>
      <h3 id="requests-heading">Your requests</h3>
      <ul className="mine-list" aria-labelledby="requests-heading">
        {requests.map((b) => {
          const text = label(b);
          const open = b.status === 'pending' && Date.parse(b.expiresAt ?? '') > p.now;
          return (
            <li key={b.id} data-booking-id={b.id} data-status={open ? 'pending' : b.status}>
              <span>{text}</span>
              {open ? (
                <span className="request-state pending">Awaiting approval, until {untilText(b.expiresAt)}</span>
              ) : b.status === 'declined' ? (
                <span className="request-state declined">Declined{b.declineReason ? `: ${b.declineReason}` : ''}</span>
              ) : (
                <span className="request-state expired">Expired: nobody decided in time</span>
              )}
              {open && (
                <span className="row-actions">
                  <button type="button" aria-label={`Show ${text}`} onClick={() => p.onShow(b)}>
                    Show
                  </button>
                  <button
                    type="button"
                    className="danger"
                    disabled={p.pending}
                    aria-label={`Cancel request ${text}`}
                    onClick={() => p.onCancel(b)}
                  >
                    Cancel
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
