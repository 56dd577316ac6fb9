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
import { describeError } from '@booking/client';
import type { Booking, FoundSlot, Resource } from '@booking/shared';
import type { BookingCommands } from '../connection/booking-client';
import { readSearch } from './find-free-search';
import type { FieldErrors } from './find-free-search';
import { formatRange, viewerZone, zoneLabel } from './local-grid';
import { randomKey } from './random-key';
import { TypeOptions } from './type-options';
import { describeAccessError } from './resource-access';
import { useT } from '../i18n';

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

type Field = 'from' | 'to' | 'minutes' | 'quantity' | 'minSeats';

/** A field's error line, the one its input is described by. */
function FieldError({ field, errors }: { field: Field; errors: FieldErrors }) {
  const text = errors[field];
  return text ? (
    <p id={`find-${field}-error`} className="error small">
      {text}
    </p>
  ) : null;
}

/** An input marked invalid and described by its field's error line when it has one. */
function FieldInput(props: {
  label: string;
  field: Field;
  type: 'date' | 'number';
  value: string;
  errors: FieldErrors;
  onChange(value: string): void;
  range?: { min: number; max: number };
  placeholder?: string;
}) {
  const { field, errors, range } = props;
  return (
    <label>
      {props.label}
      <input
        type={props.type}
        {...(range ? { min: range.min, max: range.max, step: 1 } : {})}
        value={props.value}
        placeholder={props.placeholder}
        aria-invalid={errors[field] ? true : undefined}
        aria-describedby={errors[field] ? `find-${field}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}

/** A whole-number input with its error line. */
function NumberField(props: {
  label: string;
  field: 'minutes' | 'quantity' | 'minSeats';
  min: number;
  max: number;
  value: string;
  placeholder?: string;
  errors: FieldErrors;
  onChange(value: string): void;
}) {
  const { min, max, ...rest } = props;
  return (
    <>
      <FieldInput {...rest} type="number" range={{ min, max }} />
      <FieldError field={props.field} errors={props.errors} />
    </>
  );
}

/** The results: each free time in its resource's zone (and the viewer's when that differs) with its Book button. */
function FoundList(props: {
  found: Found[];
  resourceOf(id: string): Resource | undefined;
  disabled: boolean;
  onBook(slot: Found): void;
}) {
  const mine = viewerZone();
  const { t } = useT();
  if (props.found.length === 0)
    return (
      <p className="muted" role="status">
        {t('find.nothing')}
      </p>
    );
  return (
    <ul className="found-list" aria-label={t('find.results')}>
      {props.found.map((s) => {
        const resource = props.resourceOf(s.resourceId);
        const zone = resource?.timeZone ?? mine;
        const when = formatRange(s.start, s.end, zone);
        const yours =
          zone === mine ? '' : t('find.yourTime', { zone: zoneLabel(zone), range: formatRange(s.start, s.end, mine) });
        const name = resource?.name ?? t('find.aResource');
        return (
          <li key={s.key} data-resource-id={s.resourceId} data-start={s.start}>
            <span>
              <strong>{name}</strong> {when}
              <span className="muted">{yours}</span>
            </span>
            <button
              type="button"
              className="primary"
              disabled={props.disabled}
              aria-label={t('find.bookLabel', { name, when })}
              onClick={() => props.onBook(s)}
            >
              {t('find.book')}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export function FindFree({ send, resources, types, disabled, onBooked }: Props) {
  const today = DateTime.local().toISODate() ?? '';
  const [type, setType] = useState('');
  const [fromDate, setFromDate] = useState(today);
  const [toDate, setToDate] = useState(() => DateTime.local().plus({ days: 6 }).toISODate() ?? '');
  const [minutes, setMinutes] = useState('60');
  const [quantity, setQuantity] = useState('1');
  const [minSeats, setMinSeats] = useState('');
  /** The units of the last search: what its results book. */
  const [units, setUnits] = useState(1);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [found, setFound] = useState<Found[] | null>(null);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const resourceOf = (id: string) => resources.find((r) => r.id === id);
  const { t } = useT();

  const search = async (e: FormEvent) => {
    e.preventDefault();
    if (!send) return;
    setMessage(null);
    const read = readSearch({ type, fromDate, toDate, minutes, quantity, minSeats });
    if (!read.ok) {
      setErrors(read.errors);
      return;
    }
    setErrors({});
    // The last search's results go at once: they answered another question.
    setFound(null);
    setPending(true);
    const answer = await send('slots:find', read.payload);
    setPending(false);
    if (!answer.ok) {
      setErrors({ form: describeError(answer.error) });
      return;
    }
    setUnits(read.payload.quantity ?? 1);
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
      ...(units > 1 ? { quantity: units } : {}),
      idempotencyKey: slot.key,
    });
    setPending(false);
    if (!answer.ok) {
      const access = describeAccessError(answer.error);
      setMessage(access ?? t('find.bookFailed', { error: describeError(answer.error, { resource }) }));
      return;
    }
    setFound((list) => list?.filter((s) => s.key !== slot.key) ?? null);
    onBooked(answer.data.booking, resource);
  };

  return (
    <section aria-labelledby="find-heading" className="panel find">
      <h2 id="find-heading">{t('find.title')}</h2>
      <form onSubmit={(e) => void search(e)} noValidate>
        <label>
          {t('find.type')}
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <TypeOptions types={types} anyLabel={t('find.anyType')} />
          </select>
        </label>
        <div className="find-dates">
          <FieldInput
            label={t('find.from')}
            field="from"
            type="date"
            value={fromDate}
            errors={errors}
            onChange={setFromDate}
          />
          <FieldInput label={t('find.to')} field="to" type="date" value={toDate} errors={errors} onChange={setToDate} />
        </div>
        <FieldError field="from" errors={errors} />
        <FieldError field="to" errors={errors} />
        <NumberField
          label={t('find.minutes')}
          field="minutes"
          min={1}
          max={10080}
          value={minutes}
          errors={errors}
          onChange={setMinutes}
        />
        <NumberField
          label={t('find.units')}
          field="quantity"
          min={1}
          max={1000}
          value={quantity}
          errors={errors}
          onChange={setQuantity}
        />
        <NumberField
          label={t('find.minSeats')}
          field="minSeats"
          min={1}
          max={100000}
          value={minSeats}
          placeholder={t('find.any')}
          errors={errors}
          onChange={setMinSeats}
        />
        <button type="submit" disabled={disabled || pending}>
          {t('find.submit')}
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
      {found !== null && (
        <FoundList found={found} resourceOf={resourceOf} disabled={disabled || pending} onBook={(s) => void book(s)} />
      )}
    </section>
  );
}
