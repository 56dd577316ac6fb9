/**
 * (v3) Decisions on requests (docs/protocol.md "Approval"; docs/design.md "Lifecycle"): an approver
 * approves a `pending` booking (`active`) or declines it (`declined`, its units offered to the
 * waitlist in the same commit); `approvals` is the list they decide from. An undecided request
 * runs out at its `expiresAt` like a hold (`booking.holds.ts` stores `expired`).
 *
 * Every decision is a compare-and-set under the fence: it bumps the resource's version on the
 * snapshot where the booking is still pending, so two approvers (or an approver and the expiry
 * timer) conflict, the retried one finds the booking decided and answers INVALID_STATE. Exactly
 * one decision wins however many nodes and sockets try at once.
 */
import type { ClientSession } from 'mongoose';
import { ErrorCode } from '@booking/shared';
import type { AdminBooking, Booking, Policy, ResourceAccess } from '@booking/shared';
import type { Principal } from '../auth/auth.service';
import { AppError } from '../infra/errors';
import { objectIdOrNull } from '../infra/ids';
import { inTransaction } from '../infra/transactions';
import { isApprover } from './approval.rules';
import type { Actor } from './approval.rules';
import type { BookingParts } from './booking.parts';
import type { TxOutcome } from './booking.recorder';
import { ranOut, toWireBooking } from './booking.store';
import type { ApprovalOperations, BookingDeps, Committed } from './booking.types';

/** Staff told of a request at most (the oldest accounts first); the resource's named approvers always are. */
const MAX_STAFF_TOLD = 50;
/** Requests one `approvals:list` answers at most. */
const MAX_LISTED = 200;

/**
 * Who hears of a request on a resource with this policy: its named approvers and the staff, read
 * on the request's own snapshot; never the person who asked.
 */
/** What decides a resource's approvers: its policy's named approvers and (v3) its managers. */
export type ApproverRules = { policy: Pick<Policy, 'approval'>; access?: ResourceAccess | null };

export async function approversOf(
  deps: Pick<BookingDeps, 'users'>,
  rules: ApproverRules,
  ownerId: string,
  session: ClientSession,
): Promise<string[]> {
  const staff = await deps.users.staffIds(MAX_STAFF_TOLD, session);
  const named = rules.policy.approval?.approverIds ?? [];
  // (v3) The resource's managers approve it too: the oldest members of its managers groups.
  const managerGroups = rules.access?.managers ?? [];
  const managers = managerGroups.length > 0 ? await deps.users.inGroups(managerGroups, MAX_STAFF_TOLD, session) : [];
  return [...new Set([...named, ...staff, ...managers])].filter((id) => id !== ownerId);
}

const actorOf = (principal: Principal): Actor => ({
  id: principal.id,
  staff: principal.role === 'staff',
  groups: principal.groups ?? [],
});

type Verdict = { approve: true } | { approve: false; reason?: string };

async function decide(
  deps: BookingDeps,
  parts: BookingParts,
  a: { principal: Principal; bookingId: string; verdict: Verdict },
): Promise<Committed<Booking>> {
  const { bookings, clock } = deps;
  const { guards, recorder, promotion } = parts;
  const actor = actorOf(a.principal);
  const found = await bookings.findById(a.bookingId);
  if (!found) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
  const resourceId = found.resourceId.toHexString();
  // (v3) Managers approve too: who manages comes from the resource's access as this node knows it.
  const access = (await deps.directory.get(resourceId))?.access ?? null;
  // Refused at once by the rules this node knows; decided by the fenced ones below.
  if (!isApprover((await guards.knownRules(resourceId)).policy, actor, access))
    throw new AppError(ErrorCode.FORBIDDEN, 'you do not approve bookings of this resource');
  const before = deps.availability.invalidate(resourceId, await guards.daysBefore(resourceId, [found]));
  const outcome = await guards.withResourceLock({
    resourceId,
    before,
    run: () =>
      inTransaction(deps.conn, deps.tx, async (session): Promise<TxOutcome> => {
        const { version, rules } = await guards.fenceWithRules(resourceId, session);
        if (!isApprover(rules.policy, actor, access))
          throw new AppError(ErrorCode.FORBIDDEN, 'you do not approve bookings of this resource');
        const current = await bookings.findById(a.bookingId, session);
        if (!current) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
        if (current.status !== 'pending') throw new AppError(ErrorCode.INVALID_STATE, 'the request is already decided');
        if (ranOut(current, clock.now())) throw new AppError(ErrorCode.INVALID_STATE, 'the request has expired');
        const decidedBy = objectIdOrNull(a.principal.id) ?? undefined;
        const doc = a.verdict.approve
          ? await bookings.update(a.bookingId, { status: 'active', ...(decidedBy ? { decidedBy } : {}) }, session, {
              clearExpiry: true,
            })
          : await bookings.update(
              a.bookingId,
              {
                status: 'declined',
                ...(decidedBy ? { decidedBy } : {}),
                ...(a.verdict.reason ? { declineReason: a.verdict.reason } : {}),
              },
              session,
            );
        if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
        const changed = await recorder.change(session, {
          type: a.verdict.approve ? 'booking.approved' : 'booking.declined',
          doc,
          version,
          zone: rules.timeZone,
          actor: a.principal,
        });
        if (a.verdict.approve) return changed;
        // A decline frees the request's units: offered to the waitlist in this commit.
        const offers = await promotion.promote(session, {
          resourceId,
          rules,
          span: { from: current.start, to: current.end },
        });
        return { ...changed, offers };
      }),
  });
  return recorder.committed(outcome, a.verdict.approve ? 'confirmed' : 'released');
}

export function createApprovalOperations(deps: BookingDeps, parts: BookingParts): ApprovalOperations {
  return {
    approve: ({ principal, bookingId }) => decide(deps, parts, { principal, bookingId, verdict: { approve: true } }),
    decline: ({ principal, bookingId, reason }) =>
      decide(deps, parts, {
        principal,
        bookingId,
        verdict: { approve: false, ...(reason ? { reason } : {}) },
      }),
    async approvals(principal) {
      const now = deps.clock.now();
      const actor = actorOf(principal);
      // Staff decide every resource's requests; anyone else those of the resources naming them or they manage.
      const resourceIds = actor.staff
        ? null
        : (await deps.directory.all()).filter((r) => isApprover(r.policy, actor, r.access)).map((r) => r.id);
      if (resourceIds && resourceIds.length === 0) return [];
      const docs = await deps.bookings.pendingRequests({ now, resourceIds, limit: MAX_LISTED });
      const names = await deps.users.names(docs.map((d) => d.userId.toHexString()));
      return docs.map((d): AdminBooking => {
        const b = toWireBooking(d, now);
        return { ...b, userName: names.get(b.userId) ?? '(deleted user)' };
      });
    },
  };
}
