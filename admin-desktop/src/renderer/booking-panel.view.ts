import { DateTime } from 'luxon';
import type { AdminBooking, Resource, User } from '@booking/shared';
import { h } from './dom.util';
import { holdKind } from './holds';
import { localTime } from './timeline.view';
import { statusWord } from './booking-block.view';
import { formatAt, t } from './i18n';

/**
 * The booking picked on the timeline, with its Cancel button; an occurrence of a series says so
 * and can also cancel itself and every later occurrence of the series.
 */
export function renderSelected(opts: {
  booking: AdminBooking | null;
  resource: Resource | null;
  onCancel: (id: string) => void;
  onCancelSeries: (seriesId: string, from: string) => void;
}): HTMLElement {
  const b = opts.booking;
  if (!b) return h('p', { class: 'muted' }, t('selected.empty'));
  const cancel = h(
    'button',
    { type: 'button', class: 'btn danger', 'data-testid': 'cancel-booking', disabled: b.status !== 'active' },
    b.seriesId ? t('selected.cancelOccurrence') : t('selected.cancel'),
  );
  cancel.addEventListener('click', () => opts.onCancel(b.id));
  const seriesId = b.seriesId;
  const cancelRest = seriesId
    ? h(
        'button',
        { type: 'button', class: 'btn danger', 'data-testid': 'cancel-series', disabled: b.status !== 'active' },
        t('selected.cancelRest'),
      )
    : null;
  if (cancelRest && seriesId) cancelRest.addEventListener('click', () => opts.onCancelSeries(seriesId, b.start));
  return h(
    'div',
    { class: 'selected', 'data-testid': 'selected-booking', 'data-booking-id': b.id },
    h(
      'dl',
      {},
      h('dt', {}, t('selected.who')),
      h('dd', {}, b.userName),
      ...(b.title ? [h('dt', {}, t('selected.title')), h('dd', { 'data-testid': 'selected-title' }, b.title)] : []),
      h('dt', {}, t('selected.what')),
      h('dd', {}, opts.resource?.name ?? b.resourceId),
      h('dt', {}, t('selected.when')),
      h('dd', {}, when(b, opts.resource?.timeZone ?? 'UTC')),
      ...(b.quantity > 1
        ? [h('dt', {}, t('selected.units')), h('dd', { 'data-testid': 'selected-quantity' }, String(b.quantity))]
        : []),
      h('dt', {}, t('selected.status')),
      h('dd', { 'data-testid': 'selected-status' }, statusWords(b, opts.resource?.timeZone ?? 'UTC')),
      ...(seriesId
        ? [
            h('dt', {}, t('selected.repeats')),
            h('dd', { 'data-testid': 'series-id' }, t('selected.series', { seriesId })),
          ]
        : []),
    ),
    cancel,
    ...(cancelRest ? [cancelRest] : []),
  );
}

/** The status; a hold, a waitlist offer or a request (v3) says which and when it runs out, in the resource's zone. */
function statusWords(b: AdminBooking, zone: string): string {
  const kind = holdKind(b);
  const until = b.expiresAt ? localTime(b.expiresAt, zone) : null;
  if (b.status === 'pending') return until ? t('selected.pendingUntil', { time: until }) : t('block.awaitingApproval');
  if (kind === null) return statusWord(b.status);
  const what = kind === 'offer' ? t('block.offerSentence') : t('block.heldSentence');
  return until ? `${what} ${t('block.until', { time: until })}` : what;
}

/** `Tue 2 Jan 10:00–11:00 Europe/Berlin`: in the resource's zone and the dashboard's language. */
function when(b: AdminBooking, zone: string): string {
  return `${formatAt(b.start, zone, 'date')} ${localTime(b.start, zone)}–${localTime(b.end, zone)} ${zone}`;
}

export interface BookingFormValues {
  userId: string;
  resourceId: string;
  start: string;
  end: string;
  /** Units to book: sent only for a resource of several units. */
  quantity?: number;
  /** (v3) The booking's title, when staff typed one. */
  title?: string;
}

/** Book a resource on behalf of a user, on the chosen day, at a local time of the resource's zone. */
export interface BookingForm {
  el: HTMLElement;
  /** Refreshes the choices and the day; keeps what staff already picked or typed. */
  update(opts: { date: string; users: User[]; resources: Resource[] }): void;
}

/** Sets a select's options, keeping its current choice when it still exists. */
function setOptions(select: HTMLSelectElement, options: Array<{ value: string; label: string }>): void {
  const keep = select.value;
  select.replaceChildren(...options.map((o) => h('option', { value: o.value }, o.label)));
  if (options.some((o) => o.value === keep)) select.value = keep;
}

export function createBookingForm(opts: {
  onSearch: (query: string) => void;
  onSubmit: (values: BookingFormValues) => void;
}): BookingForm {
  let date = '';
  const search = h('input', { type: 'search', placeholder: t('book.findUser'), 'aria-label': t('book.findUser') });
  let timer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => opts.onSearch(search.value), 250);
  });
  const user = h('select', { 'aria-label': t('book.userLabel'), required: true });
  const resource = h('select', { 'aria-label': t('book.resourceLabel'), required: true });
  const time = h('input', {
    type: 'time',
    value: '09:00',
    step: 300,
    'aria-label': t('book.startLabel'),
    required: true,
  });
  const minutes = h('input', {
    type: 'number',
    value: 60,
    min: 5,
    max: 1440,
    step: 5,
    'aria-label': t('book.minutesLabel'),
    required: true,
  });
  const quantity = h('input', {
    type: 'number',
    value: 1,
    disabled: true,
    min: 1,
    max: 1,
    step: 1,
    'aria-label': t('book.unitsLabel'),
    'data-testid': 'book-quantity',
  });
  // Shown only for a resource of several units (a hidden input is not validated nor sent).
  const quantityText = h('span', {}, t('book.units'));
  const title = h('input', { type: 'text', maxlength: 120, 'data-testid': 'book-title' });
  const quantityLabel = h('label', { hidden: true }, quantityText, quantity);
  const startLabel = h('span', {}, t('book.startLocal'));
  let zones = new Map<string, string>();
  let capacities = new Map<string, number>();
  const showQuantity = () => {
    const capacity = capacities.get(resource.value) ?? 1;
    quantityLabel.hidden = capacity <= 1;
    quantity.disabled = capacity <= 1;
    quantity.max = String(capacity);
    quantityText.textContent = t('book.unitsOf', { capacity });
  };
  resource.addEventListener('change', showQuantity);
  const form = h(
    'form',
    { class: 'book-form', 'data-testid': 'book-form' },
    h('label', {}, t('book.user'), search, user),
    h('label', {}, t('book.resource'), resource),
    h('label', {}, startLabel, time),
    h('label', {}, t('book.minutes'), minutes),
    quantityLabel,
    h('label', {}, t('book.title'), title),
    h('button', { type: 'submit', class: 'btn primary' }, t('book.submit')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    // The time is the resource's wall clock on the chosen date (Luxon resolves it in that zone).
    const start = DateTime.fromISO(`${date}T${time.value}`, { zone: zones.get(resource.value) ?? 'UTC' });
    const end = start.plus({ minutes: Number(minutes.value) });
    if (!start.isValid || !end.isValid) return;
    opts.onSubmit({
      userId: user.value,
      resourceId: resource.value,
      start: start.toUTC().toISO() ?? '',
      end: end.toUTC().toISO() ?? '',
      ...(quantity.disabled ? {} : { quantity: Number(quantity.value) }),
      ...(title.value.trim() ? { title: title.value.trim() } : {}),
    });
  });
  return {
    el: form,
    update(next) {
      date = next.date;
      startLabel.textContent = t('book.startOn', { date: next.date });
      zones = new Map(next.resources.map((r) => [r.id, r.timeZone]));
      capacities = new Map(next.resources.map((r) => [r.id, r.capacity]));
      setOptions(
        user,
        next.users.map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` })),
      );
      setOptions(
        resource,
        next.resources.map((r) => ({
          value: r.id,
          label: r.capacity > 1 ? `${r.name} (${t('timeline.units', { count: r.capacity })})` : r.name,
        })),
      );
      showQuantity();
    },
  };
}
