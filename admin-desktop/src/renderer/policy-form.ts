/**
 * The policy editor's form model, with no DOM: a resource's zone and policy as the strings staff
 * edit, read back into `{timeZone, policy}` through the shared zod schemas (`TimeZone`,
 * `PolicyInput`), so the dashboard shows the same errors the server would give before sending;
 * and the server's `VALIDATION_ERROR` details (`[{path: 'policy.x.y', message}]`) sorted onto the
 * same fields.
 */
import { PolicyInput, TimeZone, WEEKDAYS, minutesOf } from '@booking/shared';
import type { Locale, Resource, Weekday } from '@booking/shared';
import { approvalFieldOf, approvalFromPolicy, readApproval } from './approval-form';
import type { ApprovalForm } from './approval-form';
import { t } from './i18n';

/** The fields of the editor; each error lands on one of them. */
export type PolicyField =
  | 'timeZone'
  | `hours.${Weekday}`
  | 'closures'
  | 'slotMinutes'
  | 'minMinutes'
  | 'maxMinutes'
  | 'minNoticeMinutes'
  | 'maxAdvanceDays'
  | 'bufferMinutes'
  | 'maxActivePerUser'
  | 'checkIn'
  | 'checkIn.strikes'
  | 'approval.approverIds'
  | 'approval.expireHours';

export const NUMBER_FIELDS = [
  'slotMinutes',
  'minMinutes',
  'maxMinutes',
  'minNoticeMinutes',
  'maxAdvanceDays',
  'bufferMinutes',
] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];

export interface PolicyForm {
  timeZone: string;
  /** `openingHours: null`: open around the clock (the weekday fields are then ignored). */
  aroundTheClock: boolean;
  /** Per weekday, `09:00-12:00, 13:00-17:00`; empty = closed that day. */
  hours: Record<Weekday, string>;
  /** One closure per line: `YYYY-MM-DD` and an optional reason. */
  closures: string;
  numbers: Record<NumberField, string>;
  /** Empty = no limit. */
  maxActivePerUser: string;
  /** Check-in window in minutes; empty = no check-in. */
  checkIn: string;
  /** (v3) Missed check-ins in a row that cancel the rest of a series; empty = off. */
  strikes: string;
  /** (v3) Booking titles shown to everyone who can see the resource. */
  publicTitles: boolean;
  /** (v3) The language of the resource's displays. */
  locale: Locale;
  /** (v3) Who must approve bookings and when (`approval-form.ts`). */
  approval: ApprovalForm;
}

export type FieldErrors = Partial<Record<PolicyField, string>>;

export function formFromResource(r: Pick<Resource, 'timeZone' | 'policy'>): PolicyForm {
  const p = r.policy;
  const hours = Object.fromEntries(
    WEEKDAYS.map((d) => [d, (p.openingHours?.[d] ?? []).map(([a, b]) => `${a}-${b}`).join(', ')]),
  ) as Record<Weekday, string>;
  return {
    timeZone: r.timeZone,
    aroundTheClock: p.openingHours === null,
    hours,
    closures: p.closures.map((c) => (c.reason ? `${c.date} ${c.reason}` : c.date)).join('\n'),
    numbers: Object.fromEntries(NUMBER_FIELDS.map((f) => [f, String(p[f])])) as Record<NumberField, string>,
    maxActivePerUser: p.maxActivePerUser === null ? '' : String(p.maxActivePerUser),
    checkIn: p.checkIn === null ? '' : String(p.checkIn.windowMinutes),
    strikes: p.checkIn?.strikes === undefined ? '' : String(p.checkIn.strikes),
    publicTitles: p.publicTitles,
    locale: p.locale,
    approval: approvalFromPolicy(p.approval),
  };
}

const WINDOW = /^\s*(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*$/;
const pad = (t: string) => (t.length === 4 ? `0${t}` : t);

/** `09:00-12:00, 13:00-17:00` as windows, or null when a piece is not `HH:MM-HH:MM`. */
export function parseWindows(text: string): Array<[string, string]> | null {
  const pieces = text.split(',').filter((p) => p.trim() !== '');
  const windows: Array<[string, string]> = [];
  for (const piece of pieces) {
    const m = WINDOW.exec(piece);
    if (!m?.[1] || !m[2]) return null;
    windows.push([pad(m[1]), pad(m[2])]);
  }
  return windows;
}

/** The field a schema path names (`openingHours.mon.0.1` → `hours.mon`). */
export function fieldOf(path: ReadonlyArray<string | number>): PolicyField | null {
  const [head, next] = path;
  if (head === 'timeZone') return 'timeZone';
  if (head === 'openingHours')
    return typeof next === 'string' && (WEEKDAYS as readonly string[]).includes(next)
      ? (`hours.${next}` as PolicyField)
      : 'hours.mon';
  if (head === 'closures') return 'closures';
  if (head === 'checkIn') return next === 'strikes' ? 'checkIn.strikes' : 'checkIn';
  if (head === 'maxActivePerUser') return head;
  if (head === 'approval') return approvalFieldOf(next);
  return typeof head === 'string' && (NUMBER_FIELDS as readonly string[]).includes(head) ? (head as NumberField) : null;
}

/** The server's `VALIDATION_ERROR` details on the editor's fields (`policy.` stripped); the rest under `other`. */
export function serverErrors(details: unknown): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  if (!Array.isArray(details)) return { fields, other };
  for (const d of details) {
    if (typeof d !== 'object' || d === null) continue;
    const path: unknown = Reflect.get(d, 'path');
    const message: unknown = Reflect.get(d, 'message');
    if (typeof path !== 'string' || typeof message !== 'string') continue;
    const parts = path.split('.').filter((p) => p !== '');
    const field = fieldOf(parts[0] === 'policy' ? parts.slice(1) : parts);
    if (field) fields[field] ??= message;
    else other.push(`${path}: ${message}`);
  }
  return { fields, other };
}

/** The form as `resource:update` fields, or the errors to show on it (nothing is sent then). */
export function readPolicyForm(
  form: PolicyForm,
): { ok: true; timeZone: string; policy: PolicyInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const zone = TimeZone.safeParse(form.timeZone.trim());
  if (!zone.success) errors.timeZone = zone.error.issues[0]?.message ?? t('policy.notZone');

  let openingHours: Record<Weekday, Array<[string, string]>> | null = null;
  if (!form.aroundTheClock) {
    const week: Partial<Record<Weekday, Array<[string, string]>>> = {};
    for (const day of WEEKDAYS) {
      const windows = parseWindows(form.hours[day]);
      if (windows === null) errors[`hours.${day}`] = t('policy.windowsFormat');
      week[day] = windows ?? [];
    }
    openingHours = {
      mon: week.mon ?? [],
      tue: week.tue ?? [],
      wed: week.wed ?? [],
      thu: week.thu ?? [],
      fri: week.fri ?? [],
      sat: week.sat ?? [],
      sun: week.sun ?? [],
    };
  }

  const closures = form.closures
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [date = '', ...reason] = line.split(/\s+/);
      return reason.length > 0 ? { date, reason: reason.join(' ') } : { date };
    });

  const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
  const numbers = Object.fromEntries(NUMBER_FIELDS.map((f) => [f, number(form.numbers[f])])) as Record<
    NumberField,
    number
  >;
  const candidate = {
    openingHours,
    closures,
    ...numbers,
    maxActivePerUser: form.maxActivePerUser.trim() === '' ? null : number(form.maxActivePerUser),
    checkIn:
      form.checkIn.trim() === ''
        ? null
        : {
            windowMinutes: number(form.checkIn),
            ...(form.strikes.trim() === '' ? {} : { strikes: number(form.strikes) }),
          },
    publicTitles: form.publicTitles,
    locale: form.locale,
    approval: readApproval(form.approval),
  };
  if (form.strikes.trim() !== '' && form.checkIn.trim() === '')
    errors['checkIn.strikes'] = t('policy.strikesNeedCheckIn');
  const parsed = PolicyInput.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path.filter((p): p is string | number => typeof p !== 'symbol'));
      if (!field || errors[field]) continue;
      const where =
        issue.path[0] === 'closures' && typeof issue.path[1] === 'number'
          ? `${t('policy.line', { line: issue.path[1] + 1 })} `
          : '';
      // Approval's hours may be fractions; every other number is whole.
      const enter = issue.path[0] === 'approval' ? t('policy.enterNumber') : t('policy.enterWholeNumber');
      errors[field] =
        `${where}${issue.code === 'invalid_type' && issue.path[0] !== 'closures' ? enter : issue.message}`;
    }
  }
  if (!zone.success || !parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, timeZone: zone.data, policy: parsed.data };
}

/** Open minutes of each weekday for the week picture (`[]` when the text does not parse). */
export function weekPicture(form: PolicyForm): Record<Weekday, Array<[number, number]>> {
  return Object.fromEntries(
    WEEKDAYS.map((d) => [
      d,
      form.aroundTheClock
        ? [[0, 1440]]
        : (parseWindows(form.hours[d]) ?? []).map(([a, b]) => [minutesOf(a), minutesOf(b)]),
    ]),
  ) as Record<Weekday, Array<[number, number]>>;
}
