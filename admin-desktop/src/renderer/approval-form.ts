/**
 * (v3) The policy editor's approval settings as the strings and choices staff edit, with no DOM:
 * none / always / outside policy, the approvers' user ids, and the hours after which an undecided
 * request expires (fractions allowed; empty: the server's default). `none` sends `approval: null`,
 * which clears it.
 */
import type { Approval } from '@booking/shared';
import type { PolicyField } from './policy-form';
import { t } from './i18n';

export type ApprovalMode = 'none' | Approval['required'];

export interface ApprovalForm {
  required: ApprovalMode;
  approverIds: string[];
  /** Hours; empty = the default (72). */
  expireHours: string;
}

/** The modes with their words (in the dashboard's language when called). */
export const approvalModes = (): ReadonlyArray<{ value: ApprovalMode; label: string }> => [
  { value: 'none', label: t('approval.none') },
  { value: 'always', label: t('approval.always') },
  { value: 'outsidePolicy', label: t('approval.outsidePolicy') },
];
export const APPROVAL_MODE_VALUES: readonly ApprovalMode[] = ['none', 'always', 'outsidePolicy'];

export function approvalFromPolicy(approval: Approval | null): ApprovalForm {
  if (approval === null) return { required: 'none', approverIds: [], expireHours: '' };
  return {
    required: approval.required,
    approverIds: [...approval.approverIds],
    expireHours: String(approval.expireHours),
  };
}

/** The candidate `policy.approval` (checked by the shared `PolicyInput` with the rest of the policy). */
export function readApproval(
  form: ApprovalForm,
): null | { required: Approval['required']; approverIds: string[]; expireHours?: number } {
  if (form.required === 'none') return null;
  const hours = form.expireHours.trim();
  return {
    required: form.required,
    approverIds: form.approverIds,
    ...(hours === '' ? {} : { expireHours: Number(hours) }),
  };
}

/** The field an `approval.*` schema path lands on. */
export function approvalFieldOf(next: string | number | undefined): PolicyField {
  return next === 'approverIds' ? 'approval.approverIds' : 'approval.expireHours';
}
