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
import { translate, useT } from '../i18n';

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
  const named = zone === mine ? '' : translate('approvals.zoneTime', { zone: zoneLabel(zone) });
  const name = resource?.name ?? translate('common.unknownResource');
  return `${name}${quantitySuffix(r.quantity)}, ${formatRange(r.start, r.end, zone)}${named}`;
}

/** "Mon 7 Dec 09:00" in the viewer's zone: when a request runs out. */
export function untilText(iso: string | undefined): string {
  if (!iso) return translate('approvals.itsStart');
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
  const { t } = useT();
  useEffect(() => field.current?.focus(), []);
  return (
    <form
      className="decline-form"
      aria-label={t('approvals.declineLabel', { label })}
      onSubmit={(e) => {
        e.preventDefault();
        onDecline(reason);
      }}
    >
      <label>
        {t('approvals.reason')}
        <textarea ref={field} maxLength={500} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <span className="row-actions">
        <button type="submit" className="danger" disabled={disabled}>
          {t('approvals.declineRequest')}
        </button>
        <button type="button" onClick={onBack}>
          {t('approvals.keep')}
        </button>
      </span>
    </form>
  );
}

export function ApprovalsPanel({ approvals, resources, disabled }: Props) {
  const [declining, setDeclining] = useState<string | null>(null);
  const section = useRef<HTMLElement | null>(null);
  const { t } = useT();
  const { linked, shown } = approvals;
  // Opened at the approval email's link: the section is brought into view once it is drawn.
  useEffect(() => {
    if (linked && shown) section.current?.scrollIntoView({ block: 'start' });
  }, [linked, shown]);
  if (!shown) return null;
  const { requests, status } = approvals;
  return (
    <section ref={section} aria-labelledby="approvals-heading" className="panel approvals" id="approvals">
      <h2 id="approvals-heading">{t('approvals.title')}</h2>
      <p role="status" className={status?.error ? 'error' : 'muted'}>
        {status?.text ?? ''}
      </p>
      {requests.length === 0 ? (
        <p className="muted">{t('approvals.none')}</p>
      ) : (
        <ul className="mine-list" aria-label={t('approvals.list')}>
          {requests.map((r) => {
            const label = requestLabel(r, resources);
            const off = disabled || approvals.busy.has(r.id);
            return (
              <li key={r.id} data-booking-id={r.id}>
                <span>
                  <strong>{r.userName}</strong> {t('approvals.asksFor', { label })}
                </span>
                <span className="muted" data-expires-at={r.expiresAt}>
                  {t('approvals.decideBy', { until: untilText(r.expiresAt) })}
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
                      aria-label={t('approvals.approveLabel', { name: r.userName, label })}
                      onClick={() => approvals.approve(r)}
                    >
                      {t('approvals.approve')}
                    </button>
                    <button
                      type="button"
                      className="danger"
                      disabled={off}
                      aria-label={t('approvals.declineLabel', { label: `${r.userName}: ${label}` })}
                      onClick={() => setDeclining(r.id)}
                    >
                      {t('approvals.decline')}
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
