/**
 * A hold's life after `booking:hold`, and a waitlist offer's (docs/protocol.md "Holds",
 * "Waitlist"): `confirm` makes it active; `expireHold`, run by the notifier's timer, stores that it
 * ran out and offers its units to the waitlist. Expiry is exact without either: every read counts
 * a held booking only before its `expiresAt` (`holdingAt`), so the timer only records what is
 * already true and broadcasts it. (v3) An undecided request (`pending`) runs out the same way,
 * through the same timer, and its owner is told (`booking.expired`); a hold confirmed where approval
 * is always required becomes such a request.
 *
 * Both are compare-and-sets under the fence: a confirm and an expiry (or two confirms) write the
 * booking's document on one snapshot, so one of them is retried on a fresh snapshot and finds the
 * other's outcome: a confirm after the expiry answers INVALID_STATE, an expiry after a confirm
 * does nothing.
 */
import { ErrorCode } from '@booking/shared';
import type { Booking } from '@booking/shared';
import { AppError } from '../infra/errors';
import { inTransaction } from '../infra/transactions';
import type { BookingDoc } from './booking.model';
import type { BookingParts } from './booking.parts';
import { ranOut, toWireBooking } from './booking.store';
import { approvalTerms, requestExpiry } from './approval.rules';
import { approversOf } from './booking.approvals';
import type { BookingDeps, Committed, CommittedChange, HoldOperations } from './booking.types';

export function createHoldOperations(deps: BookingDeps, parts: BookingParts): HoldOperations {
  const { bookings, clock } = deps;
  const { guards, recorder, promotion } = parts;

  return {
    async confirm({ principal, bookingId }) {
      const found = await bookings.findById(bookingId);
      if (!found) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
      // A hold or an offer is its person's decision; nobody else, staff included, may take it.
      if (found.userId.toHexString() !== principal.id) throw new AppError(ErrorCode.FORBIDDEN, 'not your booking');
      const resourceId = found.resourceId.toHexString();
      type Outcome = { repeat: BookingDoc } | { committed: Committed<Booking> };
      const outcome = await guards.withResourceLock({
        resourceId,
        run: () =>
          inTransaction(deps.conn, deps.tx, async (session): Promise<Outcome> => {
            const current = await bookings.findById(bookingId, session);
            if (!current) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
            const now = clock.now();
            // A repeat answers the same booking (a request it became too).
            if (current.status === 'active' || (current.status === 'pending' && !ranOut(current, now)))
              return { repeat: current };
            // Fence before deciding, even to refuse: a confirm that committed after this snapshot
            // was taken (before the hold ran out) conflicts here, and the retry answers it again
            // instead of "expired" (a refusal aborts, so the version does not move).
            const { version, rules } = await guards.fenceWithRules(resourceId, session);
            const live = current.status === 'held' && (current.expiresAt?.getTime() ?? 0) > now.getTime();
            if (!live)
              throw new AppError(
                ErrorCode.INVALID_STATE,
                current.status === 'cancelled' ? 'the hold was cancelled' : 'the hold has expired',
              );
            // (v3) Where approval is always required of this person, the confirmed hold is a request.
            const asks = approvalTerms(rules, {
              id: principal.id,
              staff: principal.role === 'staff',
              groups: principal.groups ?? [],
            }).mode;
            const doc =
              asks === 'always'
                ? await bookings.update(
                    bookingId,
                    { status: 'pending', expiresAt: requestExpiry(rules.policy, now, current.start), requested: true },
                    session,
                  )
                : await bookings.update(bookingId, { status: 'active' }, session, { clearExpiry: true });
            if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
            if (current.waitlistEntryId)
              await deps.waitlist.transition(current.waitlistEntryId.toHexString(), 'offered', 'booked', session);
            const changed = await recorder.change(session, {
              type: asks === 'always' ? 'booking.requested' : 'booking.confirmed',
              action: 'confirm',
              doc,
              version,
              zone: rules.timeZone,
              actor: principal,
              ...(asks === 'always' ? { recipients: await approversOf(deps, rules, principal.id, session) } : {}),
            });
            return { committed: recorder.committed(changed, 'confirmed') };
          }),
      });
      return 'repeat' in outcome
        ? { result: toWireBooking(outcome.repeat, clock.now()), changes: [] }
        : outcome.committed;
    },

    async expireHold({ bookingId, expiresAt }) {
      const found = await bookings.findById(bookingId);
      if (!found || (found.status !== 'held' && found.status !== 'pending')) return { result: 'stale', changes: [] };
      const resourceId = found.resourceId.toHexString();
      await deps.availability.invalidate(resourceId, await guards.daysBefore(resourceId, [found]));
      type Outcome = { kind: 'stale' | 'early' } | { kind: 'done'; changes: CommittedChange[] };
      const outcome = await guards.withResourceLock({
        resourceId,
        run: () =>
          inTransaction(deps.conn, deps.tx, async (session): Promise<Outcome> => {
            const doc = await bookings.findById(bookingId, session);
            const expiring = doc?.status === 'held' || doc?.status === 'pending';
            if (!doc || !expiring || doc.expiresAt?.getTime() !== expiresAt.getTime()) return { kind: 'stale' };
            if (clock.now().getTime() < expiresAt.getTime()) return { kind: 'early' };
            const { version, rules } = await guards.fenceWithRules(resourceId, session);
            const expired = await bookings.update(bookingId, { status: 'expired' }, session);
            if (!expired) return { kind: 'stale' };
            // An offer not taken: its entry is done, and the units go to the next in line.
            if (doc.waitlistEntryId)
              await deps.waitlist.transition(doc.waitlistEntryId.toHexString(), 'offered', 'expired', session);
            const changed = await recorder.change(session, {
              // A hold ran out quietly; (v3) an undecided request's owner is told.
              type: doc.status === 'pending' ? 'booking.expired' : null,
              action: 'expire',
              doc: expired,
              version,
              zone: rules.timeZone,
              actor: null,
            });
            const offers = await promotion.promote(session, {
              resourceId,
              rules,
              span: { from: doc.start, to: doc.end },
            });
            return { kind: 'done', changes: recorder.committed({ ...changed, offers }, 'released').changes };
          }),
      });
      if (outcome.kind !== 'done') return { result: outcome.kind, changes: [] };
      deps.logger.info({ bookingId, expiresAt: expiresAt.toISOString() }, 'hold or request expired');
      return { result: 'done', changes: outcome.changes };
    },
  };
}
