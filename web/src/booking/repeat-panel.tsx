/**
 * "Repeat" in the booking panel: turns the selected time into a series (`booking:createSeries`):
 * daily or weekly on chosen weekdays, until a date or N times, skipping or refusing taken dates.
 * Before anything is sent it previews every occurrence, expanded by the same shared function the
 * server books with, and marks those that are taken (read with `availability:get`, 31 days at a
 * time) or break the resource's rules. For a resource of several units, each occurrence takes
 * the quantity chosen on the page, and is taken where fewer units than that are free.
 */
import { DateTime } from 'luxon';
import { useEffect, useMemo, useState } from 'react';
import { expandSeries, INTL_TAGS, WEEKDAYS } from '@booking/shared';
import { createAct, describeSeriesError, occurrenceSentence } from '@booking/client';
import type { Resource, SeriesResult, Weekday } from '@booking/shared';
import type { BookingCommands } from '../connection/booking-client';
import { formatRange } from './local-grid';
import { randomKey } from './random-key';
import { useSeriesPreview } from './use-series-preview';
import type { Mark } from './use-series-preview';
import { describeAccessError } from './resource-access';
import { currentLocale, useT } from '../i18n';

interface Props {
  send: BookingCommands | null;
  resource: Resource;
  range: { start: number; end: number };
  /** Units each occurrence takes (sent only for a resource of several units). */
  quantity: number;
  /** (v3) The series' title (sent trimmed when not empty). */
  title: string;
  disabled: boolean;
  onBooked(result: SeriesResult): void;
  onError(text: string): void;
  /** (v3) The repeat was turned on or off (a series is not held, so the selection's hold is let go). */
  onRepeating?(on: boolean): void;
  /** (v3) False while the selection's hold is being let go: the preview waits for it. */
  ready?: boolean;
}

/** A weekday's short name in the page's language (Intl: 1 January 2024 was a Monday). */
const dayLabel = (d: Weekday): string =>
  new Intl.DateTimeFormat(INTL_TAGS[currentLocale()], { weekday: 'short', timeZone: 'UTC' }).format(
    Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(d)),
  );

/** How the series repeats and ends, as the form holds it. */
interface RepeatRule {
  every: 'day' | 'week';
  interval: number;
  weekdays: Weekday[];
  ends: 'count' | 'until';
  count: number;
  until: string;
}
type ChangeRule = (change: (rule: RepeatRule) => Partial<RepeatRule>) => void;

/** A radio button with its label after it. */
function RadioOption(props: { name: string; checked: boolean; onChoose(): void; children: string }) {
  return (
    <label>
      <input type="radio" name={props.name} checked={props.checked} onChange={props.onChoose} /> {props.children}
    </label>
  );
}

/** Every N days or weeks, on the chosen weekdays (none: the selected day's). */
function RepeatEvery({ rule, change, firstDay }: { rule: RepeatRule; change: ChangeRule; firstDay: Weekday }) {
  const toggleDay = (d: Weekday) =>
    change((r) => ({ weekdays: r.weekdays.includes(d) ? r.weekdays.filter((x) => x !== d) : [...r.weekdays, d] }));
  const { t } = useT();
  return (
    <>
      <div className="repeat-row">
        <label>
          {t('repeat.every')}
          <select
            value={rule.interval}
            onChange={(e) => change(() => ({ interval: Number(e.target.value) }))}
            aria-label={t('repeat.everyHowMany')}
          >
            {[1, 2, 3, 4].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('repeat.unit')}
          <select
            value={rule.every}
            onChange={(e) => change(() => ({ every: e.target.value === 'day' ? 'day' : 'week' }))}
          >
            <option value="day">{t('repeat.days', { count: rule.interval })}</option>
            <option value="week">{t('repeat.weeks', { count: rule.interval })}</option>
          </select>
        </label>
      </div>
      <fieldset className="weekdays">
        <legend>{t('repeat.on', { day: dayLabel(firstDay) })}</legend>
        {WEEKDAYS.map((d) => (
          <label key={d}>
            <input type="checkbox" checked={rule.weekdays.includes(d)} onChange={() => toggleDay(d)} /> {dayLabel(d)}
          </label>
        ))}
      </fieldset>
    </>
  );
}

/** After N occurrences, or on a last date. */
function RepeatEnds({ rule, change }: { rule: RepeatRule; change: ChangeRule }) {
  const { t } = useT();
  return (
    <fieldset>
      <legend>{t('repeat.ends')}</legend>
      <RadioOption
        name="repeat-ends"
        checked={rule.ends === 'count'}
        onChoose={() => change(() => ({ ends: 'count' }))}
      >
        {t('repeat.after')}
      </RadioOption>
      <label>
        {t('repeat.occurrences')}
        <input
          type="number"
          min={1}
          max={100}
          value={rule.count}
          disabled={rule.ends !== 'count'}
          onChange={(e) => change(() => ({ count: Math.max(1, Math.min(100, Number(e.target.value) || 1)) }))}
        />
      </label>
      <RadioOption
        name="repeat-ends"
        checked={rule.ends === 'until'}
        onChoose={() => change(() => ({ ends: 'until' }))}
      >
        {t('repeat.onDate')}
      </RadioOption>
      <label>
        {t('repeat.lastDate')}
        <input
          type="date"
          value={rule.until}
          disabled={rule.ends !== 'until'}
          onChange={(e) => change(() => ({ until: e.target.value }))}
        />
      </label>
    </fieldset>
  );
}

/** Skip a taken date and book the others, or book none. */
function ConflictChoice({ value, onChange }: { value: 'skip' | 'fail'; onChange(value: 'skip' | 'fail'): void }) {
  const { t } = useT();
  return (
    <fieldset>
      <legend>{t('repeat.ifTaken')}</legend>
      <RadioOption name="repeat-conflict" checked={value === 'skip'} onChoose={() => onChange('skip')}>
        {t('repeat.skip')}
      </RadioOption>
      <RadioOption name="repeat-conflict" checked={value === 'fail'} onChoose={() => onChange('fail')}>
        {t('repeat.fail')}
      </RadioOption>
    </fieldset>
  );
}

/** The series' repeat as `booking:createSeries` takes it, and its occurrences (null: the form is not complete). */
function useExpansion(on: boolean, rule: RepeatRule, range: { start: number; end: number }, zone: string) {
  const { every, interval, weekdays, ends, count, until } = rule;
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
  return { repeat, expansion };
}

export function RepeatPanel({
  send,
  resource,
  range,
  quantity,
  title,
  disabled,
  onBooked,
  onError,
  onRepeating,
  ready,
}: Props) {
  const zone = resource.timeZone;
  const firstDay = WEEKDAYS[DateTime.fromMillis(range.start, { zone }).weekday - 1] ?? 'mon';
  const [on, setOn] = useState(false);
  const [rule, setRule] = useState<RepeatRule>({
    every: 'week',
    interval: 1,
    weekdays: [],
    ends: 'count',
    count: 4,
    until: '',
  });
  const change: ChangeRule = (f) => setRule((r) => ({ ...r, ...f(r) }));
  const [onConflict, setOnConflict] = useState<'skip' | 'fail'>('skip');
  const [sending, setSending] = useState(false);
  const { t } = useT();

  const { repeat, expansion } = useExpansion(on, rule, range, zone);
  const occurrences = expansion?.ok ? expansion.occurrences : [];
  // (v3) A series is not held: turning the repeat on lets the selection's hold go, and the preview
  // reads the series' times only once it is gone (else it would see the hold as taken).
  useEffect(() => {
    onRepeating?.(on);
  }, [on, onRepeating]);
  useEffect(() => () => onRepeating?.(false), [onRepeating]);
  const { busy, marks } = useSeriesPreview(ready === false ? null : send, resource, occurrences, quantity);
  const bookable = marks.filter((m) => m.kind === 'free').length;

  const act = createAct({
    begin: () => setSending(true),
    end: () => setSending(false),
    say: () => undefined,
    fail: (e) => onError(describeAccessError(e) ?? describeSeriesError(e, { resource })),
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
          ...(resource.capacity > 1 ? { quantity } : {}),
          ...(title.trim() ? { title: title.trim() } : {}),
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
      <legend>{t('repeat.title')}</legend>
      <label>
        <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} /> {t('repeat.toggle')}
      </label>
      {on && (
        <>
          <p className="muted">{t('repeat.notHeld')}</p>
          <RepeatEvery rule={rule} change={change} firstDay={firstDay} />
          <RepeatEnds rule={rule} change={change} />
          <ConflictChoice value={onConflict} onChange={setOnConflict} />
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
                {t('repeat.book', { count: onConflict === 'skip' ? bookable : occurrences.length })}
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
  const { t } = useT();
  return (
    <>
      <p aria-live="polite" className="summary">
        {busy === null ? t('repeat.checking') : t('repeat.free', { free: bookable, count: occurrences.length })}
      </p>
      <ol className="preview" aria-label={t('repeat.preview')}>
        {occurrences.map((o, i) => {
          const mark = marks[i] ?? { kind: 'free' };
          const text =
            mark.kind === 'free'
              ? t('repeat.freeMark')
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
