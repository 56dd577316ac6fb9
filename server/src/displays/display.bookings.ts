/**
 * (v3) What a room display does to bookings, as its service account, under its resource's policy:
 * a walk-in from now, extending or ending early the current booking, and checking it in on its
 * owner's behalf. Each takes the booking path's guarded steps (the resource's lock as a hint, the
 * fence, the admission steps, the recorder's audit and outbox entries, the waitlist promotion, all
 * in one transaction) but judges the interval as of its own start: the current booking began
 * before now and a walk-in starts at the grid line before now, which the `past` rule of a person's
 * booking would refuse; `notice` and `advance` do not apply (as for staff), quotas neither (the
 * service account books for whoever stands at the door). Everything else applies: the grid,
 * duration, opening hours, closures, buffers, and capacity (`SLOT_TAKEN`). Approval does not:
 * a display's walk-in is confirmed at once, and checked in (the person is at the door).
 */
import { ErrorCode, localParts } from '@booking/shared';
import type { Booking } from '@booking/shared';
import type { ClientSession } from 'mongoose';
import type { Principal } from '../infra/contract';
import { AppError } from '../infra/errors';
import { inTransaction } from '../infra/transactions';
import type { ResourceRules } from '../resources/resource.store';
import { refusalError } from '../booking/admission.types';
import { ADMISSION_STEPS, judge } from '../booking/booking.admission';
import type { BookingDoc } from '../booking/booking.model';
import type { BookingParts } from '../booking/booking.parts';
import { toWireBooking } from '../booking/booking.store';
import type { BookingDeps, Committed } from '../booking/booking.types';

/** The title of every walk-in booking (the contract's literal). */
export const WALK_IN_TITLE = 'Walk-in';

const MINUTE_MS = 60_000;

/** The grid line at or before `t` (local wall-clock minutes from midnight, as the policy counts them). */
export function floorToGrid(t: number, slotMinutes: number, zone: string): number {
  const whole = t - (((t % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
  return whole - (localParts(whole, zone).minute % slotMinutes) * MINUTE_MS;
}

/** The grid line at or after `t`. */
export function ceilToGrid(t: number, slotMinutes: number, zone: string): number {
  const floor = floorToGrid(t, slotMinutes, zone);
  return floor === t ? t : floor + slotMinutes * MINUTE_MS;
}

export interface DisplayRef {
  principal: Principal;
  resourceId: string;
}

export interface DisplayBookingOps {
  walkIn(input: DisplayRef & { minutes: number }): Promise<Committed<Booking>>;
  extend(input: DisplayRef & { bookingId: string; minutes: number }): Promise<Committed<Booking>>;
  endEarly(input: DisplayRef & { bookingId: string }): Promise<Committed<Booking>>;
  checkIn(input: DisplayRef & { bookingId: string }): Promise<Committed<Booking>>;
}

/** The steps the display's commands share: the judgement as of a start, the current booking, a move of its end. */
function createDisplaySteps(deps: BookingDeps, parts: BookingParts) {
  const { bookings, clock } = deps;
  const { guards, recorder, promotion } = parts;

  /** Refuses `[start, end)` unless it fits, judged as of its start (see the header). */
  async function admit(
    session: ClientSession,
    a: { resourceId: string; rules: ResourceRules; start: Date; end: Date; quantity: number; excludeId?: string },
  ): Promise<void> {
    const gap = a.rules.policy.bufferMinutes * MINUTE_MS;
    const rows = await bookings.activeBetween(
      a.resourceId,
      new Date(a.start.getTime() - gap),
      new Date(a.end.getTime() + gap),
      clock.now(),
      session,
    );
    const taken = rows
      .filter((r) => r.id !== a.excludeId)
      .map((r) => ({ start: r.start.getTime(), end: r.end.getTime(), quantity: r.quantity }));
    const facts = {
      rules: a.rules,
      now: a.start,
      staff: true,
      taken,
      capacity: a.rules.capacity,
      here: null,
      person: null,
    };
    const [verdict] = judge([{ start: a.start, end: a.end, quantity: a.quantity }], facts, ADMISSION_STEPS);
    if (verdict?.refusal) throw refusalError(verdict.refusal);
  }

  /** The booking, if it is this display's current one (active, covering now), else INVALID_STATE. */
  async function currentOf(resourceId: string, bookingId: string, session?: ClientSession): Promise<BookingDoc> {
    const doc = await bookings.findById(bookingId, session);
    const now = clock.now().getTime();
    if (
      !doc ||
      doc.resourceId.toHexString() !== resourceId ||
      doc.status !== 'active' ||
      doc.start.getTime() > now ||
      doc.end.getTime() <= now
    ) {
      throw new AppError(ErrorCode.INVALID_STATE, 'not the current booking of this display');
    }
    return doc;
  }

  /** Moves the current booking's end under the lock, in one transaction with its records (and offers when it shrinks). */
  async function moveEnd(
    ref: DisplayRef & { bookingId: string },
    endOf: (current: BookingDoc, rules: ResourceRules) => Date,
  ): Promise<Committed<Booking>> {
    const { resourceId, bookingId, principal } = ref;
    const found = await currentOf(resourceId, bookingId);
    const known = await guards.knownRules(resourceId);
    const before = deps.availability.invalidate(
      resourceId,
      await guards.daysBefore(resourceId, [found, { start: found.start, end: endOf(found, known) }]),
    );
    const outcome = await guards.withResourceLock({
      resourceId,
      before,
      run: () =>
        inTransaction(deps.conn, deps.tx, async (session) => {
          const current = await currentOf(resourceId, bookingId, session);
          const rules = await guards.rulesInTx(resourceId, session);
          const end = endOf(current, rules);
          if (end.getTime() === current.end.getTime()) return null; // nothing to change
          const { version } = await guards.fenceWithRules(resourceId, session);
          const quantity = current.quantity ?? 1;
          const previous = { start: current.start, end: current.end };
          // Longer: judged like a booking of the whole new interval. Shorter: it only frees time.
          if (end > current.end)
            await admit(session, { resourceId, rules, start: current.start, end, quantity, excludeId: bookingId });
          // The same attendance, a different end: a check-in stays (the person is in the room).
          const doc = await bookings.update(bookingId, { end }, session);
          if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
          const changed = await recorder.change(session, {
            type: 'booking.modified',
            action: 'modify',
            doc,
            version,
            previous,
            zone: rules.timeZone,
            actor: principal,
          });
          // Ended early: the rest of its time goes to the waitlist in this commit.
          const offers =
            end < previous.end
              ? await promotion.promote(session, { resourceId, rules, span: { from: end, to: previous.end } })
              : [];
          return { ...changed, offers };
        }),
    });
    if (!outcome) return { result: toWireBooking(found, clock.now()), changes: [] };
    return recorder.committed(outcome, 'moved');
  }

  return { admit, currentOf, moveEnd };
}

export function createDisplayBookings(deps: BookingDeps, parts: BookingParts): DisplayBookingOps {
  const { bookings, clock } = deps;
  const { guards, recorder } = parts;
  const { admit, currentOf, moveEnd } = createDisplaySteps(deps, parts);

  return {
    async walkIn({ principal, resourceId, minutes }) {
      const known = await guards.knownRules(resourceId);
      const span = (rules: ResourceRules) => {
        const { slotMinutes } = rules.policy;
        const start = floorToGrid(clock.now().getTime(), slotMinutes, rules.timeZone);
        return {
          start: new Date(start),
          end: new Date(ceilToGrid(start + minutes * MINUTE_MS, slotMinutes, rules.timeZone)),
        };
      };
      const guess = span(known);
      guards.checkShape(guess.start, guess.end);
      const before = deps.availability.invalidate(resourceId, await guards.daysBefore(resourceId, [guess]));
      const outcome = await guards.withResourceLock({
        resourceId,
        before,
        run: () =>
          inTransaction(deps.conn, deps.tx, async (session) => {
            const { version, rules } = await guards.fenceWithRules(resourceId, session);
            const { start, end } = span(rules);
            await admit(session, { resourceId, rules, start, end, quantity: 1 });
            const inserted = await bookings.insert(
              { resourceId, userId: principal.id, start, end, quantity: 1, title: WALK_IN_TITLE },
              session,
            );
            // Booked by whoever stands at the door: present, so checked in at once.
            const doc =
              (await bookings.update(inserted._id.toHexString(), { checkedInAt: clock.now() }, session)) ?? inserted;
            return recorder.change(session, {
              type: 'booking.confirmed',
              doc,
              version,
              zone: rules.timeZone,
              actor: principal,
            });
          }),
      });
      return recorder.committed(outcome, 'booked');
    },

    extend: (ref) =>
      moveEnd(
        ref,
        (current, rules) =>
          new Date(
            ceilToGrid(current.end.getTime() + ref.minutes * MINUTE_MS, rules.policy.slotMinutes, rules.timeZone),
          ),
      ),

    endEarly: (ref) =>
      moveEnd(ref, (current, rules) => {
        const { slotMinutes } = rules.policy;
        const now = ceilToGrid(clock.now().getTime(), slotMinutes, rules.timeZone);
        // At its very first instant the earliest end is one grid step after its start.
        const end = Math.max(now, current.start.getTime() + slotMinutes * MINUTE_MS);
        return new Date(Math.min(end, current.end.getTime()));
      }),

    async checkIn({ principal, resourceId, bookingId }) {
      const doc = await inTransaction(deps.conn, deps.tx, async (session): Promise<BookingDoc> => {
        const current = await currentOf(resourceId, bookingId, session);
        if (current.checkedInAt) return current; // a repeat answers the same booking
        const rules = await guards.rulesInTx(resourceId, session);
        const now = clock.now();
        const closes = rules.policy.checkIn
          ? current.start.getTime() + rules.policy.checkIn.windowMinutes * MINUTE_MS
          : null;
        if (closes !== null && now.getTime() >= closes)
          throw new AppError(ErrorCode.INVALID_STATE, 'the check-in window has closed');
        const updated = await bookings.update(bookingId, { checkedInAt: now }, session);
        if (!updated) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
        // As a person's check-in: the committed version (not bumped), the display's account as the actor.
        const version = (await deps.resources.version(resourceId)) ?? 0;
        await recorder.checkedIn(session, { bookingId, doc: updated, actor: principal, at: now, version });
        return updated;
      });
      return { result: toWireBooking(doc, clock.now()), changes: [] };
    },
  };
}
