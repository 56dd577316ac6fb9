/**
 * (v3, issue 26) The booking page's part of approval for the person booking: whether they approve
 * bookings of the resource on screen themselves (staff, or one of its `approverIds`), whether its
 * bookings need approval (`required: "always"`, said near Book), and the "Request approval" offer:
 * shown for the selection when its hold or its Book was refused with `details.approvable: true`
 * (or the page's own check of the rules found an approvable rule broken under `outsidePolicy`).
 */
import { useState } from 'react';
import { isApprovable } from '@booking/client';
import type { AuthResult, Resource } from '@booking/shared';
import type { BookingCommands } from '../connection/booking-client';
import { approvalActions, approvalKey } from './approval-actions';
import type { ApprovalActionsInput, ApprovalTarget } from './approval-actions';
import type { Hold } from './use-hold';

export interface PageApprovalInput extends Pick<
  ApprovalActionsInput,
  'setError' | 'setPending' | 'toast' | 'reloadMine' | 'refreshGrid' | 'onSignOut'
> {
  auth: AuthResult;
  send: BookingCommands | null;
  resource: Resource | null;
  resources: Resource[];
  range: { start: number; end: number } | null;
  quantity: number;
  hold: Hold;
  clear(): void;
}

export function usePageApproval(i: PageApprovalInput) {
  const [refused, setRefused] = useState<ApprovalTarget | null>(null);
  const { resource, range, hold, send } = i;
  const approval = resource?.policy.approval ?? null;
  const approver = i.auth.user.role === 'staff' || (approval?.approverIds.includes(i.auth.user.id) ?? false);
  const current: ApprovalTarget | null =
    resource && range ? { resourceId: resource.id, start: range.start, end: range.end, quantity: i.quantity } : null;
  const holdRefused = hold.state.kind === 'failed' && isApprovable(hold.state.error);
  const offer =
    current && !approver && (holdRefused || (refused !== null && approvalKey(refused) === approvalKey(current)))
      ? current
      : null;
  const acts = approvalActions({
    ...i,
    releaseHold: () =>
      hold.releaseNow((bookingId) =>
        send ? send('booking:cancel', { bookingId }).then(() => undefined) : Promise.resolve(),
      ),
    holdAgain: hold.holdAgain,
    clear: () => {
      setRefused(null);
      i.clear();
    },
  });
  return {
    approver,
    /** Bookings of the resource on screen are requests for this person (said near Book). */
    needsApproval: approval?.required === 'always' && !approver,
    /** Under `outsidePolicy`, a selection longer than the longest booking may be asked for. */
    mayExceed: approval?.required === 'outsidePolicy' && !approver,
    offer,
    offerApproval: setRefused,
    requestApproval: () => {
      if (offer) acts.requestApproval(offer);
    },
  };
}
