/**
 * "Repeat" in the booking panel: turns the selected time into a series (`booking:createSeries`):
 * daily or weekly on chosen weekdays, until a date or N times, skipping or refusing taken dates.
 * Before anything is sent it previews every occurrence, expanded by the same shared function the
 * server books with, and marks those that are taken (read with `availability:get`, 31 days at a
 * time) or break the resource's rules.
 */
import { DateTime } from 'luxon';
import { useMemo, useState } from 'react';
import { createAct, describeSeriesError, expandSeries, occurrenceSentence, WEEKDAYS } from '@booking/shared';
import type { Resource, SeriesResult, Weekday } from '@booking/shared';
import type { BookingCommands } from '../connection/booking-client';
import { formatRange } from './local-grid';
import { randomKey } from './random-key';
import { useSeriesPreview } from './use-series-preview';
import type { Mark } from './use-series-preview';

interface Props {
  send: BookingCommands | null;
  resource: Resource;
  range: { start: number; end: number };
  disabled: boolean;
  onBooked(result: SeriesResult): void;
  onError(text: string): void;
}

const DAY_LABELS: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

export function RepeatPanel({ send, resource, range, disabled, onBooked, onError }: Props) {
  const zone = resource.timeZone;
  const firstDay = WEEKDAYS[DateTime.fromMillis(range.start, { zone }).weekday - 1] ?? 'mon';
  const [on, setOn] = useState(false);
  const [every, setEvery] = useState<'day' | 'week'>('week');
  const [interval, setEveryN] = useState(1);
  const [weekdays, setWeekdays] = useState<Weekday[]>([]);
  const [ends, setEnds] = useState<'count' | 'until'>('count');
  const [count, setCount] = useState(4);
  const [until, setUntil] = useState('');
  const [onConflict, setOnConflict] = useState<'skip' | 'fail'>('skip');
  const [sending, setSending] = useState(false);

  const repeat = useMemo(
    () => ({
      every,
      ...(interval > 1 ? { interval } : {}),
      ...(weekdays.length > 0 ? { weekdays: WEEKDAYS.filter((d) => weekdays.includes(d)) } : {}),
      ...(ends === 'count' ? { count } : { until }),
    }),
    [every, interval, weekdays, ends, count, until],
  );
  const expansion = useMemo(
    () =>
      on && (ends === 'count' || /^\d{4}-\d{2}-\d{2}$/.test(until))
        ? expandSeries({ start: new Date(range.start), end: new Date(range.end), repeat, timeZone: zone })
        : null,
    [on, ends, until, range.start, range.end, repeat, zone],
  );
  const occurrences = expansion?.ok ? expansion.occurrences : [];
  const { busy, marks } = useSeriesPreview(send, resource, occurrences);
  const bookable = marks.filter((m) => m.kind === 'free').length;

  const toggleDay = (d: Weekday) => setWeekdays((ds) => (ds.includes(d) ? ds.filter((x) => x !== d) : [...ds, d]));

  const act = createAct({
    begin: () => setSending(true),
    end: () => setSending(false),
    say: () => undefined,
    fail: (e) => onError(describeSeriesError(e, { resource })),
  });
  const submit = async () => {
    if (!send || !expansion?.ok) return;
    const start = new Date(range.start).toISOString();
    const end = new Date(range.end).toISOString();
    await act(
      () =>
        send('booking:createSeries', {
          resourceId: resource.id,
          start,
          end,
          repeat,
          onConflict,
          idempotencyKey: randomKey(),
        }),
      (result) => {
        setOn(false);
        onBooked(result);
      },
    );
  };

  return (
    <fieldset className="repeat">
      <legend>Repeat</legend>
      <label>
        <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} /> Repeat this booking
      </label>
      {on && (
        <>
          <div className="repeat-row">
            <label>
              Every
              <select value={interval} onChange={(e) => setEveryN(Number(e.target.value))} aria-label="Every how many">
                {[1, 2, 3, 4].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Unit
              <select value={every} onChange={(e) => setEvery(e.target.value === 'day' ? 'day' : 'week')}>
                <option value="day">day(s)</option>
                <option value="week">week(s)</option>
              </select>
            </label>
          </div>
          <fieldset className="weekdays">
            <legend>On (default: {DAY_LABELS[firstDay]})</legend>
            {WEEKDAYS.map((d) => (
              <label key={d}>
                <input type="checkbox" checked={weekdays.includes(d)} onChange={() => toggleDay(d)} /> {DAY_LABELS[d]}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Ends</legend>
            <label>
              <input type="radio" name="repeat-ends" checked={ends === 'count'} onChange={() => setEnds('count')} />{' '}
              After
            </label>
            <label>
              Occurrences
              <input
                type="number"
                min={1}
                max={100}
                value={count}
                disabled={ends !== 'count'}
                onChange={(e) => setCount(Math.max(1, Math.min(100, Number(e.target.value) || 1)))}
              />
            </label>
            <label>
              <input type="radio" name="repeat-ends" checked={ends === 'until'} onChange={() => setEnds('until')} /> On
              date
            </label>
            <label>
              Last date
              <input type="date" value={until} disabled={ends !== 'until'} onChange={(e) => setUntil(e.target.value)} />
            </label>
          </fieldset>
          <fieldset>
            <legend>If a date is taken</legend>
            <label>
              <input
                type="radio"
                name="repeat-conflict"
                checked={onConflict === 'skip'}
                onChange={() => setOnConflict('skip')}
              />{' '}
              Skip it, book the others
            </label>
            <label>
              <input
                type="radio"
                name="repeat-conflict"
                checked={onConflict === 'fail'}
                onChange={() => setOnConflict('fail')}
              />{' '}
              Book none
            </label>
          </fieldset>
          {expansion && !expansion.ok && (
            <p role="alert" className="error">
              {expansion.reason.charAt(0).toUpperCase() + expansion.reason.slice(1)}.
            </p>
          )}
          {occurrences.length > 0 && (
            <>
              <SeriesPreview occurrences={occurrences} marks={marks} busy={busy} bookable={bookable} zone={zone} />
              <button
                type="button"
                className="primary"
                disabled={
                  disabled ||
                  sending ||
                  busy === null ||
                  (onConflict === 'fail' ? bookable < occurrences.length : bookable === 0)
                }
                onClick={() => void submit()}
              >
                Book {onConflict === 'skip' ? bookable : occurrences.length} occurrences
              </button>
            </>
          )}
        </>
      )}
    </fieldset>
  );
}

/** How many dates are free, and each occurrence with its mark. */
function SeriesPreview({
  occurrences,
  marks,
  busy,
  bookable,
  zone,
}: {
  occurrences: Array<{ start: Date; end: Date }>;
  marks: Mark[];
  busy: unknown[] | null;
  bookable: number;
  zone: string;
}) {
  return (
    <>
      <p aria-live="polite" className="summary">
        {busy === null ? 'Checking the dates…' : `${bookable} of ${occurrences.length} dates are free.`}
      </p>
      <ol className="preview" aria-label="Preview of the occurrences">
        {occurrences.map((o, i) => {
          const mark = marks[i] ?? { kind: 'free' };
          const text =
            mark.kind === 'free'
              ? 'free'
              : mark.kind === 'taken'
                ? occurrenceSentence({ code: 'SLOT_TAKEN' })
                : mark.why;
          return (
            <li key={o.start.toISOString()} data-start={o.start.toISOString()} data-state={mark.kind}>
              {formatRange(o.start.getTime(), o.end.getTime(), zone)}: {text}
            </li>
          );
        })}
      </ol>
    </>
  );
}
