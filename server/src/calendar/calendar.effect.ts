/**
 * The calendar feeds' after-commit effect: a committed booking change bumps its owner's and its
 * resource's feed generations (`calendar.invalidation.ts`), alongside the cache write (one
 * pipelined Redis round trip). Derived from the change's facts; run by `booking-effects.ts`.
 */
import type { AfterCommitEffect } from '../booking/booking.effects';
import type { FeedInvalidation } from './calendar.invalidation';

export function calendarEffect(feeds: Pick<FeedInvalidation, 'bookingChanged'>): AfterCommitEffect {
  return { name: 'calendar feeds', alongside: true, run: (change) => feeds.bookingChanged(change) };
}
