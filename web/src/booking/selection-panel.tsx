/**
 * Under the grid: the error, what is selected (in the resource's zone, and the viewer's when it
 * differs), and what can be done with it: book, move the selected booking here, cancel it,
 * clear, or repeat the selected time as a series.
 */
import type { Booking, Resource, SeriesResult } from '@booking/shared';
import type { BookingCommands } from '../connection/booking-client';
import { quantitySuffix } from './capacity';
import { formatRange } from './local-grid';
import { RepeatPanel } from './repeat-panel';

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
  /** Buttons that send are off while a command runs or the socket is away. */
  disabled: boolean;
  onBook(): void;
  onMove(): void;
  onCancel(booking: Booking): void;
  onClear(): void;
  onError(text: string): void;
  onSeriesBooked(result: SeriesResult): void;
}

export function SelectionPanel(p: Props) {
  const { resource, zone, viewer, selectedBooking, range, disabled } = p;
  const units = resource && resource.capacity > 1 ? `, ${p.quantity} of ${resource.capacity}` : '';
  const yours = (start: number, end: number) =>
    zone === viewer ? '' : ` (${formatRange(start, end, viewer)} your time)`;
  const moveTo = range
    ? `. Move it to ${formatRange(range.start, range.end, zone)}${yours(range.start, range.end)}?`
    : '. Pick a free time to move it, or cancel it.';
  return (
    <section className="actions" aria-label="Selection">
      {p.error && (
        <p role="alert" className="error">
          {p.error}
        </p>
      )}
      <p aria-live="polite" className="summary">
        {selectedBooking
          ? `Your booking: ${formatRange(selectedBooking.start, selectedBooking.end, zone)}${moveTo}`
          : range
            ? `Selected: ${formatRange(range.start, range.end, zone)}${yours(range.start, range.end)}${units}`
            : 'Nothing selected.'}
      </p>
      <div className="row-actions">
        {!selectedBooking && range && (
          <button type="button" className="primary" disabled={disabled} onClick={p.onBook}>
            Book {formatRange(range.start, range.end, zone)}
            {quantitySuffix(resource && resource.capacity > 1 ? p.quantity : 1)}
          </button>
        )}
        {selectedBooking && range && (
          <button type="button" className="primary" disabled={disabled} onClick={p.onMove}>
            Move booking here
          </button>
        )}
        {selectedBooking && (
          <button type="button" className="danger" disabled={disabled} onClick={() => p.onCancel(selectedBooking)}>
            Cancel booking
          </button>
        )}
        {(selectedBooking || range) && (
          <button type="button" onClick={p.onClear}>
            Clear selection
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
          disabled={disabled}
          onError={p.onError}
          onBooked={p.onSeriesBooked}
        />
      )}
    </section>
  );
}
