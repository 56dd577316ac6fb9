/**
 * Check-in, no-show release and reminders (docs/protocol.md "Check-in, reminders and completion").
 *
 * `checkIn` is a person's command. `releaseNoShow` and `remind` are run by the notifier's
 * scheduler when a timer fires; each re-reads the booking inside its transaction and acts only if
 * the timer still applies (still active, same interval, not checked in, not reminded yet), so a
 * stale, early or duplicated job changes nothing. The release takes the same guarded path as a
 * cancel (the resource's lock as a hint, the fence, the outbox and the audit event in one
 * transaction) with the system as actor (`null`).
 *
 * Races are closed by MongoDB: check-in, release, reminder and every change all write the
 * booking's own document, so two of them on one snapshot conflict and the driver retries the
 * loser on a fresh one, which then sees the winner (a check-in after a release answers
 * INVALID_STATE; a release after a check-in does nothing).
 */
import { CHECK_IN_EARLY_MINUTES, checkInDeadline, ErrorCode } from '@booking/shared';
import type { Booking } from '@booking/shared';
import { AppError } from '../infra/errors';
import { inTransaction } from '../infra/transactions';
import type { BookingDoc } from './booking.model';
import type { BookingParts } from './booking.parts';
import { toWireBooking } from './booking.store';
import { cancelAfterStrikes } from './series.strikes';
import type { AttendanceOperations, BookingDeps, Committed, TimerOutcome } from './booking.types';

export type { AttendanceOperations, TimerOutcome } from './booking.types';

export function createAttendanceOperations(
  deps: BookingDeps,
  parts: Pick<BookingParts, 'guards' | 'recorder' | 'promotion'>,
): AttendanceOperations {
  const { bookings, clock } = deps;
  const { guards, recorder, promotion } = parts;
  const EARLY_MS = CHECK_IN_EARLY_MINUTES * 60_000;

  return {
    async checkIn({ principal, bookingId }) {
      const found = await bookings.findById(bookingId);
      if (!found) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
      // Only the person who booked can say they are there; staff cannot check in for them.
      if (found.userId.toHexString() !== principal.id) throw new AppError(ErrorCode.FORBIDDEN, 'not your booking');
      const doc = await inTransaction(deps.conn, deps.tx, async (session): Promise<BookingDoc> => {
        const current = await bookings.findById(bookingId, session);
        if (!current) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
        const now = clock.now();
        if (current.status !== 'active') throw new AppError(ErrorCode.INVALID_STATE, 'the booking is cancelled');
        if (current.end.getTime() <= now.getTime()) throw new AppError(ErrorCode.INVALID_STATE, 'the booking is over');
        if (now.getTime() < current.start.getTime() - EARLY_MS) {
          throw new AppError(
            ErrorCode.INVALID_STATE,
            `check-in opens ${CHECK_IN_EARLY_MINUTES} minutes before the start`,
          );
        }
        if (current.checkedInAt) return current; // a repeat answers the same booking
        const updated = await bookings.update(bookingId, { checkedInAt: now }, session);
        if (!updated) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
        // (v3) The webhook event's place in its resource's stream: the version committed now (a
        // check-in does not move it), so it sorts after every change committed before it.
        const version = (await deps.resources.version(updated.resourceId.toHexString())) ?? 0;
        await recorder.checkedIn(session, { bookingId, doc: updated, actor: principal, at: now, version });
        return updated;
      });
      // Nothing about the slot changed: no broadcast, no notification (the relay finds the
      // webhook record on its next pass).
      return { result: toWireBooking(doc, clock.now()), changes: [] };
    },

    async releaseNoShow({ bookingId, deadline }) {
      const found = await bookings.findById(bookingId);
      if (!found || found.status !== 'active' || found.checkedInAt) return { result: 'stale', changes: [] };
      const resourceId = found.resourceId.toHexString();
      await deps.availability.invalidate(resourceId, await guards.daysBefore(resourceId, [found]));
      type Outcome = { kind: 'stale' | 'early' } | { kind: 'done'; committed: Committed<Booking> };
      const outcome = await guards.withResourceLock({
        resourceId,
        run: () =>
          inTransaction(deps.conn, deps.tx, async (session): Promise<Outcome> => {
            const rules = await guards.rulesInTx(resourceId, session);
            const doc = await bookings.findById(bookingId, session);
            if (!doc || doc.status !== 'active' || doc.checkedInAt) return { kind: 'stale' };
            const closes = checkInDeadline(doc, rules.policy.checkIn);
            if (!closes || closes.getTime() !== deadline.getTime()) return { kind: 'stale' };
            const now = clock.now();
            if (now.getTime() < closes.getTime()) return { kind: 'early' };
            if (now.getTime() >= doc.end.getTime()) return { kind: 'stale' }; // over: nothing left to free
            const version = await guards.fence(resourceId, session);
            const released = await bookings.update(
              bookingId,
              { status: 'cancelled', cancelReason: 'no-show' },
              session,
            );
            if (!released) return { kind: 'stale' };
            const outcome = await recorder.change(session, {
              type: 'booking.released',
              doc: released,
              version,
              zone: rules.timeZone,
              actor: null,
              checkInBy: closes,
            });
            // The released units go to the waitlist in this commit.
            const offers = await promotion.promote(session, {
              resourceId,
              rules,
              span: { from: now, to: doc.end },
            });
            // (v3) The n-th consecutive strike of a series cancels its rest, in this same commit.
            const struck = await cancelAfterStrikes(deps, parts, session, { released, rules });
            return {
              kind: 'done',
              committed: recorder.committed({ ...outcome, offers: [...offers, ...struck] }, 'released'),
            };
          }),
      });
      if (outcome.kind !== 'done') return { result: outcome.kind, changes: [] };
      deps.logger.info({ bookingId, deadline: deadline.toISOString() }, 'no-show released');
      return { result: 'done', changes: outcome.committed.changes };
    },

    async remind({ bookingId, start }) {
      return inTransaction(deps.conn, deps.tx, async (session): Promise<TimerOutcome> => {
        const doc = await bookings.findById(bookingId, session);
        if (!doc || doc.status !== 'active' || doc.start.getTime() !== start.getTime()) return 'stale';
        if (doc.remindedFor && doc.remindedFor.getTime() === start.getTime()) return 'stale';
        const now = clock.now();
        if (now.getTime() >= doc.start.getTime()) return 'stale'; // started: a reminder would come too late
        const rules = await guards.rulesInTx(doc.resourceId.toHexString(), session);
        const closes = checkInDeadline(doc, rules.policy.checkIn);
        // The marker and the entry commit together: one reminder entry per start, whatever crashes.
        await bookings.update(bookingId, { remindedFor: start }, session);
        await recorder.reminded(session, { bookingId, doc, at: now, checkInBy: closes });
        return 'done';
      });
    },
  };
}
