/**
 * (v3, issue 26) "Request approval": after a refusal that an approver may override
 * (`details.approvable: true`, under `approval.required: "outsidePolicy"`), the same interval and
 * units are sent again as `booking:create` with `requestApproval: true`, which makes a `pending`
 * request. The person's own hold on that time (if the hold was taken) would block it, so it is let
 * go first; if the request fails, the time is held again.
 */
import { createAct, describeApprovable, describeError } from '@booking/client';
import type { Booking, Resource } from '@booking/shared';
import type { BookingCommands } from '../connection/booking-client';
import { quantitySuffix } from './capacity';
import { formatRange } from './local-grid';
import { randomKey } from './random-key';
import { describeAccessError } from './resource-access';
import { translate } from '../i18n';

/** What a request for approval asks for: the refused interval and units of a resource. */
export interface ApprovalTarget {
  resourceId: string;
  start: number;
  end: number;
  quantity: number;
}

export const approvalKey = (t: ApprovalTarget): string => `${t.resourceId}|${t.start}|${t.end}|${t.quantity}`;

export interface ApprovalActionsInput {
  send: BookingCommands | null;
  resources: Resource[];
  setError(text: string | null): void;
  setPending(on: boolean): void;
  toast(text: string): void;
  /** Lets go of the person's hold on the selection now (undefined: there is none). */
  releaseHold(): Promise<void> | undefined;
  /** Holds the selection again (the request failed). */
  holdAgain(): void;
  /** The request was made: the selection is done with. */
  clear(): void;
  reloadMine(): void;
  refreshGrid(): void;
  onSignOut(why: string): void;
}

/** The sentence for a booking that came back as a request. */
export function requestedSentence(booking: Booking, resource: Resource | undefined, zone: string): string {
  return translate('toast.requested', {
    name: resource?.name ?? '',
    quantity: quantitySuffix(booking.quantity),
    range: formatRange(booking.start, booking.end, zone),
  });
}

export function approvalActions(i: ApprovalActionsInput) {
  const actFor = (resource: Resource | undefined) =>
    createAct({
      begin: () => {
        i.setError(null);
        i.setPending(true);
      },
      end: () => i.setPending(false),
      say: i.toast,
      done: () => {
        i.reloadMine();
        i.refreshGrid();
      },
      fail: (e) => {
        if (e.code === 'UNAUTHORIZED') return i.onSignOut(describeError(e));
        i.setError(describeAccessError(e) ?? describeApprovable(e, { resource }));
        i.holdAgain();
        i.refreshGrid();
      },
    });
  return {
    requestApproval: (t: ApprovalTarget) => {
      const send = i.send;
      if (!send) return;
      const resource = i.resources.find((r) => r.id === t.resourceId);
      void actFor(resource)(
        async () => {
          await i.releaseHold();
          return send('booking:create', {
            resourceId: t.resourceId,
            start: new Date(t.start).toISOString(),
            end: new Date(t.end).toISOString(),
            ...(resource && resource.capacity > 1 ? { quantity: t.quantity } : {}),
            requestApproval: true,
            idempotencyKey: randomKey(),
          });
        },
        ({ booking }) => {
          i.clear();
          return booking.status === 'pending'
            ? requestedSentence(booking, resource, resource?.timeZone ?? 'UTC')
            : translate('toast.booked', {
                name: resource?.name ?? '',
                quantity: quantitySuffix(booking.quantity),
                range: formatRange(booking.start, booking.end, resource?.timeZone ?? 'UTC'),
              });
        },
      );
    },
  };
}
