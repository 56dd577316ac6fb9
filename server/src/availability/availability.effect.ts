/**
 * Availability's after-commit effect: the cache update it derives from a committed change's facts
 * (booking hands over what happened, never a cache patch). A single booking's change is patched
 * into the cached days in Redis without a read; a series' change puts the days its transaction
 * read back. Run by the one effect list both roots share (`booking-effects.ts`).
 */
import type { AfterCommitEffect, CommittedChange } from '../booking/booking.effects';
import { daysOf } from '../infra/days';
import { entriesFrom } from './availability.service';
import type { AvailabilityService, CacheUpdate } from './availability.service';

/** How the cache learns of one change: the local days it touched, as of its version. */
export function cacheUpdateOf(change: CommittedChange): CacheUpdate {
  const { zone } = change;
  if (change.readBack) {
    const { active, version } = change.readBack;
    return { kind: 'entries', entries: entriesFrom(active, daysOf([change], zone), version, zone) };
  }
  const touched = daysOf([change, ...(change.previous ? [change.previous] : [])], zone);
  // Active, held and pending bookings occupy units (a held or pending one in the cache carries its expiresAt, which reads honour).
  const holds = new Set(
    change.status === 'active' || change.status === 'held' || change.status === 'pending' ? daysOf([change], zone) : [],
  );
  return {
    kind: 'patch',
    version: change.version,
    busy: {
      bookingId: change.bookingId,
      start: change.start.toISOString(),
      end: change.end.toISOString(),
      quantity: change.quantity,
      status: change.status,
      ...(change.expiresAt ? { expiresAt: change.expiresAt.toISOString() } : {}),
      ...(change.title ? { title: change.title } : {}),
    },
    days: touched.map((day) => ({ day, holds: holds.has(day) })),
  };
}

/**
 * First in the list: a client that re-reads availability on the broadcast or the ack must not
 * get the entry from before the change.
 */
export function availabilityEffect(availability: Pick<AvailabilityService, 'apply'>): AfterCommitEffect {
  return { name: 'cache', run: (change) => availability.apply(change.resourceId, cacheUpdateOf(change)) };
}
