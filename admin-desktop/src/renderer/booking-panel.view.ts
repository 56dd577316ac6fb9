import type { AdminBooking, Resource, User } from '@booking/shared';
import { h, hhmm } from './dom.util';

/** The booking picked on the timeline, with its Cancel button. */
export function renderSelected(opts: { booking: AdminBooking | null; resource: Resource | null; onCancel: (id: string) => void }): HTMLElement {
  const b = opts.booking;
  if (!b) return h('p', { class: 'muted' }, 'Click a booking on the timeline to see it here.');
  const cancel = h('button', { type: 'button', class: 'btn danger', 'data-testid': 'cancel-booking', disabled: b.status !== 'active' }, 'Cancel booking');
  cancel.addEventListener('click', () => opts.onCancel(b.id));
  return h(
    'div',
    { class: 'selected', 'data-testid': 'selected-booking', 'data-booking-id': b.id },
    h('dl', {}, 
      h('dt', {}, 'Who'), h('dd', {}, b.userName),
      h('dt', {}, 'What'), h('dd', {}, opts.resource?.name ?? b.resourceId),
      h('dt', {}, 'When'), h('dd', {}, `${b.start.slice(0, 10)} ${hhmm(b.start)}–${hhmm(b.end)} UTC`),
      h('dt', {}, 'Status'), h('dd', {}, b.status),
    ),
    cancel,
  );
}

export interface BookingFormValues {
  userId: string;
  resourceId: string;
  start: string;
  end: string;
}

/** Book a resource on behalf of a user, on the chosen day (times in UTC). */
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

export function createBookingForm(opts: { onSearch: (query: string) => void; onSubmit: (values: BookingFormValues) => void }): BookingForm {
  let date = '';
  const search = h('input', { type: 'search', placeholder: 'find a user', 'aria-label': 'find a user' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => opts.onSearch(search.value), 250);
  });
  const user = h('select', { 'aria-label': 'user', required: true });
  const resource = h('select', { 'aria-label': 'resource', required: true });
  const time = h('input', { type: 'time', value: '09:00', step: 300, 'aria-label': 'start time (UTC)', required: true });
  const minutes = h('input', { type: 'number', value: 60, min: 5, max: 1440, step: 5, 'aria-label': 'minutes', required: true });
  const startLabel = h('span', {}, 'Start (UTC)');
  const form = h(
    'form',
    { class: 'book-form', 'data-testid': 'book-form' },
    h('label', {}, 'User', search, user),
    h('label', {}, 'Resource', resource),
    h('label', {}, startLabel, time),
    h('label', {}, 'Minutes', minutes),
    h('button', { type: 'submit', class: 'btn primary' }, 'Book on behalf'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const start = new Date(`${date}T${time.value}:00Z`);
    const end = new Date(start.getTime() + Number(minutes.value) * 60_000);
    if (Number.isNaN(end.getTime())) return;
    opts.onSubmit({ userId: user.value, resourceId: resource.value, start: start.toISOString(), end: end.toISOString() });
  });
  return {
    el: form,
    update(next) {
      date = next.date;
      startLabel.textContent = `Start (UTC, ${next.date})`;
      setOptions(user, next.users.map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` })));
      setOptions(resource, next.resources.map((r) => ({ value: r.id, label: r.name })));
    },
  };
}
