/**
 * Waitlist promotion (docs/design.md "Lifecycle"): inside the transaction of a change that frees
 * units (cancel, move away, no-show release, expiry of a hold or offer, a raised capacity), after
 * its own writes, the resource's waiting entries near the freed span are taken in join order, and
 * each that now fits becomes a `held` offer for its person in the same commit, with its outbox
 * entry (`waitlist.offered`) and audit event. There is no second step to lose: a crash before the
 * commit loses the freeing change too, and after it the offer exists.
 *
 * Exactness comes from the fence: the freeing change bumped the resource's version on this
 * snapshot, so any concurrent change of the resource (another freeing change promoting, a booking
 * taking the units, a join writing the resource document) conflicts and is retried on a fresh
 * snapshot that sees these offers. An entry is offered once: the move `waiting → offered` is a
 * compare-and-set, and an offer's expiry makes its entry `expired`, never `waiting` again.
 */
import type { ClientSession } from 'mongoose';
import type { ResourceRules } from '../resources/resource.store';
import { CAPACITY_STEPS, capacityFacts, judge } from './booking.admission';
import type { BookingRecorder } from './booking.recorder';
import type { BookingDeps, BookingGuards, CommittedChange } from './booking.types';

export interface Promotion {
  /**
   * Offers what is free now to the entries that wait for `[from, to)` (every entry of the
   * resource when `span` is null: a raised capacity); answers the offers as committed changes,
   * each with its own version after the fence's.
   */
  promote(
    session: ClientSession,
    a: { resourceId: string; rules: ResourceRules; span: { from: Date; to: Date } | null },
  ): Promise<CommittedChange[]>;
}

export function createPromotion(
  deps: Pick<BookingDeps, 'bookings' | 'waitlist' | 'clock' | 'offerMs'>,
  guards: Pick<BookingGuards, 'fence'>,
  recorder: Pick<BookingRecorder, 'change' | 'committed'>,
): Promotion {
  return {
    async promote(session, { resourceId, rules, span }) {
      const now = deps.clock.now();
      const gap = rules.policy.bufferMinutes * 60_000;
      // An entry whose span (buffer included) meets the freed one may fit now; no other may.
      const near = span ? { from: new Date(span.from.getTime() - gap), to: new Date(span.to.getTime() + gap) } : null;
      const entries = await deps.waitlist.waitingFor(resourceId, { now, span: near }, session);
      if (entries.length === 0) return [];
      const from = Math.min(...entries.map((e) => e.start.getTime())) - gap;
      const to = Math.max(...entries.map((e) => e.end.getTime())) + gap;
      // One read of what occupies the entries' spans, on this snapshot after the freeing write;
      // each offer made below is added to it.
      const rows = await deps.bookings.activeBetween(resourceId, new Date(from), new Date(to), now, session);
      const facts = capacityFacts(rules, now, rows);
      const offers: CommittedChange[] = [];
      for (const entry of entries) {
        const candidate = { start: entry.start, end: entry.end, quantity: entry.quantity };
        if (judge([candidate], facts, CAPACITY_STEPS)[0]?.refusal) continue;
        const version = await guards.fence(resourceId, session);
        const expiresAt = new Date(Math.min(now.getTime() + deps.offerMs, entry.start.getTime()));
        const doc = await deps.bookings.insert(
          {
            resourceId,
            userId: entry.userId.toHexString(),
            start: entry.start,
            end: entry.end,
            quantity: entry.quantity,
            held: { expiresAt, waitlistEntryId: entry._id.toHexString() },
          },
          session,
        );
        // On this snapshot the entry is waiting; a concurrent leave writes it too and conflicts.
        const moved = await deps.waitlist.transition(
          entry._id.toHexString(),
          'waiting',
          'offered',
          session,
          doc._id.toHexString(),
        );
        if (!moved) throw new Error('a waiting entry changed under its promotion');
        facts.taken.push({ start: entry.start.getTime(), end: entry.end.getTime(), quantity: entry.quantity });
        const outcome = await recorder.change(session, {
          type: 'waitlist.offered',
          doc,
          version,
          zone: rules.timeZone,
          actor: null,
        });
        offers.push(...recorder.committed(outcome, 'held').changes);
      }
      return offers;
    },
  };
}
