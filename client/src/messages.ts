/**
 * What the booking page and the staff dashboard say for each error code: what happened and what
 * to do next. One map, so the two UIs cannot drift apart; a new code does not compile until it
 * has its sentence.
 */
import { errorSentence, ruleSentence } from '@booking/shared';
import type { ErrorCode, PolicyRule, Resource } from '@booking/shared';
import type { ClientError, ClientErrorCode } from './command';
import { clientT, messagesLocale } from './i18n';

export { messagesLocale, setMessagesLocale } from './i18n';

const ERROR_CODES = [
  'VALIDATION_ERROR',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'SLOT_TAKEN',
  'INVALID_STATE',
  'BUSY',
  'RATE_LIMITED',
  'INTERNAL',
  'EMAIL_TAKEN',
  'INVALID_CREDENTIALS',
  'POLICY_VIOLATION',
  'QUOTA_EXCEEDED',
] as const satisfies readonly ErrorCode[];
// Compile-time guard: every server code is listed.
const everyCode: Exclude<ErrorCode, (typeof ERROR_CODES)[number]> extends never ? true : never = true;
void everyCode;

const RULES = [
  'openingHours',
  'closure',
  'grid',
  'duration',
  'notice',
  'past',
  'advance',
  'buffer',
] as const satisfies readonly PolicyRule[];
const everyRule: Exclude<PolicyRule, (typeof RULES)[number]> extends never ? true : never = true;
void everyRule;

/** An object whose every property reads its sentence in the current language when it is read. */
function inCurrentLocale<K extends string>(keys: readonly K[], sentence: (key: K) => string): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const key of keys) Object.defineProperty(out, key, { enumerable: true, get: () => sentence(key) });
  return out;
}

/** The sentence for a server code or the client's own (`TIMEOUT`), in the current language. */
export function errorCodeSentence(code: ErrorCode | ClientErrorCode): string {
  return code === 'TIMEOUT' ? clientT().t('error.timeout') : errorSentence(messagesLocale(), code);
}

/** The server's codes' sentences (shared with the server's emails), and the client's own, in the current language. */
export const errorSentences: Readonly<Record<ErrorCode | ClientErrorCode, string>> = inCurrentLocale(
  [...ERROR_CODES, 'TIMEOUT'],
  errorCodeSentence,
);

/** What each policy rule means when the resource is not known, in the current language. */
export const policyRuleSentences: Readonly<Record<PolicyRule, string>> = inCurrentLocale(RULES, (rule) =>
  ruleSentence(messagesLocale(), rule),
);

/**
 * The sentence for a refused `booking:checkIn`: check-in has its own time (from 10 minutes
 * before the start until the end) and only the booking's owner may do it.
 */
export function describeCheckInError(error: Pick<ClientError, 'code' | 'message'> & { details?: unknown }): string {
  if (error.code === 'INVALID_STATE') return clientT().t('checkIn.invalidState');
  if (error.code === 'FORBIDDEN') return clientT().t('checkIn.forbidden');
  return describeError(error);
}

/** What a sentence may name: the resource the command was about (its type and policy). */
export interface ErrorContext {
  resource?: Pick<Resource, 'type' | 'policy'> | null;
}

/** "1 h 30 min", "45 min", "2 days" (in the current language). */
export function durationText(minutes: number): string {
  const { t } = clientT();
  if (minutes >= 1440 && minutes % 1440 === 0) return t('duration.days', { count: minutes / 1440 });
  const hours = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (hours === 0) return t('duration.minutes', { minutes: m });
  return m === 0 ? t('duration.hours', { hours }) : t('duration.hoursMinutes', { hours, minutes: m });
}

/** Where bookings may start and end on a grid of `slotMinutes` counted from local midnight. */
export function gridText(slotMinutes: number): string {
  const { t } = clientT();
  if (slotMinutes === 1) return t('grid.minute');
  if (slotMinutes === 15) return t('grid.quarter');
  if (slotMinutes === 30) return t('grid.half');
  if (slotMinutes === 60) return t('grid.hour');
  if (slotMinutes === 1440) return t('grid.midnight');
  return t('grid.every', { duration: durationText(slotMinutes) });
}

/** The resource's type as a noun in a sentence: lower case, except in German. */
function nounOf(resource: Pick<Resource, 'type'>): string {
  const type = resource.type.trim() || 'resource';
  return messagesLocale() === 'de' ? type : type.toLowerCase();
}

/** The sentence for a broken policy rule, with the resource's own numbers when it is known. */
export function policyRuleSentence(rule: PolicyRule, resource?: Pick<Resource, 'type' | 'policy'> | null): string {
  if (!resource) return ruleSentence(messagesLocale(), rule);
  const { t } = clientT();
  const noun = nounOf(resource);
  const p = resource.policy;
  switch (rule) {
    case 'openingHours':
      return t('rule.openingHours', { noun });
    case 'closure':
      return t('rule.closure', { noun });
    case 'grid':
      return t('rule.grid', { grid: gridText(p.slotMinutes) });
    case 'duration':
      return t('rule.duration', { noun, min: durationText(p.minMinutes), max: durationText(p.maxMinutes) });
    case 'notice':
      return t('rule.notice', { noun, notice: durationText(p.minNoticeMinutes) });
    case 'advance':
      return t('rule.advance', { noun, days: p.maxAdvanceDays });
    case 'buffer':
      return t('rule.buffer', { noun, buffer: durationText(p.bufferMinutes) });
    case 'past':
      return ruleSentence(messagesLocale(), 'past');
  }
}

/**
 * A sentence for the person, with the server's detail where it helps (validation, the broken
 * rule, the quota) and the resource's own numbers when the caller passes it.
 */
export function describeError(
  error: Pick<ClientError, 'code' | 'message'> & { details?: unknown },
  context: ErrorContext = {},
): string {
  const { t } = clientT();
  if (error.code === 'VALIDATION_ERROR')
    return t('error.validation', { sentence: errorSentences.VALIDATION_ERROR, detail: error.message });
  if (error.code === 'FORBIDDEN' && isUnverified(error)) return unverifiedSentence();
  if (error.code === 'POLICY_VIOLATION') {
    const rule = ruleOf(error.details);
    if (rule) return policyRuleSentence(rule, context.resource);
  }
  if (error.code === 'QUOTA_EXCEEDED') {
    const quota = quotaOf(error.details);
    if (quota) {
      const { limit } = quota;
      if (quota.scope === 'holds') return t('quota.holds', { limit });
      if (quota.scope === 'waitlist') return t('quota.waitlist', { limit });
      return quota.scope === 'resource'
        ? t('quota.resource', { limit, noun: nounOf(context.resource ?? { type: '' }) })
        : t('quota.user', { limit });
    }
  }
  if (error.code === 'SLOT_TAKEN') return `${errorSentences.SLOT_TAKEN}${unitsFree(error.details)}`;
  return errorSentences[error.code];
}

/** (v3) Said after a refusal that an approver may override (`details.approvable: true`), in the current language. */
export function approvableSentence(): string {
  return clientT().t('error.approvable');
}

/**
 * (v3) Whether a refusal may be asked for approval instead: a `POLICY_VIOLATION` or
 * `QUOTA_EXCEEDED` with `details.approvable: true` (`approval.required: "outsidePolicy"`).
 */
export function isApprovable(error: { code: string; details?: unknown }): boolean {
  const { details } = error;
  return (
    (error.code === 'POLICY_VIOLATION' || error.code === 'QUOTA_EXCEEDED') &&
    typeof details === 'object' &&
    details !== null &&
    'approvable' in details &&
    details.approvable === true
  );
}

/** (v3) A refusal's sentence, followed by the offer to request approval when the refusal is approvable. */
export function describeApprovable(
  error: Pick<ClientError, 'code' | 'message'> & { details?: unknown },
  context: ErrorContext = {},
): string {
  const sentence = describeError(error, context);
  return isApprovable(error) ? `${sentence} ${approvableSentence()}` : sentence;
}

/**
 * (v3) The sentence for a refused `booking:approve` or `booking:decline`: the request was decided
 * already (by another approver), cancelled or ran out (`INVALID_STATE`), or the caller is not an
 * approver of its resource (`FORBIDDEN`).
 */
export function describeDecisionError(error: Pick<ClientError, 'code' | 'message'> & { details?: unknown }): string {
  const { t } = clientT();
  if (error.code === 'INVALID_STATE') return t('decision.invalidState');
  if (error.code === 'FORBIDDEN') return t('decision.forbidden');
  if (error.code === 'NOT_FOUND') return t('decision.notFound');
  return describeError(error);
}

/**
 * For a booking of several units that did not fit though some are free (`details.available`
 * above 0): how many. Nothing otherwise, so a unit resource (or a full pool) reads as before.
 */
function unitsFree(details: unknown): string {
  const available: unknown = details && typeof details === 'object' ? Reflect.get(details, 'available') : undefined;
  if (typeof available !== 'number' || available <= 0) return '';
  return ` ${clientT().t('error.unitsFree', { count: available })}`;
}

/** What an unverified account is told when it tries to book (`EMAIL_VERIFICATION=required`). */
export function unverifiedSentence(): string {
  return clientT().t('error.unverified');
}

/** A FORBIDDEN answered because the account has not confirmed its email address (`details.reason`). */
export function isUnverified(error: { code: string; details?: unknown }): boolean {
  const { details } = error;
  return (
    error.code === 'FORBIDDEN' &&
    typeof details === 'object' &&
    details !== null &&
    'reason' in details &&
    details.reason === 'unverified'
  );
}

function ruleOf(details: unknown): PolicyRule | null {
  if (!details || typeof details !== 'object' || !('rule' in details)) return null;
  const rule = details.rule;
  return typeof rule === 'string' && rule in policyRuleSentences ? (rule as PolicyRule) : null;
}

type QuotaScope = 'user' | 'resource' | 'holds' | 'waitlist';
const QUOTA_SCOPES: readonly string[] = ['user', 'resource', 'holds', 'waitlist'] satisfies QuotaScope[];

function quotaOf(details: unknown): { scope: QuotaScope; limit: number } | null {
  if (!details || typeof details !== 'object' || !('scope' in details) || !('limit' in details)) return null;
  const { scope, limit } = details;
  return typeof scope === 'string' && QUOTA_SCOPES.includes(scope) && typeof limit === 'number'
    ? { scope: scope as QuotaScope, limit }
    : null;
}

/**
 * (v3) The sentence for a refused `booking:confirm` of a hold or a waitlist offer: it ran out
 * (`INVALID_STATE` after `expiresAt`), or it is someone else's. Other errors read as usual.
 */
export function describeConfirmError(
  error: Pick<ClientError, 'code' | 'message'> & { details?: unknown },
  context: ErrorContext = {},
): string {
  if (error.code === 'INVALID_STATE') return holdExpiredSentence();
  if (error.code === 'FORBIDDEN') return clientT().t('confirm.forbidden');
  if (error.code === 'NOT_FOUND') return clientT().t('confirm.notFound');
  return describeError(error, context);
}

/** What the page says when a hold (or a waitlist offer) ran out before it was booked. */
export function holdExpiredSentence(): string {
  return clientT().t('hold.expired');
}

/**
 * (v3) The sentence for a refused `waitlist:join` or `waitlist:leave`: a join on a slot that fits
 * now (`INVALID_STATE`, "the slot is free"), a leave of an entry no longer waiting.
 */
export function describeWaitlistError(
  error: Pick<ClientError, 'code' | 'message'> & { details?: unknown },
  context: ErrorContext & { leaving?: boolean } = {},
): string {
  if (error.code === 'INVALID_STATE')
    return context.leaving ? clientT().t('waitlist.leaveInvalid') : clientT().t('waitlist.joinInvalid');
  if (error.code === 'NOT_FOUND') return clientT().t('waitlist.notFound');
  return describeError(error, context);
}

/** Why one occurrence of a series was not booked (`skipped[]`, or `details.occurrences[]` of a refused series). */
export function occurrenceSentence(
  o: { code: string; rule?: string | undefined },
  resource?: Pick<Resource, 'type' | 'policy'> | null,
): string {
  if (o.code === 'POLICY_VIOLATION' && o.rule && o.rule in policyRuleSentences)
    return policyRuleSentence(o.rule as PolicyRule, resource);
  if (o.code === 'SLOT_TAKEN') return clientT().t('occurrence.taken');
  if (o.code === 'QUOTA_EXCEEDED') return clientT().t('occurrence.quota');
  return o.code in errorSentences ? errorSentences[o.code as ErrorCode] : clientT().t('occurrence.notBookable');
}

/**
 * The sentence for a series refused with `onConflict: "fail"`: how many dates could not be
 * booked and why the first one failed; nothing was booked. Other errors read as usual.
 */
export function describeSeriesError(
  error: Pick<ClientError, 'code' | 'message'> & { details?: unknown },
  context: ErrorContext = {},
): string {
  const occurrences = occurrencesOf(error.details);
  const first = occurrences[0];
  if (!first) return describeError(error, context);
  const reason = occurrenceSentence(first, context.resource).replace(/\.$/, '');
  return clientT().t('series.refused', { count: occurrences.length, reason });
}

function occurrencesOf(details: unknown): Array<{ start: string; code: string; rule?: string }> {
  if (!details || typeof details !== 'object' || !('occurrences' in details) || !Array.isArray(details.occurrences))
    return [];
  return details.occurrences.filter(
    (o: unknown): o is { start: string; code: string; rule?: string } =>
      typeof o === 'object' &&
      o !== null &&
      'start' in o &&
      'code' in o &&
      typeof o.start === 'string' &&
      typeof o.code === 'string',
  );
}

/**
 * (v3) Single sign-on and groups: the sentences the page and the dashboard share. A `#signin=`
 * code works once within 60 seconds, so an answer other than a reachability problem means the
 * person must sign in again.
 */
export const singleSignOnSentences: Readonly<
  Record<'codeSpent' | 'noSignIn' | 'emergencyOnly' | 'providerGroup', string>
> = inCurrentLocale(['codeSpent', 'noSignIn', 'emergencyOnly', 'providerGroup'], (key) => {
  const { t } = clientT();
  switch (key) {
    /** `POST /api/auth/oidc/exchange` answered UNAUTHORIZED: the code was used, late or unknown. */
    case 'codeSpent':
      return t('sso.codeSpent');
    /** Neither password sign-in nor single sign-on is offered here (AUTH_PASSWORD=off, no provider). */
    case 'noSignIn':
      return t('sso.noSignIn');
    /** The dashboard with AUTH_PASSWORD=off: the password form is for the `STAFF_EMAIL` account alone. */
    case 'emergencyOnly':
      return t('sso.emergencyOnly');
    /** Why a group with an `externalId` cannot be given or taken on the dashboard. */
    case 'providerGroup':
      return t('sso.providerGroup');
  }
});

/** The sentence for a refused sign-in code exchange (chosen by code). */
export function describeSignInCodeError(error: Pick<ClientError, 'code' | 'message'>): string {
  return error.code === 'UNAUTHORIZED' ? singleSignOnSentences.codeSpent : describeError(error);
}
