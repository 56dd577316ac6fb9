/**
 * The waitlist's commands (docs/protocol.md "Waitlist"): join, leave, mine. Offers are not made
 * here: they are made by the booking change that frees units, in its own transaction
 * (`booking/booking.promotion.ts`).
 *
 * A join runs in a transaction that writes the resource document (`touch`, which leaves its version
 * alone), as every freeing change does with its fence: a join and a concurrent cancel conflict and
 * one is retried on a fresh snapshot. So an entry never starts waiting for units that a cancel has
 * just freed without offering them ("no freed unit is left unoffered while a fitting entry
 * waits"): either the cancel saw the entry and offered, or the join sees the freed units and
 * answers that the slot is free. The person's waiting entries are counted under the person's fence
 * (two joins on two resources conflict there), as their bookings are.
 */
import mongoose from 'mongoose';
import type { ClientSession } from 'mongoose';
import { ErrorCode, policyViolation } from '@booking/shared';
import type { WaitlistEntry } from '@booking/shared';
import type { Principal } from '../auth/auth.service';
import type { UserStore } from '../auth/user.store';
import { CAPACITY_STEPS, capacityFacts, judge, refusalError } from '../booking/booking.admission';
import { checkShape, checkWindow } from '../booking/booking.guards';
import type { BookingStore } from '../booking/booking.store';
import type { Clock } from '../infra/clock';
import { AppError } from '../infra/errors';
import { objectIdOrNull } from '../infra/ids';
import { inTransaction } from '../infra/transactions';
import type { TxCounters } from '../infra/transactions';
import type { ResourceRules, ResourceStore } from '../resources/resource.store';
import { toWireEntry } from './waitlist.store';
import type { NewEntry, WaitlistStore } from './waitlist.store';

/** How many entries one person may have waiting at once. */
export const MAX_WAITING_PER_USER = 10;

export interface WaitlistService {
  join(input: { principal: Principal } & Omit<NewEntry, 'userId'>): Promise<WaitlistEntry>;
  leave(input: { principal: Principal; entryId: string }): Promise<WaitlistEntry>;
  /** Newest first, at most 200. */
  mine(principal: Principal): Promise<WaitlistEntry[]>;
}

export interface WaitlistDeps {
  conn: mongoose.Connection;
  tx: TxCounters;
  waitlist: WaitlistStore;
  bookings: Pick<BookingStore, 'activeBetween' | 'countActiveFuture'>;
  resources: Pick<ResourceStore, 'touch'>;
  users: Pick<UserStore, 'fence'>;
  /** `MAX_ACTIVE_BOOKINGS_PER_USER`. */
  maxActivePerUser: number;
  clock: Clock;
}

/** The request's shape and hard window, in constant time, before any read. */
function checkRequest(e: Omit<NewEntry, 'userId'>, now: Date): void {
  checkShape(e.start, e.end);
  checkWindow(e.start, now);
  if (!objectIdOrNull(e.resourceId)) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
}

/** Inside the join's transaction: refuses what a booking of this slot would be refused for, except that it is full. */
async function checkAsBooking(
  deps: WaitlistDeps,
  session: ClientSession,
  a: { rules: ResourceRules; entry: NewEntry; staff: boolean; now: Date },
): Promise<void> {
  const { rules, entry, now } = a;
  const rule = policyViolation({
    policy: rules.policy,
    timeZone: rules.timeZone,
    start: entry.start,
    end: entry.end,
    now,
    staff: a.staff,
  });
  if (rule) throw refusalError({ code: 'POLICY_VIOLATION', rule });
  const gap = rules.policy.bufferMinutes * 60_000;
  const rows = await deps.bookings.activeBetween(
    entry.resourceId,
    new Date(entry.start.getTime() - gap),
    new Date(entry.end.getTime() + gap),
    now,
    session,
  );
  const refusal = judge([entry], capacityFacts(rules, now, rows), CAPACITY_STEPS)[0]?.refusal ?? null;
  // Too many units for the resource at all: the booking's own answer.
  if (refusal?.code === 'VALIDATION_ERROR') throw refusalError(refusal);
  if (!refusal) throw new AppError(ErrorCode.INVALID_STATE, 'the slot is free: book it instead');
}

/** Inside the join's transaction, under the person's fence: the waitlist's and the bookings' quotas. */
async function checkQuotas(
  deps: WaitlistDeps,
  session: ClientSession,
  a: { rules: ResourceRules; entry: NewEntry; staff: boolean; now: Date },
): Promise<void> {
  const { entry, now } = a;
  if (!(await deps.users.fence(entry.userId, session))) throw new AppError(ErrorCode.NOT_FOUND, 'no such user');
  if ((await deps.waitlist.countWaiting(entry.userId, now, session)) >= MAX_WAITING_PER_USER)
    throw new AppError(ErrorCode.QUOTA_EXCEEDED, `at most ${MAX_WAITING_PER_USER} waitlist entries per person`, {
      details: { scope: 'waitlist', limit: MAX_WAITING_PER_USER },
    });
  // An offer is a booking of this person: the booking quotas apply when they ask, as for a booking.
  const limit = a.staff ? null : a.rules.policy.maxActivePerUser;
  if (limit !== null) {
    const here = await deps.bookings.countActiveFuture(
      { userId: entry.userId, resourceId: entry.resourceId, now },
      session,
    );
    if (here >= limit) throw refusalError({ code: 'QUOTA_EXCEEDED', scope: 'resource', limit });
  }
  if ((await deps.bookings.countActiveFuture({ userId: entry.userId, now }, session)) >= deps.maxActivePerUser)
    throw refusalError({ code: 'QUOTA_EXCEEDED', scope: 'user', limit: deps.maxActivePerUser });
  if (await deps.waitlist.sameRequest(entry, session))
    throw new AppError(ErrorCode.INVALID_STATE, 'you are already waiting for this resource at that time');
}

export function createWaitlistService(deps: WaitlistDeps): WaitlistService {
  const { clock } = deps;
  return {
    async join({ principal, ...request }) {
      checkRequest(request, clock.now());
      const entry: NewEntry = { ...request, userId: principal.id };
      const staff = principal.role === 'staff';
      const doc = await inTransaction(deps.conn, deps.tx, async (session) => {
        const rules = await deps.resources.touch(entry.resourceId, session);
        if (!rules) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
        const now = clock.now();
        await checkAsBooking(deps, session, { rules, entry, staff, now });
        await checkQuotas(deps, session, { rules, entry, staff, now });
        return deps.waitlist.insert(entry, now, session);
      });
      return toWireEntry(doc, clock.now());
    },

    async leave({ principal, entryId }) {
      const found = await deps.waitlist.findById(entryId);
      if (!found) throw new AppError(ErrorCode.NOT_FOUND, 'no such waitlist entry');
      if (principal.role !== 'staff' && found.userId.toHexString() !== principal.id)
        throw new AppError(ErrorCode.FORBIDDEN, 'not your waitlist entry');
      // A compare-and-set: a promotion offering this entry at the same moment conflicts with it.
      const left = await inTransaction(deps.conn, deps.tx, (session) =>
        deps.waitlist.transition(entryId, 'waiting', 'left', session),
      );
      if (!left) throw new AppError(ErrorCode.INVALID_STATE, 'the entry is no longer waiting');
      return toWireEntry(left, clock.now());
    },

    async mine(principal) {
      const now = clock.now();
      return (await deps.waitlist.ofUser(principal.id, 200)).map((d) => toWireEntry(d, now));
    },
  };
}
