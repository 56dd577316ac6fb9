/**
 * (v3, issue 26) The requests this person may decide: `approvals:list` (a non-approver gets none),
 * read on every (re)connect, on a `booking.requested` notification (`action: "decide"`), on a
 * `slot:changed` that makes, decides or ends a request, and after each decision. The section is
 * shown when there is something to decide, to staff (who approve every resource), and when the
 * page was opened at `#approvals` (the approver's email link). A decision someone else made first
 * (`INVALID_STATE`) is said and the list read again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { createAct, describeDecisionError, describeError } from '@booking/client';
import type { CommandResult } from '@booking/client';
import type { AdminBooking, Booking, Notification, SlotChanged } from '@booking/shared';
import type { BookingCommands } from '../connection/booking-client';
import { translate } from '../i18n';

export interface Approvals {
  requests: AdminBooking[];
  /** Whether the section is shown. */
  shown: boolean;
  /** The page was opened at `#approvals` (the section is brought into view once). */
  linked: boolean;
  /** Requests being decided (their buttons are off). */
  busy: ReadonlySet<string>;
  /** The last decision's sentence, or why it failed. */
  status: { text: string; error: boolean } | null;
  reload(): void;
  approve(request: AdminBooking): void;
  decline(request: AdminBooking, reason: string): void;
  handleSlotChanged(event: SlotChanged): void;
  handleNotification(n: Notification): void;
}

/** `slot:changed` statuses that make, decline or end a request (an approval is one listed: its id). */
const REQUEST_STATUSES: ReadonlySet<string> = new Set(['pending', 'declined', 'expired']);

export function useApprovals(
  send: BookingCommands | null,
  epoch: number,
  staff: boolean,
  describeRequest: (r: AdminBooking) => string,
): Approvals {
  const [requests, setRequests] = useState<AdminBooking[]>([]);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [status, setStatus] = useState<Approvals['status']>(null);
  const linked = useRef(window.location.hash === '#approvals');
  const ids = useRef(new Set<string>());

  const reload = useCallback(() => {
    if (!send) return;
    void send('approvals:list', {}).then((answer) => {
      if (!answer.ok) return;
      setRequests(answer.data.bookings);
      ids.current = new Set(answer.data.bookings.map((b) => b.id));
    });
  }, [send]);

  useEffect(() => {
    if (epoch > 0) reload();
  }, [reload, epoch]);

  const decide = (request: AdminBooking, run: () => Promise<CommandResult<{ booking: Booking }>>, done: string) => {
    const act = createAct({
      begin: () => {
        setStatus(null);
        setBusy((s) => new Set([...s, request.id]));
      },
      end: () =>
        setBusy((s) => {
          const next = new Set(s);
          next.delete(request.id);
          return next;
        }),
      say: (text) => setStatus({ text, error: false }),
      done: reload,
      fail: (e) => {
        setStatus({ text: e.code === 'TIMEOUT' ? describeError(e) : describeDecisionError(e), error: true });
        reload();
      },
    });
    void act(run, done);
  };

  const shown = requests.length > 0 || staff || linked.current;
  return {
    requests,
    shown,
    linked: linked.current,
    busy,
    status,
    reload,
    approve: (request) => {
      if (!send) return;
      decide(
        request,
        () => send('booking:approve', { bookingId: request.id }),
        translate('toast.approved', { request: describeRequest(request) }),
      );
    },
    decline: (request, reason) => {
      if (!send) return;
      const trimmed = reason.trim();
      decide(
        request,
        () => send('booking:decline', { bookingId: request.id, ...(trimmed ? { reason: trimmed } : {}) }),
        translate('toast.declined', { request: describeRequest(request) }),
      );
    },
    // (Only where the section is shown: anyone else learns of a first request by its notification.)
    handleSlotChanged: (event) => {
      if (!shown) return;
      if (REQUEST_STATUSES.has(event.status) || ids.current.has(event.bookingId)) reload();
    },
    handleNotification: (n) => {
      if (n.type === 'booking.requested' || n.action === 'decide') reload();
    },
  };
}
