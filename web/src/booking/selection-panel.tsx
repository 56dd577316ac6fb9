/**
 * Under the grid: the error, what is selected (in the resource's zone, and the viewer's when it
 * differs), and what can be done with it: book, move the selected booking here, cancel it,
 * clear, or repeat the selected time as a series. (v3) The selected time is held while the person
 * decides (`hold-status.tsx` counts down), Book confirms the hold, and a taken time offers "Join the
 * waitlist". (v3, issue 26) Where bookings need approval it says so near Book, and a refusal an
 * approver may override offers "Request approval".
 */
import type { Booking, Resource, SeriesResult } from '@booking/shared';
import type { BookingCommands } from '../connection/booking-client';
import { quantitySuffix } from './capacity';
import { formatRange } from './local-grid';
import { HoldStatus } from './hold-status';
import { RepeatPanel } from './repeat-panel';
import type { HoldState } from './use-hold';
import { useT } from '../i18n';

interface Props {
  send: BookingCommands | null;
  resource: Resource | null;
  zone: string;
  viewer: string;
  error: string | null;
  selectedBooking: Booking | null;
  range: { start: number; end: number } | null;
  /** Units to book (1 for a resource of capacity 1). */
  quantity: number;
  /** (v3) The title of what is booked (optional, at most 120 characters). */
  title: string;
  onTitle(title: string): void;
  /** Buttons that send are off while a command runs or the socket is away. */
  disabled: boolean;
  onBook(): void;
  onMove(): void;
  onCancel(booking: Booking): void;
  onClear(): void;
  onError(text: string): void;
  onSeriesBooked(result: SeriesResult): void;
  /** (v3) The hold on the selection, and why it failed (null: it did not). */
  hold: HoldState;
  holdFailure: string | null;
  /** (v3) The time can be waited for (it is taken): offer "Join the waitlist". */
  canWait: boolean;
  /** (v3) No hold or cancel is under way (a series' preview waits for the hold to be let go). */
  holdQuiet: boolean;
  onHoldAgain(): void;
  onJoinWaitlist(): void;
  onRepeating(on: boolean): void;
  /**
   * (v3) Approval: bookings of the resource need it (`required: "always"`, the person is no
   * approver), and a refusal of the selection may be asked for approval ("Request approval").
   */
  approval: { needed: boolean; offered: boolean; onRequest(): void };
}

export function SelectionPanel(p: Props) {
  const { resource, zone, viewer, selectedBooking, range, disabled, hold } = p;
  const error = p.error ?? p.holdFailure;
  const { t } = useT();
  // A hold that ran out is held again first; a time someone else has can only be waited for.
  const bookable = hold.kind !== 'expired' && !(hold.kind === 'failed' && p.canWait);
  const units =
    resource && resource.capacity > 1
      ? t('selection.units', { quantity: p.quantity, capacity: resource.capacity })
      : '';
  const yours = (start: number, end: number) =>
    zone === viewer ? '' : t('selection.yourTime', { range: formatRange(start, end, viewer) });
  const moveTo = range
    ? t('selection.moveTo', { range: formatRange(range.start, range.end, zone), yours: yours(range.start, range.end) })
    : t('selection.pickToMove');
  return (
    <section className="actions" aria-label={t('selection.label')}>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p aria-live="polite" className="summary">
        {selectedBooking
          ? t('selection.yours', { range: formatRange(selectedBooking.start, selectedBooking.end, zone), moveTo })
          : range
            ? t('selection.selected', {
                range: formatRange(range.start, range.end, zone),
                yours: yours(range.start, range.end),
                units,
              })
            : t('selection.nothing')}
      </p>
      {!selectedBooking && range && (
        <label className="booking-title-field">
          {t('selection.title')}
          <input name="title" maxLength={120} value={p.title} onChange={(e) => p.onTitle(e.target.value)} />
        </label>
      )}
      <HoldStatus
        state={hold}
        zone={zone}
        taken={p.canWait}
        disabled={disabled}
        onHoldAgain={p.onHoldAgain}
        onJoinWaitlist={p.onJoinWaitlist}
      />
      {p.approval.needed && !selectedBooking && <p className="approval-note">{t('selection.needsApproval')}</p>}
      <div className="row-actions">
        {!selectedBooking && range && p.approval.offered && (
          <button type="button" className="primary" disabled={disabled} onClick={p.approval.onRequest}>
            {t('selection.requestApproval')}
          </button>
        )}
        {!selectedBooking && range && bookable && !p.approval.offered && (
          <button type="button" className="primary" disabled={disabled} onClick={p.onBook}>
            {t('selection.book', { range: formatRange(range.start, range.end, zone) })}
            {quantitySuffix(resource && resource.capacity > 1 ? p.quantity : 1)}
          </button>
        )}
        {selectedBooking && range && (
          <button type="button" className="primary" disabled={disabled} onClick={p.onMove}>
            {t('selection.move')}
          </button>
        )}
        {selectedBooking && (
          <button type="button" className="danger" disabled={disabled} onClick={() => p.onCancel(selectedBooking)}>
            {t('selection.cancel')}
          </button>
        )}
        {(selectedBooking || range) && (
          <button type="button" onClick={p.onClear}>
            {t('selection.clear')}
          </button>
        )}
      </div>
      {!selectedBooking && range && resource && (
        <RepeatPanel
          key={`${resource.id}:${range.start}:${range.end}`}
          send={p.send}
          resource={resource}
          range={range}
          quantity={resource.capacity > 1 ? p.quantity : 1}
          title={p.title}
          disabled={disabled}
          onError={p.onError}
          onBooked={p.onSeriesBooked}
          onRepeating={p.onRepeating}
          ready={p.holdQuiet}
        />
      )}
    </section>
  );
}
