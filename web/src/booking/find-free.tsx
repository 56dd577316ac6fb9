/**
 * "Find a free room": the earliest bookable interval of each matching resource (`slots:find`,
 * which respects policies, buffers, quotas and bookings for the caller), each bookable in one
 * click. The dates are the viewer's own days; each result is shown in its resource's zone (and
 * the viewer's when that differs). Each result keeps one idempotency key, so a double click or a
 * retry after a lost ack books it once.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { DateTime } from 'luxon';
import { SlotsFind, describeError } from '@booking/shared';
import type { Booking, FoundSlot, Resource } from '@booking/shared';
import type { BookingCommands } from '../connection/booking-client';
import { formatRange, viewerZone, zoneLabel } from './local-grid';
import { randomKey } from './random-key';
import { TypeOptions } from './type-options';

interface Props {
  send: BookingCommands | null;
  resources: Resource[];
  types: string[];
  disabled: boolean;
  onBooked(booking: Booking, resource: Resource | undefined): void;
}

interface Found extends FoundSlot {
  key: string;
}

type FieldErrors = Partial<Record<'from' | 'to' | 'minutes' | 'form', string>>;

export function FindFree({ send, resources, types, disabled, onBooked }: Props) {
  const today = DateTime.local().toISODate() ?? '';
  const [type, setType] = useState('');
  const [fromDate, setFromDate] = useState(today);
  const [toDate, setToDate] = useState(() => DateTime.local().plus({ days: 6 }).toISODate() ?? '');
  const [minutes, setMinutes] = useState('60');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [found, setFound] = useState<Found[] | null>(null);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const mine = viewerZone();

  const resourceOf = (id: string) => resources.find((r) => r.id === id);

  const search = async (e: FormEvent) => {
    e.preventDefault();
    if (!send) return;
    setMessage(null);
    const start = DateTime.fromISO(fromDate).startOf('day');
    const end = DateTime.fromISO(toDate).plus({ days: 1 }).startOf('day');
    // From now at the earliest: the earlier part of today cannot be booked anyway.
    const from = start.isValid ? DateTime.max(start, DateTime.local().startOf('minute')) : start;
    const payload = {
      from: from.toUTC().toISO() ?? '',
      to: end.toUTC().toISO() ?? '',
      minutes: Number(minutes),
      ...(type ? { type } : {}),
    };
    const parsed = SlotsFind.safeParse(payload);
    if (!start.isValid || !end.isValid || !parsed.success) {
      const next: FieldErrors = {};
      if (!start.isValid) next.from = 'Choose a first day.';
      if (!end.isValid) next.to = 'Choose a last day.';
      for (const issue of parsed.success ? [] : parsed.error.issues) {
        const field = issue.path[0];
        if (field === 'minutes') next.minutes ??= 'Enter whole minutes, 1 to 10080.';
        else if (field === 'to' && !next.to)
          next.to =
            issue.message === 'from must be before to'
              ? 'The last day must not be before the first.'
              : 'Search at most 31 days at once.';
        else if (field === 'from') next.from ??= 'Choose a first day.';
      }
      setErrors(next);
      return;
    }
    setErrors({});
    setPending(true);
    const answer = await send('slots:find', payload);
    setPending(false);
    if (!answer.ok) {
      setErrors({ form: describeError(answer.error) });
      return;
    }
    setFound(answer.data.slots.map((s) => ({ ...s, key: randomKey() })));
  };

  const book = async (slot: Found) => {
    if (!send) return;
    setMessage(null);
    setPending(true);
    const resource = resourceOf(slot.resourceId);
    const answer = await send('booking:create', {
      resourceId: slot.resourceId,
      start: slot.start,
      end: slot.end,
      idempotencyKey: slot.key,
    });
    setPending(false);
    if (!answer.ok) {
      setMessage(`${describeError(answer.error, { resource })} Search again for the next free time.`);
      return;
    }
    setFound((list) => list?.filter((s) => s.key !== slot.key) ?? null);
    onBooked(answer.data.booking, resource);
  };

  const errorId = (field: keyof FieldErrors) => (errors[field] ? `find-${field}-error` : undefined);

  return (
    <section aria-labelledby="find-heading" className="panel find">
      <h2 id="find-heading">Find a free room</h2>
      <form onSubmit={(e) => void search(e)} noValidate>
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <TypeOptions types={types} anyLabel="Any type" />
          </select>
        </label>
        <div className="find-dates">
          <label>
            From
            <input
              type="date"
              value={fromDate}
              aria-invalid={errors.from ? true : undefined}
              aria-describedby={errorId('from')}
              onChange={(e) => setFromDate(e.target.value)}
            />
          </label>
          <label>
            To
            <input
              type="date"
              value={toDate}
              aria-invalid={errors.to ? true : undefined}
              aria-describedby={errorId('to')}
              onChange={(e) => setToDate(e.target.value)}
            />
          </label>
        </div>
        {errors.from && (
          <p id="find-from-error" className="error small">
            {errors.from}
          </p>
        )}
        {errors.to && (
          <p id="find-to-error" className="error small">
            {errors.to}
          </p>
        )}
        <label>
          Minutes
          <input
            type="number"
            min={1}
            max={10080}
            step={1}
            value={minutes}
            aria-invalid={errors.minutes ? true : undefined}
            aria-describedby={errorId('minutes')}
            onChange={(e) => setMinutes(e.target.value)}
          />
        </label>
        {errors.minutes && (
          <p id="find-minutes-error" className="error small">
            {errors.minutes}
          </p>
        )}
        <button type="submit" disabled={disabled || pending}>
          Find free times
        </button>
        {errors.form && (
          <p role="alert" className="error small">
            {errors.form}
          </p>
        )}
      </form>
      {message && (
        <p role="alert" className="error small">
          {message}
        </p>
      )}
      {found !== null &&
        (found.length === 0 ? (
          <p className="muted" role="status">
            Nothing free for that long in those days.
          </p>
        ) : (
          <ul className="found-list" aria-label="Free times">
            {found.map((s) => {
              const resource = resourceOf(s.resourceId);
              const zone = resource?.timeZone ?? mine;
              const when = formatRange(s.start, s.end, zone);
              const yours =
                zone === mine ? '' : ` (${zoneLabel(zone)}); ${formatRange(s.start, s.end, mine)} your time`;
              const name = resource?.name ?? 'A resource';
              return (
                <li key={s.key} data-resource-id={s.resourceId} data-start={s.start}>
                  <span>
                    <strong>{name}</strong> {when}
                    <span className="muted">{yours}</span>
                  </span>
                  <button
                    type="button"
                    className="primary"
                    disabled={disabled || pending}
                    aria-label={`Book ${name}, ${when}`}
                    onClick={() => void book(s)}
                  >
                    Book
                  </button>
                </li>
              );
            })}
          </ul>
        ))}
    </section>
  );
}
