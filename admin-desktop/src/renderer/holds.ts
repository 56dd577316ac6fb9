/**
 * Holds and waitlist offers on the dashboard (v3). A `held` booking is a plain hold, or a waitlist
 * offer when it carries `waitlistEntryId`; it occupies its units until `expiresAt` and is free from
 * that instant on, whatever any timer does, so the timeline stops drawing it then (the timer's
 * `released`/`expired` event only confirms it). An `expired` or `cancelled` booking is not drawn.
 */
import type { Booking } from '@booking/shared';
import { t } from './i18n';

/** `hold` or `offer` for a held booking; null for anything else. */
export type HoldKind = 'hold' | 'offer';

export function holdKind(b: Pick<Booking, 'status' | 'waitlistEntryId'>): HoldKind | null {
  if (b.status !== 'held') return null;
  return b.waitlistEntryId ? 'offer' : 'hold';
}

/**
 * Whether a booking takes its units at `now`: not cancelled, expired or (v3) declined, and a hold or
 * a request awaiting approval (`pending`) only before its `expiresAt`.
 */
export function isShown(b: Pick<Booking, 'status' | 'expiresAt'>, now: Date): boolean {
  if (b.status === 'cancelled' || b.status === 'expired' || b.status === 'declined') return false;
  const runsOut = b.status === 'held' || b.status === 'pending';
  return !runsOut || b.expiresAt === undefined || Date.parse(b.expiresAt) > now.getTime();
}

/** A held booking whose `expiresAt` (and whether it is an offer) the dashboard has not read yet: a live `held` event carries neither. */
export function lacksHoldDetails(b: Pick<Booking, 'status' | 'expiresAt'>): boolean {
  return b.status === 'held' && b.expiresAt === undefined;
}

/** A resource's queue: "3 waiting", or null when nobody waits. */
export function queueLabel(waiting: number | undefined): string | null {
  return waiting && waiting > 0 ? t('timeline.waiting', { count: waiting }) : null;
}
