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
import type { ClientSession } from 'mongoose';
import { CHECK_IN_EARLY_MINUTES, checkInDeadline, ErrorCode } from '@booking/shared';
import type { Booking } from '@booking/shared';
import type { Principal } from '../auth/auth.service';
import { AppError } from '../infra/errors';
import { inTransaction } from '../infra/transactions';
import type { OutboxStore } from '../notifications/outbox.store';
import type { Committed } from './booking.effects';
import type { BookingDoc } from './booking.model';
import type { BookingGuards } from './booking.guards';
import type { BookingDeps } from './booking.service';
import { toWireBooking } from './booking.store';

/** What a fired timer did: acted, found it no longer applies, or fired before its time. */
export type TimerOutcome = 'done' | 'stale' | 'early';

export interface AttendanceOperations {
  checkIn(input: { principal: Principal; bookingId: string }): Promise<Committed<Booking>>;
  /**
   * Releases the booking as a no-show if, as the transaction sees it, it is active, not checked
   * in, its check-in window closes at `deadline` (the timer's own instant: a moved booking or a
   * changed window has another timer) and that moment has passed.
   */
  releaseNoShow(input: { bookingId: string; deadline: Date }): Promise<Committed<TimerOutcome>>;
  /** Records the `booking.reminder` outbox entry once per start, if the booking still starts at `start` and has not started. */
  remind(input: { bookingId: string; start: Date }): Promise<TimerOutcome>;
}

/** The booking service's own steps that the attendance operations share. */
export interface AttendanceSteps {
  /** The outbox entry, the audit event and the touched days, inside the transaction. */
  recordRelease(session: ClientSession, o: { doc: BookingDoc; version: number; zone: string; checkInBy: Date }): Promise<Committed<Booking>>;
}

type Deps = BookingDeps & { outbox: Pick<OutboxStore, 'append' | 'lastVersion'> };

export function createAttendanceOperations(deps: Deps, guards: BookingGuards, steps: AttendanceSteps): AttendanceOperations {
  const { bookings, clock } = deps;
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
          throw new AppError(ErrorCode.INVALID_STATE, `check-in opens ${CHECK_IN_EARLY_MINUTES} minutes before the start`);
        }
        if (current.checkedInAt) return current; // a repeat answers the same booking
        const updated = await bookings.update(bookingId, { checkedInAt: now }, session);
        if (!updated) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
        await deps.history.append(
          {
            bookingId,
            at: now,
            action: 'checkIn',
            actor: { id: principal.id, name: principal.name, role: principal.role },
            start: updated.start,
            end: updated.end,
            status: updated.status,
          },
          session,
        );
        return updated;
      });
      // Nothing about the slot changed: no broadcast, no notification.
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
            const released = await bookings.update(bookingId, { status: 'cancelled', cancelReason: 'no-show' }, session);
            if (!released) return { kind: 'stale' };
            return { kind: 'done', committed: await steps.recordRelease(session, { doc: released, version, zone: rules.timeZone, checkInBy: closes }) };
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
        await deps.outbox.append(
          {
            type: 'booking.reminder',
            bookingId,
            userId: doc.userId.toHexString(),
            resourceId: doc.resourceId.toHexString(),
            start: doc.start,
            end: doc.end,
            // Not a change: the calendar event keeps the sequence of the booking's last change.
            version: await deps.outbox.lastVersion(bookingId, session),
            createdAt: now,
            ...(doc.seriesId ? { seriesId: doc.seriesId.toHexString(), recurrenceId: doc.recurrenceId ?? doc.start } : {}),
            ...(closes ? { checkInBy: closes } : {}),
          },
          session,
        );
        return 'done';
      });
    },
  };
}
