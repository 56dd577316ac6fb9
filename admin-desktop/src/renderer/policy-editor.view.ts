/**
 * The policy editor of one resource: time zone, weekly opening hours with a picture of the week
 * that follows the typing, closure dates, the numeric limits and the check-in window. Errors show
 * beside their field before anything is sent (`policy-form.ts` checks with the shared schemas),
 * and the server's `VALIDATION_ERROR` details land on the same fields.
 */
import { LOCALES, LOCALE_NAMES, WEEKDAYS } from '@booking/shared';
import type { PolicyInput, Resource, Weekday } from '@booking/shared';
import type { ClientError } from '@booking/client';
import { approvalSection } from './approval-editor.view';
import type { UserDirectory } from './approval-editor.view';
import { h } from './dom.util';
import { NUMBER_FIELDS, formFromResource, readPolicyForm, serverErrors, weekPicture } from './policy-form';
import type { FieldErrors, PolicyField, PolicyForm } from './policy-form';
import { t, weekdayName as dayName } from './i18n';

/** Saves; resolves with the server's error, or null once saved. */
export type SavePolicy = (input: { id: string; timeZone: string; policy: PolicyInput }) => Promise<ClientError | null>;

function numberLabel(f: (typeof NUMBER_FIELDS)[number]): string {
  switch (f) {
    case 'slotMinutes':
      return t('policy.slotMinutes');
    case 'minMinutes':
      return t('policy.minMinutes');
    case 'maxMinutes':
      return t('policy.maxMinutes');
    case 'minNoticeMinutes':
      return t('policy.minNoticeMinutes');
    case 'maxAdvanceDays':
      return t('policy.maxAdvanceDays');
    case 'bufferMinutes':
      return t('policy.bufferMinutes');
  }
}

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
    summary.textContent = count === 0 ? '' : [t('policy.toFix', { count }), ...other].join(' ');
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
        h('span', { class: 'week-name' }, dayName(d, 'short')),
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
    (d) => `${dayName(d)} ${picture[d].length === 0 ? t('policy.closed') : form.hours[d] || t('policy.openAllDay')}`,
  );
  week.setAttribute('aria-label', t('policy.week', { days: days.join('; ') }));
}

/** The editor's controls, filled from the resource. */
function policyControls(resource: Resource, initial: PolicyForm, around: HTMLInputElement) {
  around.checked = initial.aroundTheClock;
  const closures = h('textarea', { rows: 3, placeholder: t('policy.closuresPlaceholder') });
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
    perUser: h('input', {
      type: 'number',
      value: initial.maxActivePerUser,
      min: 1,
      step: 1,
      placeholder: t('policy.noLimit'),
    }),
    checkIn: h('input', { type: 'number', value: initial.checkIn, min: 1, step: 1, placeholder: t('policy.off') }),
    strikes: h('input', {
      type: 'number',
      value: initial.strikes,
      min: 1,
      max: 100,
      step: 1,
      placeholder: t('policy.off'),
    }),
    publicTitles: h('input', {
      type: 'checkbox',
      id: `pol-${resource.id}-public-titles`,
      checked: initial.publicTitles,
    }),
    locale: h(
      'select',
      { id: `pol-${resource.id}-locale`, 'data-field': 'locale' },
      ...LOCALES.map((l) => h('option', { value: l, lang: l, selected: l === initial.locale }, LOCALE_NAMES[l])),
    ),
  };
}

/** `users` finds and names the people picked as approvers. */
export function renderPolicyEditor(resource: Resource, save: SavePolicy, users: UserDirectory): HTMLElement {
  const summary = h('p', { class: 'pol-summary', role: 'alert' });
  const { id, field, show, stillShown, value } = policyFields(resource, summary);
  const initial = formFromResource(resource);
  const around = h('input', { type: 'checkbox', id: id('around') });
  const { zone, zoneList, closures, perUser, checkIn, strikes, publicTitles, locale } = policyControls(
    resource,
    initial,
    around,
  );
  const hours = WEEKDAYS.map((d) =>
    field(
      `hours.${d}`,
      dayName(d),
      h('input', { value: initial.hours[d], placeholder: t('policy.closed'), 'data-day': d }),
    ),
  );
  const numbers = NUMBER_FIELDS.map((f) =>
    field(f, numberLabel(f), h('input', { type: 'number', value: initial.numbers[f], min: 0, step: 1 })),
  );
  const week = h('div', { class: 'week', role: 'img' });
  const approval = approvalSection(resource, field, users, () => show(stillShown(checkErrors())));
  const hoursBox = h('fieldset', { class: 'pol-hours' }, h('legend', {}, t('policy.openingHours')), ...hours);

  const read = (): PolicyForm => ({
    timeZone: zone.value,
    aroundTheClock: around.checked,
    hours: Object.fromEntries(WEEKDAYS.map((d) => [d, value(`hours.${d}`)])) as Record<Weekday, string>,
    closures: closures.value,
    numbers: Object.fromEntries(NUMBER_FIELDS.map((f) => [f, value(f)])) as PolicyForm['numbers'],
    maxActivePerUser: perUser.value,
    checkIn: checkIn.value,
    strikes: strikes.value,
    publicTitles: publicTitles.checked,
    locale: LOCALES.find((l) => l === locale.value) ?? initial.locale,
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

  const save_ = h('button', { type: 'submit', class: 'btn small primary' }, t('policy.save'));
  const form = h(
    'form',
    { class: 'policy-editor', 'data-testid': 'policy-editor', 'data-resource-id': resource.id, novalidate: true },
    field('timeZone', t('policy.timeZone'), zone),
    zoneList,
    h('div', { class: 'pol-check' }, around, h('label', { for: around.id }, t('policy.aroundTheClock'))),
    hoursBox,
    week,
    field('closures', t('policy.closures'), closures),
    h(
      'div',
      { class: 'pol-numbers' },
      ...numbers,
      field('maxActivePerUser', t('policy.perUser'), perUser),
      field('checkIn', t('policy.checkIn'), checkIn),
      field('checkIn.strikes', t('policy.strikes'), strikes),
    ),
    h('div', { class: 'pol-check' }, publicTitles, h('label', { for: publicTitles.id }, t('policy.publicTitles'))),
    h('div', { class: 'pol-field' }, h('label', { for: locale.id }, t('policy.locale')), locale),
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
