/**
 * (v3) The mails of approval (docs/protocol.md "Approval"): `booking.requested` to each approver
 * (who asks, for what, until when it can be decided, and the link to the page's Approvals list),
 * and to the owner `booking.approved` (with the calendar file: this is the booking's confirmation),
 * `booking.declined` (with the approver's reason) and `booking.expired` (nobody decided in time).
 * A declined or expired request removes the event from the owner's calendar (`METHOD:CANCEL`):
 * harmless when it was never there, right when a confirmed booking was moved into a request.
 */
import type { NotificationJobData } from './notification.job';

export type ApprovalType = 'booking.requested' | 'booking.approved' | 'booking.declined' | 'booking.expired';

export const isApprovalType = (t: NotificationJobData['type']): t is ApprovalType =>
  t === 'booking.requested' || t === 'booking.approved' || t === 'booking.declined' || t === 'booking.expired';

export const approvalHeadlines: Record<ApprovalType, string> = {
  'booking.requested': 'Approval requested',
  'booking.approved': 'Booking approved',
  'booking.declined': 'Request declined',
  'booking.expired': 'Request expired',
};

/** The link of a request's mail: the booking page opened on its Approvals list. */
export const approvalsLink = (publicUrl: string): string => `${publicUrl}/#approvals`;

export interface ApprovalText {
  what: string;
  when: string;
  /** Until when the request can be decided, in the resource's zone (`formatDeadline`). */
  until: string | null;
  /** The person who asked (a request's mail goes to an approver). */
  ownerName: string;
  /** Each occurrence of a series of requests, written out. */
  occurrences: string[];
  rows: Array<[string, string]>;
}

export interface ApprovalBody {
  message: string;
  rows: Array<[string, string]>;
  lists: Array<{ title: string; items: string[] }>;
}

export function approvalBody(job: NotificationJobData & { type: ApprovalType }, t: ApprovalText): ApprovalBody {
  const until: Array<[string, string]> = t.until ? [['Decide by', t.until]] : [];
  switch (job.type) {
    case 'booking.requested': {
      const series = t.occurrences.length > 1;
      return {
        message: series
          ? `${t.ownerName} asks to book ${t.what}, ${t.occurrences.length} occurrences from ${t.when}. Please approve or decline.`
          : `${t.ownerName} asks to book ${t.what} on ${t.when}. Please approve or decline.`,
        rows: [['Requested by', t.ownerName], ...t.rows, ...until],
        lists: series ? [{ title: 'Occurrences', items: t.occurrences }] : [],
      };
    }
    case 'booking.approved':
      return {
        message: `Your request for ${t.what} on ${t.when} is approved: the booking is confirmed.`,
        rows: t.rows,
        lists: [],
      };
    case 'booking.declined':
      return {
        message: `Your request for ${t.what} on ${t.when} was declined${job.declineReason ? `: ${job.declineReason}` : '.'}`,
        rows: [...t.rows, ...(job.declineReason ? [['Reason', job.declineReason] as [string, string]] : [])],
        lists: [],
      };
    case 'booking.expired':
      return {
        message: `Your request for ${t.what} on ${t.when} expired: nobody approved it in time, so the time is free again.`,
        rows: t.rows,
        lists: [],
      };
  }
}

/** What a request's mail has instead of a calendar file: the link to decide (text and HTML). */
export function requestLinkParts(publicUrl: string | undefined): { text: string[]; html: string[] } {
  if (publicUrl === undefined)
    return {
      text: ['Decide on the booking page, under Approvals.'],
      html: ['<p>Decide on the booking page, under Approvals.</p>'],
    };
  const link = approvalsLink(publicUrl);
  return {
    text: ['Open this link to approve or decline:', link],
    html: [`<p><a href="${link.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">Approve or decline</a></p>`],
  };
}
