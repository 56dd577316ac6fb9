/**
 * (v3) The mails of approval (docs/protocol.md "Approval"): `booking.requested` to each approver
 * (who asks, for what, until when it can be decided, and the link to the page's Approvals list),
 * and to the owner `booking.approved` (with the calendar file: this is the booking's confirmation),
 * `booking.declined` (with the approver's reason) and `booking.expired` (nobody decided in time).
 * A declined or expired request removes the event from the owner's calendar (`METHOD:CANCEL`):
 * harmless when it was never there, right when a confirmed booking was moved into a request.
 * Every sentence is the recipient's language (`server/src/i18n`).
 */
import type { ServerKey, ServerTranslator } from '../i18n';
import type { NotificationJobData } from './notification.job';

export type ApprovalType = 'booking.requested' | 'booking.approved' | 'booking.declined' | 'booking.expired';

export const isApprovalType = (t: NotificationJobData['type']): t is ApprovalType =>
  t === 'booking.requested' || t === 'booking.approved' || t === 'booking.declined' || t === 'booking.expired';

export const approvalHeadlines: Record<ApprovalType, ServerKey> = {
  'booking.requested': 'mail.headline.requested',
  'booking.approved': 'mail.headline.approved',
  'booking.declined': 'mail.headline.declined',
  'booking.expired': 'mail.headline.expired',
};

/** The link of a request's mail: the booking page opened on its Approvals list. */
export const approvalsLink = (publicUrl: string): string => `${publicUrl}/#approvals`;

/** A label / value row of a mail's table; `struck` shows the value crossed out (what it was). */
export type Row = [label: string, value: string, struck?: boolean];

export interface ApprovalText {
  what: string;
  when: string;
  /** Until when the request can be decided, in the resource's zone (`formatDeadline`). */
  until: string | null;
  /** The person who asked (a request's mail goes to an approver). */
  ownerName: string;
  /** Each occurrence of a series of requests, written out. */
  occurrences: string[];
  rows: Row[];
}

export interface ApprovalBody {
  message: string;
  rows: Row[];
  lists: Array<{ title: string; items: string[] }>;
}

export function approvalBody(
  job: NotificationJobData & { type: ApprovalType },
  a: ApprovalText,
  tr: ServerTranslator,
): ApprovalBody {
  const t: ServerTranslator['t'] = (key, values) => tr.t(key, values);
  const until: Row[] = a.until ? [[t('mail.label.decideBy'), a.until]] : [];
  const { what, when } = a;
  switch (job.type) {
    case 'booking.requested': {
      const series = a.occurrences.length > 1;
      return {
        message: series
          ? t('mail.requestedSeries', { owner: a.ownerName, what, count: a.occurrences.length, when })
          : t('mail.requested', { owner: a.ownerName, what, when }),
        rows: [[t('mail.label.requestedBy'), a.ownerName], ...a.rows, ...until],
        lists: series ? [{ title: t('mail.list.occurrences'), items: a.occurrences }] : [],
      };
    }
    case 'booking.approved':
      return { message: t('mail.approved', { what, when }), rows: a.rows, lists: [] };
    case 'booking.declined':
      return {
        message: job.declineReason
          ? t('mail.declinedReason', { what, when, reason: job.declineReason })
          : t('mail.declined', { what, when }),
        rows: [...a.rows, ...(job.declineReason ? [[t('mail.label.reason'), job.declineReason] as Row] : [])],
        lists: [],
      };
    case 'booking.expired':
      return { message: t('mail.expired', { what, when }), rows: a.rows, lists: [] };
  }
}

/** What a request's mail has instead of a calendar file: the link to decide (text and HTML). */
export function requestLinkParts(
  publicUrl: string | undefined,
  tr: ServerTranslator,
): { text: string[]; html: string[] } {
  const t: ServerTranslator['t'] = (key, values) => tr.t(key, values);
  if (publicUrl === undefined)
    return { text: [t('mail.request.onPage')], html: [`<p>${escapeHtml(t('mail.request.onPage'))}</p>`] };
  const link = approvalsLink(publicUrl);
  return {
    text: [t('mail.request.open'), link],
    html: [`<p><a href="${escapeHtml(link)}">${escapeHtml(t('mail.request.button'))}</a></p>`],
  };
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
