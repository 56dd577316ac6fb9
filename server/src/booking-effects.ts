/**
 * The after-commit effects of a booking change, declared once for both roots (the node after a
 * command, the notifier after a no-show release): the cache first (a client that re-reads
 * availability on the broadcast or the ack must not get the entry from before the change), with
 * the relay and the feeds' counters alongside it (one pipelined Redis round trip), then the
 * broadcast.
 *
 * What differs between the roots on purpose is only how two of them are done: the node wakes the
 * notifier's relay through Redis and broadcasts through its Socket.IO server; the notifier runs a
 * relay pass of its own and broadcasts through the Redis emitter (it has no Socket.IO server).
 */
import type { AvailabilityService } from './availability/availability.service';
import type { AfterCommitEffect, CommittedChange } from './booking/booking.effects';
import type { FeedInvalidation } from './calendar/calendar.invalidation';

export interface BookingEffectParts {
  availability: Pick<AvailabilityService, 'apply'>;
  /** Hands the change's outbox entries on (named for the logs and the fault counts). */
  relay: { name: string; run: () => Promise<void> | void };
  feeds: Pick<FeedInvalidation, 'bookingChanged'>;
  /** `slot:changed` to every node's clients that hear the resource, and to staff. */
  broadcast: (change: CommittedChange) => void;
}

export function bookingEffectList(parts: BookingEffectParts): AfterCommitEffect[] {
  return [
    { name: 'cache', run: (change) => parts.availability.apply(change.resourceId, change.cache) },
    { name: parts.relay.name, alongside: true, run: () => parts.relay.run() },
    { name: 'calendar feeds', alongside: true, run: (change) => parts.feeds.bookingChanged(change) },
    { name: 'broadcast', run: parts.broadcast },
  ];
}
