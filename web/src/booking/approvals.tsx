/**
 * (v3, issue 26) The approver's "Approvals" section: each request awaiting their decision with who
 * asked, for which resource, when, how many units and until when it can be decided; "Approve", and
 * "Decline", which opens an inline form for an optional reason (the owner is told it). The line
 * above the list says what the last decision did, or why it failed.
 */
import { useEffect, useRef, useState } from 'react';
import type { AdminBooking, Resource } from '@booking/shared';
import { quantitySuffix } from './capacity';
import { formatDay, formatRange, formatTime, viewerZone, zoneLabel } from './local-grid';
import type { Approvals } from './use-approvals';

interface Props {
  approvals: Approvals;
  resources: Resource[];
  /** Buttons that send are off while the socket is away. */
  disabled: boolean;
}

/** "Room 1 × 2, Mon 7 Dec 10:00–11:00" in the resource's zone (named when not the viewer's). */
export function requestLabel(r: AdminBooking, resources: Resource[]): string {
  const resource = resources.find((x) => x.id === r.resourceId);
  const mine = viewerZone();
  const zone = resource?.timeZone ?? mine;
  const named = zone === mine ? '' : ` (${zoneLabel(zone)} time)`;
  return `${resource?.name ?? 'Unknown resource'}${quantitySuffix(r.quantity)}, ${formatRange(r.start, r.end, zone)}${named}`;
}

/** "Mon 7 Dec 09:00" in the viewer's zone: when a request runs out. */
export function untilText(iso: string | undefined): string {
  if (!iso) return 'its start';
  const zone = viewerZone();
  return `${formatDay(iso, zone)} ${formatTime(iso, zone)}`;
}

function DeclineForm({
  label,
  disabled,
  onDecline,
  onBack,
}: {
  label: string;
  disabled: boolean;
  onDecline(reason: string): void;
  onBack(): void;
}) {
  const [reason, setReason] = useState('');
  const field = useRef<HTMLTextAreaElement | null>(null);
  useEffect(() => field.current?.focus(), []);
  return (
    <form
      className="decline-form"
      aria-label={`Decline ${label}`}
      onSubmit={(e) => {
        e.preventDefault();
        onDecline(reason);
      }}
    >
      <label>
        Reason (optional, the person is told)
        <textarea ref={field} maxLength={500} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <span className="row-actions">
        <button type="submit" className="danger" disabled={disabled}>
          Decline request
        </button>
        <button type="button" onClick={onBack}>
          Keep it
        </button>
      </span>
    </form>
  );
}

export function ApprovalsPanel({ approvals, resources, disabled }: Props) {
  const [declining, setDeclining] = useState<string | null>(null);
  const section = useRef<HTMLElement | null>(null);
  const { linked, shown } = approvals;
  // Opened at the approval email's link: the section is brought into view once it is drawn.
  useEffect(() => {
    if (linked && shown) section.current?.scrollIntoView({ block: 'start' });
  }, [linked, shown]);
  if (!shown) return null;
  const { requests, status } = approvals;
  return (
    <section ref={section} aria-labelledby="approvals-heading" className="panel approvals" id="approvals">
      <h2 id="approvals-heading">Approvals</h2>
      <p role="status" className={status?.error ? 'error' : 'muted'}>
        {status?.text ?? ''}
      </p>
      {requests.length === 0 ? (
        <p className="muted">No requests are waiting for your decision.</p>
      ) : (
        <ul className="mine-list" aria-label="Requests awaiting your decision">
          {requests.map((r) => {
            const label = requestLabel(r, resources);
            const off = disabled || approvals.busy.has(r.id);
            return (
              <li key={r.id} data-booking-id={r.id}>
                <span>
                  <strong>{r.userName}</strong> asks for {label}.
                </span>
                <span className="muted" data-expires-at={r.expiresAt}>
                  Decide by {untilText(r.expiresAt)}
                </span>
                {declining === r.id ? (
                  <DeclineForm
                    label={`${r.userName}: ${label}`}
                    disabled={off}
                    onBack={() => setDeclining(null)}
                    onDecline={(reason) => {
                      setDeclining(null);
                      approvals.decline(r, reason);
                    }}
                  />
                ) : (
                  <span className="row-actions">
                    <button
                      type="button"
                      className="primary"
                      disabled={off}
                      aria-label={`Approve ${r.userName}: ${label}`}
                      onClick={() => approvals.approve(r)}
                    >
                      Approve
                    </button>
                    <button
                      type="button"
                      className="danger"
                      disabled={off}
                      aria-label={`Decline ${r.userName}: ${label}`}
                      onClick={() => setDeclining(r.id)}
                    >
                      Decline
                    </button>
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
