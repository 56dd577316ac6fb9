/**
 * Single booking changes (create, on-behalf create, cancel, modify), each under the resource's lock
 * (an optimisation) and in one fenced MongoDB transaction (the guarantee): see docs/design.md
 * "Booking". Admission is the shared pipeline (`booking.admission.ts`), where a single booking is
 * a series of one; the audit and outbox entries are the shared recorder's. Every change path
 * returns what it committed; the after-commit effects are run by `withAfterCommit`, not from here.
 * The root (`booking-core.ts`) composes these with the series and attendance operations.
 */
import mongoose from 'mongoose';
import type { ClientSession } from 'mongoose';
import { ErrorCode } from '@booking/shared';
import type { Booking } from '@booking/shared';
import type { Principal } from '../auth/auth.service';
import { AppError } from '../infra/errors';
import { objectIdOrNull } from '../infra/ids';
import { inTransaction } from '../infra/transactions';
import type { BookingDoc } from './booking.model';
import type { BookingParts } from './booking.parts';
import type { TxOutcome } from './booking.recorder';
import { peakOccupancy } from './occupancy';
import { ranOut, toWireBooking } from './booking.store';
import { approversOf } from './booking.approvals';
import { requestExpiry } from './approval.rules';
import type { BookingDeps, Committed, SingleOperations } from './booking.types';

export type { BookingDeps, BookingService, LockCounters, SeriesOperations, SingleOperations } from './booking.types';

/** The most audit events `booking:history` answers (as on `/admin`). */
const HISTORY_LIMIT = 1000;

type Input<K extends 'create' | 'cancel' | 'modify'> = Parameters<SingleOperations[K]>[0];

const replayed = ({ clock }: BookingDeps, doc: BookingDoc): Committed<Booking> => ({
  result: toWireBooking(doc, clock.now()),
  changes: [],
});

async function findOwned({ bookings }: BookingDeps, principal: Principal, bookingId: string): Promise<BookingDoc> {
  const doc = await bookings.findById(bookingId);
  if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
  if (principal.role !== 'staff' && doc.userId.toHexString() !== principal.id) {
    throw new AppError(ErrorCode.FORBIDDEN, 'not your booking');
  }
  return doc;
}

/**
 * Inside a transaction: the booking as the snapshot sees it, in a holding state (active, or held
 * or pending before its `expiresAt`) and not yet over.
 */
async function activeInTx(
  { bookings, clock }: Pick<BookingDeps, 'bookings' | 'clock'>,
  id: string,
  session: ClientSession,
): Promise<BookingDoc> {
  const doc = await bookings.findById(id, session);
  if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
  if (doc.status === 'expired' || ranOut(doc, clock.now()))
    throw new AppError(
      ErrorCode.INVALID_STATE,
      doc.status === 'pending' ? 'the request has expired' : 'the hold has expired',
    );
  if (doc.status === 'declined') throw new AppError(ErrorCode.INVALID_STATE, 'the request was declined');
  if (doc.status !== 'active' && doc.status !== 'held' && doc.status !== 'pending')
    throw new AppError(ErrorCode.INVALID_STATE, 'the booking is cancelled');
  if (doc.end.getTime() <= clock.now().getTime())
    throw new AppError(ErrorCode.INVALID_STATE, 'the booking is completed');
  return doc;
}

async function createBooking(
  deps: BookingDeps,
  parts: BookingParts,
  input: Input<'create'>,
): Promise<Committed<Booking>> {
  const { principal, resourceId, start, end, idempotencyKey, forUserId, hold, requestApproval, title } = input;
  const quantity = input.quantity ?? 1;
  const { bookings } = deps;
  const { guards, admission, recorder } = parts;
  const { withResourceLock, daysBefore, checkShape, checkWindow } = guards;
  checkShape(start, end);
  if (!objectIdOrNull(resourceId)) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
  const userId = forUserId ?? principal.id;
  if (!objectIdOrNull(userId)) throw new AppError(ErrorCode.NOT_FOUND, 'no such user');

  const staff = principal.role === 'staff';
  // The same key answers the first result, but only for the same request: a different
  // resource or interval under a used key is a client bug, not a repeat.
  const sameRequest = (prior: BookingDoc): BookingDoc => {
    if (
      prior.resourceId.toHexString() !== resourceId ||
      prior.start.getTime() !== start.getTime() ||
      prior.end.getTime() !== end.getTime() ||
      (prior.quantity ?? 1) !== quantity ||
      prior.title !== title
    ) {
      throw new AppError(ErrorCode.VALIDATION_ERROR, 'this idempotency key was used for another booking');
    }
    return prior;
  };
  const replay = async (): Promise<BookingDoc | null> => {
    const prior = idempotencyKey ? await bookings.findByKey(userId, idempotencyKey) : null;
    return prior ? sameRequest(prior) : null;
  };
  const first = await replay();
  if (first) return replayed(deps, first);
  checkWindow(start);

  const before = deps.availability.invalidate(resourceId, await daysBefore(resourceId, [{ start, end }]));
  let outcome: TxOutcome | { replayed: BookingDoc };
  try {
    outcome = await withResourceLock({
      resourceId,
      before,
      // A repeat of a request that just won is not a loser: let it through to replay. Overlap
      // first: once the winner's commit is visible there, the replay read sees it too.
      takenCheck: async () => {
        const free = await freeIfFull(deps, parts, { resourceId, start, end, quantity });
        return free !== null && !(await replay()) ? free : null;
      },
      run: () =>
        inTransaction(deps.conn, deps.tx, async (session): Promise<TxOutcome | { replayed: BookingDoc }> => {
          if (idempotencyKey) {
            // A concurrent request with the same key may have committed since the check above.
            const prior = await bookings.findByKey(userId, idempotencyKey, session);
            if (prior) return { replayed: sameRequest(prior) };
          }
          // Read, then fence. Both happen on one snapshot: if any change of this resource
          // commits after the snapshot, it bumped the fence too, so our bump conflicts and the
          // driver retries us on a fresh snapshot. A loser that sees the winner aborts without
          // writing anything, so it does not disturb the others. The pipeline uses the rules
          // the directory knows; the fence answers the snapshot's, and when a settings change
          // made those differ it runs again with them (same snapshot, so still exact).
          const { version, rules, pending } = await admission.admitSingle(session, {
            resourceId,
            userId,
            start,
            end,
            quantity,
            staff,
            countPerson: true,
            actorId: principal.id,
            actorGroups: principal.groups ?? [],
            ...(hold ? { hold } : {}),
            ...(requestApproval ? { requestApproval } : {}),
          });
          const now = deps.clock.now();
          // A hold runs out HOLD_MINUTES from its commit's clock, a request (v3; a hold asks at its
          // confirm) at the earlier of its start and expireHours: data-level facts every read honours.
          const state = hold
            ? { held: { expiresAt: new Date(now.getTime() + deps.holdMs) } }
            : pending
              ? { pending: { expiresAt: requestExpiry(rules.policy, now, start) } }
              : {};
          const type = hold ? 'booking.held' : pending ? 'booking.requested' : 'booking.confirmed';
          // The audit event goes in the booking's own document: one write for both.
          const doc = await bookings.insert(
            {
              resourceId,
              userId,
              start,
              end,
              quantity,
              ...(idempotencyKey ? { idempotencyKey } : {}),
              ...(title ? { title } : {}),
              ...state,
              firstEvent: recorder.firstEvent(type, principal, now),
            },
            session,
          );
          return recorder.change(session, {
            type,
            doc,
            version,
            zone: rules.timeZone,
            actor: principal,
            embedded: true,
            ...(pending && !hold ? { recipients: await approversOf(deps, rules, userId, session) } : {}),
          });
        }),
    });
  } catch (err) {
    // Same key raced past the in-transaction check: the unique index answers.
    if (err instanceof mongoose.mongo.MongoServerError && err.code === 11000) {
      const prior = await replay();
      if (prior) return replayed(deps, prior);
    }
    throw err;
  }
  if ('replayed' in outcome) return replayed(deps, outcome.replayed);
  return recorder.committed(outcome, hold ? 'held' : 'booked');
}

async function cancelBooking(
  deps: BookingDeps,
  parts: BookingParts,
  input: Input<'cancel'>,
): Promise<Committed<Booking>> {
  const { principal, bookingId } = input;
  const { bookings } = deps;
  const { guards, recorder, promotion } = parts;
  const { withResourceLock, daysBefore, fenceWithRules } = guards;
  const found = await findOwned(deps, principal, bookingId);
  const resourceId = found.resourceId.toHexString();
  const before = deps.availability.invalidate(resourceId, await daysBefore(resourceId, [found]));
  const outcome = await withResourceLock({
    resourceId,
    before,
    run: () =>
      inTransaction(deps.conn, deps.tx, async (session): Promise<TxOutcome> => {
        const { version, rules } = await fenceWithRules(resourceId, session);
        const current = await activeInTx(deps, bookingId, session);
        // The owner cancelling is the person's own choice; anyone else can only be staff.
        const cancelReason = current.userId.toHexString() === principal.id ? 'user' : 'staff';
        const doc = await bookings.update(bookingId, { status: 'cancelled', cancelReason }, session);
        if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
        // A cancelled offer's entry is done: it is not offered again (the units go to the next).
        if (current.waitlistEntryId)
          await deps.waitlist.transition(current.waitlistEntryId.toHexString(), 'offered', 'expired', session);
        const released = await recorder.change(session, {
          // A hold was never confirmed to anyone: nothing to tell, only the audit.
          type: current.status === 'held' ? null : 'booking.cancelled',
          action: 'cancel',
          doc,
          version,
          zone: rules.timeZone,
          actor: principal,
        });
        const offers = await promotion.promote(session, {
          resourceId,
          rules,
          span: { from: current.start, to: current.end },
        });
        return { ...released, offers };
      }),
  });
  return recorder.committed(outcome, 'released');
}

async function modifyBooking(
  deps: BookingDeps,
  parts: BookingParts,
  input: Input<'modify'>,
): Promise<Committed<Booking>> {
  const { principal, bookingId, start, end } = input;
  const { bookings } = deps;
  const { guards, admission, recorder, promotion } = parts;
  const { withResourceLock, daysBefore, checkShape, checkWindow } = guards;
  checkShape(start, end);
  checkWindow(start);
  const found = await findOwned(deps, principal, bookingId);
  const resourceId = found.resourceId.toHexString();
  const staff = principal.role === 'staff';
  const before = deps.availability.invalidate(resourceId, await daysBefore(resourceId, [found, { start, end }]));
  const outcome = await withResourceLock({
    resourceId,
    before,
    takenCheck: () =>
      freeIfFull(deps, parts, {
        resourceId,
        start,
        end,
        quantity: input.quantity ?? found.quantity ?? 1,
        excludeId: bookingId,
      }),
    run: () =>
      inTransaction(deps.conn, deps.tx, async (session): Promise<TxOutcome> => {
        const current = await activeInTx(deps, bookingId, session);
        const previous = { start: current.start, end: current.end };
        const userId = current.userId.toHexString();
        // As in create(), with the booking itself out of the way; a move adds no booking, so
        // the person's quota across resources does not apply.
        const excludeId = current._id.toHexString();
        const quantity = input.quantity ?? current.quantity ?? 1;
        const admitted = await admission.admitSingle(session, {
          resourceId,
          userId,
          start,
          end,
          quantity,
          staff,
          excludeId,
          countPerson: false,
          actorId: principal.id,
          actorGroups: principal.groups ?? [],
          ...(input.requestApproval ? { requestApproval: true } : {}),
        });
        const { version, rules } = admitted;
        // (v3) A move that needs approval is a request again at its new interval (a hold stays a
        // hold), and so is a moved request: undecided, it asks again at its new time.
        const asks = (admitted.pending || current.status === 'pending') && current.status !== 'held';
        // A check-in is attendance at one interval: a booking moved or resized must be checked
        // in again at its new time, or its no-show timer releases it (docs/protocol.md v3).
        const moved = current.start.getTime() !== start.getTime() || current.end.getTime() !== end.getTime();
        const request = asks
          ? {
              status: 'pending' as const,
              expiresAt: requestExpiry(rules.policy, deps.clock.now(), start),
              requested: true,
            }
          : {};
        // (v3) The title: absent keeps it, null (or '') clears it, a string replaces it.
        const { title } = input;
        const doc = await bookings.update(
          bookingId,
          { start, end, quantity, ...request, ...(title ? { title } : {}) },
          session,
          { ...(moved ? { clearCheckIn: true } : {}), ...(title === null ? { clearTitle: true } : {}) },
        );
        if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
        const changed = await recorder.change(session, {
          // A hold moves silently (nothing was confirmed to anyone yet); its expiry stays.
          type: current.status === 'held' ? null : asks ? 'booking.requested' : 'booking.modified',
          action: 'modify',
          doc,
          version,
          previous,
          zone: rules.timeZone,
          actor: principal,
          ...(asks ? { recipients: await approversOf(deps, rules, userId, session) } : {}),
        });
        // Moving away (or taking fewer units) frees some of the old interval: offered in this commit.
        const offers = await promotion.promote(session, {
          resourceId,
          rules,
          span: { from: previous.start, to: previous.end },
        });
        return { ...changed, offers };
      }),
  });
  return recorder.committed(outcome, 'moved');
}

/**
 * The quick answer while waiting for the lock, read outside the transaction with the rules this
 * node knows: the units free over the slot (buffers counted, as SLOT_TAKEN's `available`) when it
 * does not fit even without buffers, else null (the transaction decides). At capacity 1 any
 * overlap means taken: one indexed query. On a pool the cached availability answers first (no
 * MongoDB read while the slot fits, which is what a busy pool's waiters mostly hear); only a
 * "full" from it is read again from MongoDB, so a stale cache never refuses a booking.
 */
async function freeIfFull(
  deps: BookingDeps,
  parts: BookingParts,
  a: { resourceId: string; start: Date; end: Date; quantity: number; excludeId?: string },
): Promise<number | null> {
  const { capacity, policy, timeZone } = await parts.guards.knownRules(a.resourceId);
  const now = deps.clock.now();
  if (capacity === 1) return (await deps.bookings.overlapExists({ ...a, now })) ? 0 : null;
  const gap = policy.bufferMinutes * 60_000;
  const [start, end] = [a.start.getTime(), a.end.getTime()];
  const from = new Date(start - gap);
  const to = new Date(end + gap);
  const cached = await deps.availability.busyBetween({ id: a.resourceId, timeZone }, from, to);
  const hint = cached.busy.map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end), quantity: b.quantity }));
  // The cache lists the booking being modified too: if it fits even so, it fits.
  if (capacity - peakOccupancy(hint, start, end) >= a.quantity) return null;
  const rows = await deps.bookings.activeBetween(a.resourceId, from, to, now);
  const held = rows.filter((r) => r.id !== a.excludeId);
  const occupants = held.map((r) => ({ start: r.start.getTime(), end: r.end.getTime(), quantity: r.quantity }));
  if (capacity - peakOccupancy(occupants, start, end) >= a.quantity) return null;
  const buffered = occupants.map((o) => ({ ...o, end: o.end + gap }));
  return Math.max(0, capacity - peakOccupancy(buffered, start, end + gap));
}

export function createSingleOperations(deps: BookingDeps, parts: BookingParts): SingleOperations {
  return {
    create: (input) => createBooking(deps, parts, input),
    cancel: (input) => cancelBooking(deps, parts, input),
    modify: (input) => modifyBooking(deps, parts, input),
    async mine(principal) {
      const now = deps.clock.now();
      const docs = await deps.bookings.mine(principal.id, now, 500);
      return docs.map((d) => toWireBooking(d, now));
    },
    async history(principal, bookingId) {
      // Someone else's booking is not there for the caller (NOT_FOUND, not FORBIDDEN: its existence is not told).
      const doc = await deps.bookings.findById(bookingId);
      if (!doc || doc.userId.toHexString() !== principal.id) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
      return deps.history.of(bookingId, HISTORY_LIMIT);
    },
  };
}
