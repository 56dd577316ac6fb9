/**
 * What a person reads for each error code and each policy rule, in English: the `en` catalogue of
 * `i18n/common` (every language is there; these English tables remain for the logs' and docs'
 * sake, and for callers that have no person's language). A new code or rule does not compile
 * until it has its sentence in every language.
 */
import type { ErrorCode } from './errors';
import type { PolicyRule } from './policy';
import { en } from './i18n/common/en';

export const errorCodeSentences: Record<ErrorCode, string> = {
  VALIDATION_ERROR: en['errors.VALIDATION_ERROR'],
  UNAUTHORIZED: en['errors.UNAUTHORIZED'],
  FORBIDDEN: en['errors.FORBIDDEN'],
  NOT_FOUND: en['errors.NOT_FOUND'],
  SLOT_TAKEN: en['errors.SLOT_TAKEN'],
  INVALID_STATE: en['errors.INVALID_STATE'],
  BUSY: en['errors.BUSY'],
  RATE_LIMITED: en['errors.RATE_LIMITED'],
  INTERNAL: en['errors.INTERNAL'],
  EMAIL_TAKEN: en['errors.EMAIL_TAKEN'],
  INVALID_CREDENTIALS: en['errors.INVALID_CREDENTIALS'],
  POLICY_VIOLATION: en['errors.POLICY_VIOLATION'],
  QUOTA_EXCEEDED: en['errors.QUOTA_EXCEEDED'],
};

/** (v3) What a person reads about their access to a resource (`FORBIDDEN` `details.reason`, and the page's view-only note). */
export const accessSentences = {
  notBookable: en['access.notBookable'],
} as const;

/** What each policy rule means when the resource is not known (`POLICY_VIOLATION.details.rule`). */
export const policyRuleSentences: Record<PolicyRule, string> = {
  openingHours: en['rules.openingHours'],
  closure: en['rules.closure'],
  grid: en['rules.grid'],
  duration: en['rules.duration'],
  notice: en['rules.notice'],
  past: en['rules.past'],
  advance: en['rules.advance'],
  buffer: en['rules.buffer'],
};
