/**
 * What the booking page and the staff dashboard say for each error code: what happened and what
 * to do next. One map, so the two UIs cannot drift apart; a new code does not compile until it
 * has its sentence.
 */
import { errorCodeSentences, policyRuleSentences } from '@booking/shared';
import type { ErrorCode, PolicyRule, Resource } from '@booking/shared';
import type { ClientError, ClientErrorCode } from './command';

/** The server's codes' sentences (shared with the server's emails), and the client's own. */
export const errorSentences: Record<ErrorCode | ClientErrorCode, string> = {
  ...errorCodeSentences,
  TIMEOUT: 'The server did not answer. Check your connection and try again.',
};

/**
 * The sentence for a refused `booking:checkIn`: check-in has its own time (from 10 minutes
 * before the start until the end) and only the booking's owner may do it.
 */
export function describeCheckInError(error: Pick<ClientError, 'code' | 'message'> & { details?: unknown }): string {
  if (error.code === 'INVALID_STATE')
    return 'You can check in from 10 minutes before the start until the end of an active booking.';
  if (error.code === 'FORBIDDEN') return 'Only the person who made this booking can check in.';
  return describeError(error);
}

export { policyRuleSentences };

/** What a sentence may name: the resource the command was about (its type and policy). */
export interface ErrorContext {
  resource?: Pick<Resource, 'type' | 'policy'> | null;
}

/** "1 h 30 min", "45 min", "2 days". */
export function durationText(minutes: number): string {
  if (minutes >= 1440 && minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** Where bookings may start and end on a grid of `slotMinutes` counted from local midnight. */
export function gridText(slotMinutes: number): string {
  if (slotMinutes === 1) return 'on whole minutes';
  if (slotMinutes === 15) return 'on the quarter hour';
  if (slotMinutes === 30) return 'on the hour or half hour';
  if (slotMinutes === 60) return 'on the hour';
  if (slotMinutes === 1440) return 'at midnight';
  return `every ${durationText(slotMinutes)} from midnight`;
}

/** The sentence for a broken policy rule, with the resource's own numbers when it is known. */
export function policyRuleSentence(rule: PolicyRule, resource?: Pick<Resource, 'type' | 'policy'> | null): string {
  if (!resource) return policyRuleSentences[rule];
  const noun = resource.type.trim().toLowerCase() || 'resource';
  const p = resource.policy;
  switch (rule) {
    case 'openingHours':
      return `The ${noun} is closed then. Choose a time within its opening hours.`;
    case 'closure':
      return `The ${noun} is closed on that day.`;
    case 'grid':
      return `Bookings start and end ${gridText(p.slotMinutes)}.`;
    case 'duration':
      return `A booking of this ${noun} lasts ${durationText(p.minMinutes)} to ${durationText(p.maxMinutes)}.`;
    case 'notice':
      return `That is too soon: book this ${noun} at least ${durationText(p.minNoticeMinutes)} ahead.`;
    case 'advance':
      return `That is too far ahead: this ${noun} can be booked at most ${p.maxAdvanceDays} day${p.maxAdvanceDays === 1 ? '' : 's'} ahead.`;
    case 'buffer':
      return `That is too close to another booking: this ${noun} keeps ${durationText(p.bufferMinutes)} free between bookings.`;
    case 'past':
      return policyRuleSentences.past;
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
  if (error.code === 'VALIDATION_ERROR') return `${errorSentences.VALIDATION_ERROR}: ${error.message}`;
  if (error.code === 'FORBIDDEN' && isUnverified(error)) return UNVERIFIED_SENTENCE;
  if (error.code === 'POLICY_VIOLATION') {
    const rule = ruleOf(error.details);
    if (rule) return policyRuleSentence(rule, context.resource);
  }
  if (error.code === 'QUOTA_EXCEEDED') {
    const quota = quotaOf(error.details);
    if (quota) {
      if (quota.scope === 'holds')
        return `You can hold at most ${quota.limit} slot${quota.limit === 1 ? '' : 's'} at once. Book or let go of one first.`;
      if (quota.scope === 'waitlist')
        return `You can wait for at most ${quota.limit} slot${quota.limit === 1 ? '' : 's'} at once. Leave one of your waitlists first.`;
      const held = `${quota.limit} booking${quota.limit === 1 ? '' : 's'}`;
      const noun = context.resource?.type.trim().toLowerCase() || 'resource';
      return quota.scope === 'resource'
        ? `You already hold ${held} of this ${noun}, the most it allows. Cancel one to book another.`
        : `You already hold ${held}, the most one person may hold. Cancel one to book another.`;
    }
  }
  if (error.code === 'SLOT_TAKEN') return `${errorSentences.SLOT_TAKEN}${unitsFree(error.details)}`;
  return errorSentences[error.code];
}

/** (v3) Said after a refusal that an approver may override (`details.approvable: true`). */
export const APPROVABLE_SENTENCE = "This needs an approver's agreement: you can request approval.";

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
  return isApprovable(error) ? `${sentence} ${APPROVABLE_SENTENCE}` : sentence;
}

/**
 * (v3) The sentence for a refused `booking:approve` or `booking:decline`: the request was decided
 * already (by another approver), cancelled or ran out (`INVALID_STATE`), or the caller is not an
 * approver of its resource (`FORBIDDEN`).
 */
export function describeDecisionError(error: Pick<ClientError, 'code' | 'message'> & { details?: unknown }): string {
  if (error.code === 'INVALID_STATE')
    return 'That request is no longer awaiting a decision: someone else decided it, it was cancelled, or it ran out.';
  if (error.code === 'FORBIDDEN') return 'Only an approver of this resource can approve or decline its requests.';
  if (error.code === 'NOT_FOUND') return 'That request no longer exists.';
  return describeError(error);
}

/**
 * For a booking of several units that did not fit though some are free (`details.available`
 * above 0): how many. Nothing otherwise, so a unit resource (or a full pool) reads as before.
 */
function unitsFree(details: unknown): string {
  const available: unknown = details && typeof details === 'object' ? Reflect.get(details, 'available') : undefined;
  if (typeof available !== 'number' || available <= 0) return '';
  return ` Only ${available} ${available === 1 ? 'unit is' : 'units are'} free then.`;
}

/** What an unverified account is told when it tries to book (`EMAIL_VERIFICATION=required`). */
export const UNVERIFIED_SENTENCE =
  'Confirm your email address first: open the link we mailed you, or ask for a new one.';

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
  if (error.code === 'INVALID_STATE') return HOLD_EXPIRED_SENTENCE;
  if (error.code === 'FORBIDDEN') return 'This time is held for someone else, so only they can book it.';
  if (error.code === 'NOT_FOUND') return 'That hold no longer exists. Select the time again to hold it.';
  return describeError(error, context);
}

/** What the page says when a hold (or a waitlist offer) ran out before it was booked. */
export const HOLD_EXPIRED_SENTENCE =
  'Your hold ran out before it was booked, so the time is free for others again. Hold it again to book it.';

/**
 * (v3) The sentence for a refused `waitlist:join` or `waitlist:leave`: a join on a slot that fits
 * now (`INVALID_STATE`, "the slot is free"), a leave of an entry no longer waiting.
 */
export function describeWaitlistError(
  error: Pick<ClientError, 'code' | 'message'> & { details?: unknown },
  context: ErrorContext & { leaving?: boolean } = {},
): string {
  if (error.code === 'INVALID_STATE')
    return context.leaving
      ? 'You are no longer waiting for that time: it was offered to you, booked, or it has passed.'
      : 'That time is free now, so there is no need to wait: select it to book it.';
  if (error.code === 'NOT_FOUND') return 'That waitlist entry no longer exists.';
  return describeError(error, context);
}

/** Why one occurrence of a series was not booked (`skipped[]`, or `details.occurrences[]` of a refused series). */
export function occurrenceSentence(
  o: { code: string; rule?: string | undefined },
  resource?: Pick<Resource, 'type' | 'policy'> | null,
): string {
  if (o.code === 'POLICY_VIOLATION' && o.rule && o.rule in policyRuleSentences)
    return policyRuleSentence(o.rule as PolicyRule, resource);
  if (o.code === 'SLOT_TAKEN') return 'Already booked by someone else.';
  if (o.code === 'QUOTA_EXCEEDED') return 'Over the number of bookings you may hold.';
  return o.code in errorSentences ? errorSentences[o.code as ErrorCode] : 'Not bookable.';
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
  const n = occurrences.length;
  const what = occurrenceSentence(first, context.resource).replace(/\.$/, '');
  return (
    `Nothing was booked: ${n} of the dates cannot be booked (the first: ${what}). ` +
    'Choose "skip" to book the others, or change the repeat.'
  );
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
export const singleSignOnSentences = {
  /** `POST /api/auth/oidc/exchange` answered UNAUTHORIZED: the code was used, late or unknown. */
  codeSpent: 'That sign-in is used or has expired. Please sign in again.',
  /** Neither password sign-in nor single sign-on is offered here (AUTH_PASSWORD=off, no provider). */
  noSignIn: 'Signing in on this page is turned off. Please ask your administrator.',
  /** The dashboard with AUTH_PASSWORD=off: the password form is for the `STAFF_EMAIL` account alone. */
  emergencyOnly: 'Password sign-in is off. Only the emergency staff account signs in with a password.',
  /** Why a group with an `externalId` cannot be given or taken on the dashboard. */
  providerGroup:
    'Groups from the sign-in provider are set from the provider at every sign-in, so they are changed there, not here.',
} as const;

/** The sentence for a refused sign-in code exchange (chosen by code). */
export function describeSignInCodeError(error: Pick<ClientError, 'code' | 'message'>): string {
  return error.code === 'UNAUTHORIZED' ? singleSignOnSentences.codeSpent : describeError(error);
}
