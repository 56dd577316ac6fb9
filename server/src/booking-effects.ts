/**
 * The after-commit effects of a booking change, declared once for both roots (the node after a
 * command, the notifier after a no-show release). A committed change carries facts; each
 * capability derives its own effect from them: availability's cache update first (a client that
 * re-reads availability on the broadcast or the ack must not get the entry from before the
 * change), with the relay and calendar's feed counters alongside it (one pipelined Redis round
 * trip), then the slot broadcast.
 *
 * What differs between the roots on purpose is only the parts they are given: the node wakes the
 * notifier's relay through Redis and broadcasts through its Socket.IO server; the notifier runs a
 * relay pass of its own and broadcasts through the Redis emitter (`slot.broadcast.ts`, both sides).
 */
import { availabilityEffect } from './availability/availability.effect';
import type { AvailabilityService } from './availability/availability.service';
import { afterCommit } from './booking/booking.effects';
import type { AfterCommit, AfterCommitEffect } from './booking/booking.effects';
import { calendarEffect } from './calendar/calendar.effect';
import type { FeedInvalidation } from './calendar/calendar.invalidation';
import type { Logger } from './infra/logger';
import { countingFailures } from './infra/metrics';
import type { FaultCounts } from './infra/metrics';
import type { SlotBroadcast } from './transport/slot.broadcast';

export interface BookingEffectParts {
  availability: Pick<AvailabilityService, 'apply'>;
  /** Hands the change's outbox entries on (named for the logs and the fault counts). */
  relay: { name: string; run: () => Promise<void> | void };
  feeds: Pick<FeedInvalidation, 'bookingChanged'>;
  /** `slot:changed` to every node's clients that hear the resource, and to staff. */
  broadcast: SlotBroadcast;
}

export function bookingEffectList(parts: BookingEffectParts): AfterCommitEffect[] {
  return [
    availabilityEffect(parts.availability),
    { name: parts.relay.name, alongside: true, run: () => parts.relay.run() },
    calendarEffect(parts.feeds),
    { name: 'broadcast', run: parts.broadcast },
  ];
}

/** The list run after every commit; a node also counts each failure in its faults. */
export function bookingAfterCommit(
  parts: BookingEffectParts,
  opts: { logger: Logger; faults?: FaultCounts },
): AfterCommit {
  const list = bookingEffectList(parts);
  return afterCommit(opts.faults ? countingFailures(list, opts.faults) : list, opts.logger);
}
