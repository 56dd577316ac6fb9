/**
 * Admission's vocabulary (split from `booking.admission.ts`, which judges): why it refuses a
 * candidate and the error each refusal answers (the code, its details, and (v3) `approvable` when
 * the person may ask an approver to override it instead); what a single booking asks of it and
 * what it answers; the interface the change paths call.
 */
import { ErrorCode } from '@booking/shared';
import type { PolicyRule } from '@booking/shared';
import type { ClientSession } from 'mongoose';
import { AppError, zodDetails } from '../infra/errors';
import type { ResourceRules } from '../resources/resource.store';
import type { ApprovalTerms } from './approval.rules';
import type { Candidate, Judged } from './booking.admission';

/**
 * Why a candidate is refused: the code (and its details) a command answers; (v3) `approvable` when
 * the person could ask an approver to override it (`requestApproval`).
 */
export type Refusal = (
  | { code: 'VALIDATION_ERROR'; capacity: number }
  | { code: 'SLOT_TAKEN'; available: number }
  | { code: 'POLICY_VIOLATION'; rule: PolicyRule }
  | { code: 'QUOTA_EXCEEDED'; scope: 'user' | 'resource' | 'holds'; limit: number }
) & { approvable?: true };

/** A single booking's refusal as the error it answers (a series answers its own, listing occurrences). */
export function refusalError(r: Refusal): AppError {
  const err = refusalErrorOf(r);
  // (v3) The person may ask an approver instead: the same command with `requestApproval: true`.
  if (r.approvable && err.details && typeof err.details === 'object')
    return new AppError(err.code, err.message, { details: { ...err.details, approvable: true } });
  return err;
}

function refusalErrorOf(r: Refusal): AppError {
  switch (r.code) {
    case 'VALIDATION_ERROR':
      return new AppError(ErrorCode.VALIDATION_ERROR, `at most ${r.capacity} units of this resource`, {
        details: zodDetails([{ path: ['quantity'], message: `at most ${r.capacity}` }]),
      });
    case 'SLOT_TAKEN':
      return new AppError(ErrorCode.SLOT_TAKEN, 'the slot is taken', { details: { available: r.available } });
    case 'POLICY_VIOLATION':
      return new AppError(
        ErrorCode.POLICY_VIOLATION,
        r.rule === 'buffer' ? 'too close to another booking' : `the booking breaks the ${r.rule} rule`,
        {
          details: { rule: r.rule },
        },
      );
    case 'QUOTA_EXCEEDED':
      return new AppError(
        ErrorCode.QUOTA_EXCEEDED,
        r.scope === 'user'
          ? `at most ${r.limit} active bookings per person`
          : r.scope === 'holds'
            ? `at most ${r.limit} holds at once`
            : `at most ${r.limit} active bookings of this resource`,
        {
          details: { scope: r.scope, limit: r.limit },
        },
      );
  }
}

export interface SingleRequest {
  resourceId: string;
  userId: string;
  start: Date;
  end: Date;
  /** Units it takes (default 1). */
  quantity?: number;
  staff: boolean;
  /** A move: the booking itself neither takes its new slot nor counts against its quota. */
  excludeId?: string;
  /** Whether the person's quota across resources applies (a new booking; a move adds none). */
  countPerson: boolean;
  /** (v3) A new hold: the person's holds quota applies too. */
  hold?: boolean;
  /** (v3) Who makes the booking (the approver check: staff, or named by the resource's approval). */
  actorId: string;
  /** (v3) The actor's groups: a manager of the resource is one of its approvers. */
  actorGroups?: readonly string[];
  /** (v3) `requestApproval: true`: an approvable refusal becomes a pending request instead. */
  requestApproval?: boolean;
}

/** What a single booking's admission answers: the fence's version and rules, and (v3) whether it is a request. */
export interface Admitted {
  version: number;
  rules: ResourceRules;
  /** It must be approved: `pending` (`always` for a non-approver, or an approvable refusal overridden as asked). */
  pending: boolean;
}

export interface Admission {
  /**
   * A single booking inside its transaction: the pipeline, then the fence bump, whose version and
   * rules it answers. Throws the first refusal (`refusalError`).
   */
  admitSingle(session: ClientSession, a: SingleRequest): Promise<Admitted>;
  /** A series' occurrences inside its transaction, before any write: each one's verdict. */
  judgeSeries(
    session: ClientSession,
    a: {
      rules: ResourceRules;
      resourceId: string;
      userId: string;
      staff: boolean;
      occurrences: Candidate[];
      /** (v3) How approval applies to the series' booker. */
      terms?: ApprovalTerms;
    },
  ): Promise<Judged[]>;
}
