/**
 * The signed-in person's upcoming active bookings, each with "show" and "cancel"; the occurrences
 * of a series are grouped under it, each cancellable alone or with every later one. A booking of a
 * room with check-in shows "Check in" from 10 minutes before its start, and until it is checked in
 * a countdown to its release (ticking every second while one is shown). A booking of several
 * units says how many ("× 3"). (v3) Under them, what is held for the person and their waitlist
 * (`held-and-waiting.tsx`).
 */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { CHECK_IN_EARLY_MINUTES, checkInDeadline } from '@booking/shared';
import type { Booking, Resource } from '@booking/shared';
import { quantitySuffix } from './capacity';
import { countdown } from './countdown';
import { formatRange, viewerZone, zoneLabel } from './local-grid';
import { useT } from '../i18n';

interface Props {
  bookings: Booking[];
  resources: Resource[];
  now: number;
  pending: boolean;
  onShow(booking: Booking): void;
  onCancel(booking: Booking): void;
  /** Cancels this occurrence and the later ones of its series. */
  onCancelSeries(booking: Booking): void;
  onCheckIn(booking: Booking): void;
  /** (v3) What is held for the person and their waitlist, under their bookings. */
  children?: ReactNode;
}

type Entry = { kind: 'single'; booking: Booking } | { kind: 'series'; seriesId: string; bookings: Booking[] };

export function MyBookings({
  bookings,
  resources,
  now: pageNow,
  pending,
  onShow,
  onCancel,
  onCancelSeries,
  onCheckIn,
  children,
}: Props) {
  const [tick, setTick] = useState(() => Date.now());
  const now = Math.max(pageNow, tick);
  const policyOf = (b: Booking) => resources.find((r) => r.id === b.resourceId)?.policy.checkIn ?? null;
  /** When an active booking is released unless checked in (null: no check-in needed, or done). */
  const releaseAt = (b: Booking): number | null => {
    if (b.checkedInAt) return null;
    return checkInDeadline({ start: new Date(b.start), end: new Date(b.end) }, policyOf(b))?.getTime() ?? null;
  };
  const canCheckIn = (b: Booking) =>
    !b.checkedInAt && policyOf(b) !== null && now >= Date.parse(b.start) - CHECK_IN_EARLY_MINUTES * 60_000;
  const counting = bookings.some((b) => b.status === 'active' && canCheckIn(b) && releaseAt(b) !== null);
  useEffect(() => {
    if (!counting) return;
    const timer = window.setInterval(() => setTick(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [counting]);
  const { t } = useT();
  const upcoming = bookings
    .filter((b) => b.status === 'active' && Date.parse(b.end) > now)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const entries: Entry[] = [];
  for (const b of upcoming) {
    const group = b.seriesId
      ? entries.find((e): e is Extract<Entry, { kind: 'series' }> => e.kind === 'series' && e.seriesId === b.seriesId)
      : undefined;
    if (group) group.bookings.push(b);
    else if (b.seriesId) entries.push({ kind: 'series', seriesId: b.seriesId, bookings: [b] });
    else entries.push({ kind: 'single', booking: b });
  }
  const nameOf = (id: string) => resources.find((r) => r.id === id)?.name ?? t('common.unknownResource');
  /** " × 3" for a booking of several units. */
  const units = (b: Booking) => quantitySuffix(b.quantity);
  const mine = viewerZone();
  /** In the resource's zone, which is named when it is not the viewer's. */
  const when = (b: Booking) => {
    const zone = resources.find((r) => r.id === b.resourceId)?.timeZone ?? mine;
    return `${formatRange(b.start, b.end, zone)}${zone === mine ? '' : t('approvals.zoneTime', { zone: zoneLabel(zone) })}`;
  };
  const row = (b: Booking, label: string, inSeries: boolean) => (
    <li key={b.id} data-booking-id={b.id}>
      <span>{label}</span>
      {b.title && <span className="booking-title">{b.title}</span>}
      {b.checkedInAt && <span className="checked-in">{t('mine.checkedIn')}</span>}
      {canCheckIn(b) && releaseAt(b) !== null && (
        <span className="countdown" data-release-at={releaseAt(b) ?? undefined}>
          {t('mine.releasedIn', { left: countdown((releaseAt(b) ?? now) - now) })}
        </span>
      )}
      <span className="row-actions">
        {canCheckIn(b) && (
          <button
            type="button"
            disabled={pending}
            aria-label={t('mine.checkInLabel', { label })}
            onClick={() => onCheckIn(b)}
          >
            {t('mine.checkIn')}
          </button>
        )}
        <button type="button" aria-label={t('common.showLabel', { text: label })} onClick={() => onShow(b)}>
          {t('common.show')}
        </button>
        <button
          type="button"
          className="danger"
          disabled={pending}
          aria-label={t('mine.cancelLabel', { label })}
          onClick={() => onCancel(b)}
        >
          {t('mine.cancel')}
        </button>
        {inSeries && (
          <button
            type="button"
            className="danger"
            disabled={pending}
            aria-label={t('mine.cancelRestLabel', { label })}
            onClick={() => onCancelSeries(b)}
          >
            {t('mine.cancelRest')}
          </button>
        )}
      </span>
    </li>
  );
  return (
    <section aria-labelledby="mine-heading" className="panel">
      <h2 id="mine-heading">{t('mine.title')}</h2>
      {upcoming.length === 0 ? (
        <p className="muted">{t('mine.none')}</p>
      ) : (
        <ul className="mine-list" aria-label={t('mine.list')}>
          {entries.map((e) => {
            if (e.kind === 'single')
              return row(e.booking, `${nameOf(e.booking.resourceId)}${units(e.booking)}, ${when(e.booking)}`, false);
            const head = e.bookings[0];
            if (!head) return null;
            const title = t('mine.series', {
              name: `${nameOf(head.resourceId)}${units(head)}`,
              count: e.bookings.length,
            });
            return (
              <li key={e.seriesId} data-series-id={e.seriesId} className="series">
                <span>{title}</span>
                <ul aria-label={t('mine.occurrences', { title })}>{e.bookings.map((b) => row(b, when(b), true))}</ul>
              </li>
            );
          })}
        </ul>
      )}
      {children}
    </section>
  );
}
