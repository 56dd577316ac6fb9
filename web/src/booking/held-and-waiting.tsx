/**
 * In "My bookings" (protocol v3): what is held for the person, their own holds and the offers the
 * waitlist made them, each with a countdown to its end and "Confirm"; and their waitlist entries
 * with their status, "Leave" for the waiting ones. The offer the page was opened on (the email's
 * link, `#offer=`) or that a notification just brought is focused (its Confirm button) and said
 * in the status line above the list.
 */
import { useEffect, useRef } from 'react';
import type { Booking, Resource, WaitlistEntry, WaitlistStatus } from '@booking/shared';
import { quantitySuffix } from './capacity';
import { countdown, useSecondTick } from './countdown';
import { formatRange, viewerZone, zoneLabel } from './local-grid';
import { useT, type WebKey } from '../i18n';

interface Props {
  bookings: Booking[];
  entries: WaitlistEntry[];
  resources: Resource[];
  pending: boolean;
  now: number;
  /** The offer to focus once it is listed (null: none). */
  focusId: string | null;
  /** A sentence about the offer the page was sent to (shown and announced; null: none). */
  offerNote: string | null;
  onFocused(): void;
  onConfirm(booking: Booking): void;
  /** Lets a hold or an offer go (`booking:cancel`). */
  onRelease(booking: Booking): void;
  onShow(booking: Booking): void;
  onLeave(entry: WaitlistEntry): void;
}

const statusKeys: Record<WaitlistStatus, WebKey> = {
  waiting: 'waitlist.waiting',
  offered: 'waitlist.offered',
  booked: 'waitlist.booked',
  left: 'waitlist.left',
  expired: 'waitlist.expired',
};

export function HeldAndWaiting(p: Props) {
  const tick = useSecondTick(p.bookings.some((b) => b.status === 'held'));
  const now = Math.max(tick, p.now);
  const focusRef = useRef<HTMLButtonElement | null>(null);
  const { t } = useT();
  const held = p.bookings
    .filter((b) => b.status === 'held' && Date.parse(b.expiresAt ?? '') > now)
    .sort((a, b) => Date.parse(a.expiresAt ?? '') - Date.parse(b.expiresAt ?? ''));
  const waiting = p.entries.filter((e) => e.status !== 'left' && Date.parse(e.end) > now);
  const heldIds = held.map((b) => b.id).join(',');
  const { focusId, onFocused } = p;
  useEffect(() => {
    if (!focusId || !focusRef.current) return;
    focusRef.current.focus();
    focusRef.current.scrollIntoView({ block: 'nearest' });
    onFocused();
  }, [focusId, heldIds, onFocused]);

  const mine = viewerZone();
  const resourceOf = (id: string) => p.resources.find((r) => r.id === id);
  const label = (x: { resourceId: string; start: string; end: string; quantity: number }) => {
    const zone = resourceOf(x.resourceId)?.timeZone ?? mine;
    const named = zone === mine ? '' : t('approvals.zoneTime', { zone: zoneLabel(zone) });
    const name = resourceOf(x.resourceId)?.name ?? t('common.unknownResource');
    return `${name}${quantitySuffix(x.quantity)}, ${formatRange(x.start, x.end, zone)}${named}`;
  };

  return (
    <>
      {p.offerNote && (
        <p role="status" className="offer-note">
          {p.offerNote}
        </p>
      )}
      {held.length > 0 && (
        <>
          <h3 id="held-heading">{t('held.title')}</h3>
          <ul className="mine-list held-list" aria-labelledby="held-heading">
            {held.map((b) => {
              const text = label(b);
              const offer = b.waitlistEntryId !== undefined;
              return (
                <li key={b.id} data-booking-id={b.id} className={offer ? 'offer' : 'hold'}>
                  <span>{text}</span>
                  <span className="countdown" data-expires-at={b.expiresAt}>
                    {t(offer ? 'held.offerFor' : 'held.holdFor', {
                      left: countdown(Date.parse(b.expiresAt ?? '') - now),
                    })}
                  </span>
                  <span className="row-actions">
                    <button
                      type="button"
                      className="primary"
                      ref={b.id === focusId ? focusRef : undefined}
                      disabled={p.pending}
                      aria-label={t('held.confirmLabel', { text })}
                      onClick={() => p.onConfirm(b)}
                    >
                      {t('held.confirm')}
                    </button>
                    <button type="button" aria-label={t('common.showLabel', { text })} onClick={() => p.onShow(b)}>
                      {t('common.show')}
                    </button>
                    <button
                      type="button"
                      className="danger"
                      disabled={p.pending}
                      aria-label={t(offer ? 'held.declineLabel' : 'held.letGoLabel', { text })}
                      onClick={() => p.onRelease(b)}
                    >
                      {offer ? t('held.decline') : t('held.letGo')}
                    </button>
                  </span>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {waiting.length > 0 && (
        <>
          <h3 id="waitlist-heading">{t('waitlist.title')}</h3>
          <ul className="mine-list waitlist" aria-labelledby="waitlist-heading">
            {waiting.map((e) => {
              const text = label(e);
              return (
                <li key={e.id} data-entry-id={e.id} data-status={e.status}>
                  <span>{text}</span>
                  <span className="entry-status">{t(statusKeys[e.status])}</span>
                  {e.status === 'waiting' && (
                    <span className="row-actions">
                      <button
                        type="button"
                        disabled={p.pending}
                        aria-label={t('waitlist.leaveLabel', { text })}
                        onClick={() => p.onLeave(e)}
                      >
                        {t('waitlist.leave')}
                      </button>
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </>
  );
}
