/**
 * (v3) Approval's rules, pure (docs/protocol.md "Approval"): who approves a resource's requests,
 * when a booking becomes a `pending` request, which refusals an approver may override, and when an
 * undecided request runs out. Admission (`booking.admission.ts`) and the decisions
 * (`booking.approvals.ts`) both ask here, so the answer is spelled once.
 */
import { APPROVABLE_RULES, mayAccess } from '@booking/shared';
import type { Policy, ResourceAccess } from '@booking/shared';

/** Who acts: the approver check needs the person, whether they are staff, and (v3) their groups. */
export interface Actor {
  id: string;
  staff: boolean;
  /** The person's group ids: with the resource's `access`, whether they manage it. */
  groups?: readonly string[];
}

/**
 * Staff approve every resource; anyone else the resources that name them and (v3) those they
 * manage (one of their groups in `access.managers`; only when the caller passes `access`).
 */
export function isApprover(policy: Pick<Policy, 'approval'>, actor: Actor, access?: ResourceAccess | null): boolean {
  if (actor.staff || (policy.approval?.approverIds.includes(actor.id) ?? false)) return true;
  return (
    access !== undefined && access !== null && mayAccess({ role: 'user', groups: actor.groups ?? [] }, access, 'manage')
  );
}

/**
 * How approval applies to one booking by `actor`: `always`, it becomes a request; `outsidePolicy`,
 * an approvable refusal says so (and with `requested`, becomes a request instead); `none` for
 * approvers and for resources without approval.
 */
export interface ApprovalTerms {
  mode: 'none' | 'always' | 'outsidePolicy';
  /** The command asked for approval (`requestApproval: true`). */
  requested: boolean;
}

export function approvalTerms(
  rules: { policy: Pick<Policy, 'approval'>; access?: ResourceAccess | null },
  actor: Actor,
  requested = false,
): ApprovalTerms {
  const approval = rules.policy.approval;
  if (!approval || isApprover(rules.policy, actor, rules.access ?? null)) return { mode: 'none', requested };
  return { mode: approval.required, requested };
}

/** A refusal an approver may override: an approvable policy rule, or a booking quota (not holds or waitlist). */
export function approvableRefusal(r: { code: string; rule?: string; scope?: string }): boolean {
  if (r.code === 'POLICY_VIOLATION') return APPROVABLE_RULES.some((rule) => rule === r.rule);
  return r.code === 'QUOTA_EXCEEDED' && (r.scope === 'user' || r.scope === 'resource');
}

/**
 * The policy an overridden request is still judged by: the approvable rules opened up (any
 * duration the shape allows, no notice, the furthest advance, open around the clock); the grid,
 * the buffer and `past` stay.
 */
export function relaxedPolicy(policy: Policy): Policy {
  return {
    ...policy,
    openingHours: null,
    closures: [],
    minMinutes: 1,
    maxMinutes: 10_080,
    minNoticeMinutes: 0,
    maxAdvanceDays: 730,
  };
}

/** When an undecided request runs out: the earlier of its start and now + `expireHours` (fractions allowed). */
export function requestExpiry(policy: Pick<Policy, 'approval'>, now: Date, start: Date): Date {
  const hours = policy.approval?.expireHours ?? 72;
  return new Date(Math.min(start.getTime(), now.getTime() + Math.round(hours * 3_600_000)));
}
