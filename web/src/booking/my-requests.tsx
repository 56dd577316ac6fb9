/**
 * (v3, issue 26) In "My bookings": the person's requests for approval. A pending one reads
 * "Awaiting approval" with until when it can be decided (its `expiresAt`) and can be cancelled; a
 * declined one says so, with the approver's reason when given; one that ran out undecided says so
 * (the server marks every booking made or moved as a request `requested`, which tells an expired
 * request from an expired hold on any device).
 */
import type { Booking, Resource } from '@booking/shared';
import { untilText } from './approvals';
import { quantitySuffix } from './capacity';
import { formatRange, viewerZone, zoneLabel } from './local-grid';
import { useT } from '../i18n';

interface Props {
  bookings: Booking[];
  resources: Resource[];
  now: number;
  pending: boolean;
  onShow(booking: Booking): void;
  onCancel(booking: Booking): void;
}

export function MyRequests(p: Props) {
  const mine = viewerZone();
  const { t } = useT();
  const requests = p.bookings
    .filter((b) => Date.parse(b.end) > p.now)
    .filter(
      (b) =>
        (b.status === 'pending' && Date.parse(b.expiresAt ?? '') > p.now) ||
        b.status === 'declined' ||
        ((b.status === 'expired' || b.status === 'pending') && b.requested === true),
    )
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  if (requests.length === 0) return null;
  const label = (b: Booking) => {
    const resource = p.resources.find((r) => r.id === b.resourceId);
    const zone = resource?.timeZone ?? mine;
    const named = zone === mine ? '' : t('approvals.zoneTime', { zone: zoneLabel(zone) });
    const name = resource?.name ?? t('common.unknownResource');
    return `${name}${quantitySuffix(b.quantity)}, ${formatRange(b.start, b.end, zone)}${named}`;
  };
  return (
    <>
      <h3 id="requests-heading">{t('requests.title')}</h3>
      <ul className="mine-list" aria-labelledby="requests-heading">
        {requests.map((b) => {
          const text = label(b);
          const open = b.status === 'pending' && Date.parse(b.expiresAt ?? '') > p.now;
          return (
            <li key={b.id} data-booking-id={b.id} data-status={open ? 'pending' : b.status}>
              <span>{text}</span>
              {open ? (
                <span className="request-state pending">
                  {t('requests.pending', { until: untilText(b.expiresAt) })}
                </span>
              ) : b.status === 'declined' ? (
                <span className="request-state declined">
                  {b.declineReason ? t('requests.declinedWhy', { reason: b.declineReason }) : t('requests.declined')}
                </span>
              ) : (
                <span className="request-state expired">{t('requests.expired')}</span>
              )}
              {open && (
                <span className="row-actions">
                  <button type="button" aria-label={t('common.showLabel', { text })} onClick={() => p.onShow(b)}>
                    {t('common.show')}
                  </button>
                  <button
                    type="button"
                    className="danger"
                    disabled={p.pending}
                    aria-label={t('requests.cancelLabel', { text })}
                    onClick={() => p.onCancel(b)}
                  >
                    {t('mine.cancel')}
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
