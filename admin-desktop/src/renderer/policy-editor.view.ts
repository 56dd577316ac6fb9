/**
 * The policy editor of one resource: time zone, weekly opening hours with a picture of the week
 * that follows the typing, closure dates, the numeric limits and the check-in window. Errors show
 * beside their field before anything is sent (`policy-form.ts` checks with the shared schemas),
 * and the server's `VALIDATION_ERROR` details land on the same fields.
 */
import { WEEKDAYS } from '@booking/shared';
import type { PolicyInput, Resource, Weekday } from '@booking/shared';
import type { ClientError } from '@booking/client';
import { approvalSection } from './approval-editor.view';
import type { UserDirectory } from './approval-editor.view';
import { h } from './dom.util';
import { NUMBER_FIELDS, formFromResource, readPolicyForm, serverErrors, weekPicture } from './policy-form';
import type { FieldErrors, PolicyField, PolicyForm } from './policy-form';

/** Saves; resolves with the server's error, or null once saved. */
export type SavePolicy = (input: { id: string; timeZone: string; policy: PolicyInput }) => Promise<ClientError | null>;

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
const NUMBER_LABELS: Record<(typeof NUMBER_FIELDS)[number], string> = {
  slotMinutes: 'Grid (minutes)',
  minMinutes: 'Shortest booking (min)',
  maxMinutes: 'Longest booking (min)',
  minNoticeMinutes: 'Notice (min)',
  maxAdvanceDays: 'Book ahead at most (days)',
  bufferMinutes: 'Gap between bookings (min)',
};

const ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** The labelled fields of one editor, each with its error line, and how errors are shown on them. */
function policyFields(resource: Resource, summary: HTMLElement) {
  const id = (field: string) => `pol-${resource.id}-${field.replace('.', '-')}`;
  const inputs = new Map<PolicyField, HTMLInputElement | HTMLTextAreaElement>();
  const errorEls = new Map<PolicyField, HTMLElement>();

  /** A labelled input with its error line (described-by, shown when there is an error). */
  const field = (key: PolicyField, label: string, control: HTMLInputElement | HTMLTextAreaElement): HTMLElement => {
    control.id = id(key);
    control.setAttribute('data-field', key);
    const error = h('span', { class: 'field-error', id: `${id(key)}-error`, hidden: true });
    inputs.set(key, control);
    errorEls.set(key, error);
    return h('div', { class: 'pol-field' }, h('label', { for: control.id }, label), control, error);
  };

  const show = (errors: FieldErrors, other: string[] = []) => {
    for (const [key, el] of errorEls) {
      const message = errors[key];
      const control = inputs.get(key);
      el.textContent = message ?? '';
      el.hidden = message === undefined;
      if (message === undefined) {
        control?.removeAttribute('aria-invalid');
        control?.removeAttribute('aria-describedby');
      } else {
        control?.setAttribute('aria-invalid', 'true');
        control?.setAttribute('aria-describedby', el.id);
      }
    }
    const count = Object.keys(errors).length + other.length;
    summary.textContent = count === 0 ? '' : [`${count} field${count === 1 ? '' : 's'} to fix.`, ...other].join(' ');
  };

  /** The errors shown now that the form still has: errors clear as they are fixed, new ones show only on save. */
  const stillShown = (still: FieldErrors): FieldErrors => {
    const shown: FieldErrors = {};
    for (const [key, el] of errorEls) if (!el.hidden && still[key]) shown[key] = still[key];
    return shown;
  };

  const value = (key: PolicyField) => inputs.get(key)?.value ?? '';
  return { id, field, show, stillShown, value };
}

/** The picture of the week's open time, and its words for a screen reader. */
function drawWeek(week: HTMLElement, form: PolicyForm): void {
  const picture = weekPicture(form);
  week.replaceChildren(
    ...WEEKDAYS.map((d) =>
      h(
        'div',
        { class: 'week-day', 'data-day': d },
        h('span', { class: 'week-name' }, d),
        h(
          'span',
          { class: 'week-bar' },
          ...picture[d].map(([a, b]) =>
            h('span', { class: 'week-open', style: `left:${(a / 1440) * 100}%;width:${((b - a) / 1440) * 100}%` }),
          ),
        ),
      ),
    ),
  );
  const days = WEEKDAYS.map(
    (d) => `${DAY_NAMES[d]} ${picture[d].length === 0 ? 'closed' : form.hours[d] || 'open all day'}`,
  );
  week.setAttribute('aria-label', `The week: ${days.join('; ')}`);
}

/** The editor's controls, filled from the resource. */
function policyControls(resource: Resource, initial: PolicyForm, around: HTMLInputElement) {
  around.checked = initial.aroundTheClock;
  const closures = h('textarea', { rows: 3, placeholder: '2031-12-25 Christmas' });
  closures.value = initial.closures;
  return {
    zone: h('input', {
      value: initial.timeZone,
      list: `zones-${resource.id}`,
      autocomplete: 'off',
      spellcheck: 'false',
    }),
    zoneList: h('datalist', { id: `zones-${resource.id}` }, ...ZONES.map((z) => h('option', { value: z }))),
    closures,
    perUser: h('input', { type: 'number', value: initial.maxActivePerUser, min: 1, step: 1, placeholder: 'no limit' }),
    checkIn: h('input', { type: 'number', value: initial.checkIn, min: 1, step: 1, placeholder: 'off' }),
  };
}

/** `users` finds and names the people picked as approvers. */
export function renderPolicyEditor(resource: Resource, save: SavePolicy, users: UserDirectory): HTMLElement {
  const summary = h('p', { class: 'pol-summary', role: 'alert' });
  const { id, field, show, stillShown, value } = policyFields(resource, summary);
  const initial = formFromResource(resource);
  const around = h('input', { type: 'checkbox', id: id('around') });
  const { zone, zoneList, closures, perUser, checkIn } = policyControls(resource, initial, around);
  const hours = WEEKDAYS.map((d) =>
    field(`hours.${d}`, DAY_NAMES[d], h('input', { value: initial.hours[d], placeholder: 'closed', 'data-day': d })),
  );
  const numbers = NUMBER_FIELDS.map((f) =>
    field(f, NUMBER_LABELS[f], h('input', { type: 'number', value: initial.numbers[f], min: 0, step: 1 })),
  );
  const week = h('div', { class: 'week', role: 'img' });
  const approval = approvalSection(resource, field, users, () => show(stillShown(checkErrors())));
  const hoursBox = h('fieldset', { class: 'pol-hours' }, h('legend', {}, 'Opening hours (local time)'), ...hours);

  const read = (): PolicyForm => ({
    timeZone: zone.value,
    aroundTheClock: around.checked,
    hours: Object.fromEntries(WEEKDAYS.map((d) => [d, value(`hours.${d}`)])) as Record<Weekday, string>,
    closures: closures.value,
    numbers: Object.fromEntries(NUMBER_FIELDS.map((f) => [f, value(f)])) as PolicyForm['numbers'],
    maxActivePerUser: perUser.value,
    checkIn: checkIn.value,
    approval: approval.read(),
  });
  const checkErrors = () => {
    const result = readPolicyForm(read());
    return result.ok ? {} : result.errors;
  };
  const redraw = () => {
    const current = read();
    hoursBox.disabled = current.aroundTheClock;
    drawWeek(week, current);
  };

  const save_ = h('button', { type: 'submit', class: 'btn small primary' }, 'Save policy');
  const form = h(
    'form',
    { class: 'policy-editor', 'data-testid': 'policy-editor', 'data-resource-id': resource.id, novalidate: true },
    field('timeZone', 'Time zone', zone),
    zoneList,
    h('div', { class: 'pol-check' }, around, h('label', { for: around.id }, 'Open around the clock')),
    hoursBox,
    week,
    field('closures', 'Closed on (one date per line, YYYY-MM-DD and a reason)', closures),
    h(
      'div',
      { class: 'pol-numbers' },
      ...numbers,
      field('maxActivePerUser', 'Bookings per person (empty: no limit)', perUser),
      field('checkIn', 'Check-in window (min; empty: off)', checkIn),
    ),
    approval.el,
    summary,
    save_,
  );
  form.addEventListener('input', () => {
    redraw();
    show(stillShown(checkErrors()));
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const result = readPolicyForm(read());
    if (!result.ok) {
      show(result.errors);
      return;
    }
    show({});
    save_.disabled = true;
    void save({ id: resource.id, timeZone: result.timeZone, policy: result.policy }).then((error) => {
      save_.disabled = false;
      if (error?.code === 'VALIDATION_ERROR') {
        const { fields, other } = serverErrors(error.details);
        show(fields, other);
      }
    });
  });
  redraw();
  return form;
}
