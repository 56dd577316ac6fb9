/**
 * "Find a free room"'s form read into a `slots:find` payload, checked with the shared schema
 * before it is sent; or, when it does not pass, the sentence for each field that is wrong.
 */
import { DateTime } from 'luxon';
import { SlotsFind } from '@booking/shared';
import { translate } from '../i18n';

export type FieldErrors = Partial<Record<'from' | 'to' | 'minutes' | 'quantity' | 'minSeats' | 'form', string>>;

export interface SearchForm {
  type: string;
  fromDate: string;
  toDate: string;
  minutes: string;
  /** Units wanted at once ('' or '1': one). */
  quantity: string;
  /** Least seats ('': any). */
  minSeats: string;
}

export type SearchPayload = {
  from: string;
  to: string;
  minutes: number;
  type?: string;
  quantity?: number;
  minSeats?: number;
};

/** The payload of a search over the viewer's days `fromDate` to `toDate`, or what to fix. */
export function readSearch(
  form: SearchForm,
): { ok: true; payload: SearchPayload } | { ok: false; errors: FieldErrors } {
  const start = DateTime.fromISO(form.fromDate).startOf('day');
  const end = DateTime.fromISO(form.toDate).plus({ days: 1 }).startOf('day');
  // From now at the earliest: the earlier part of today cannot be booked anyway.
  const from = start.isValid ? DateTime.max(start, DateTime.local().startOf('minute')) : start;
  const payload = {
    from: from.toUTC().toISO() ?? '',
    to: end.toUTC().toISO() ?? '',
    minutes: Number(form.minutes),
    ...(form.type ? { type: form.type } : {}),
    ...(form.quantity.trim() && form.quantity.trim() !== '1' ? { quantity: Number(form.quantity) } : {}),
    ...(form.minSeats.trim() ? { minSeats: Number(form.minSeats) } : {}),
  };
  const parsed = SlotsFind.safeParse(payload);
  if (start.isValid && end.isValid && parsed.success) return { ok: true, payload };
  const next: FieldErrors = {};
  if (!start.isValid) next.from = translate('find.chooseFirst');
  if (!end.isValid) next.to = translate('find.chooseLast');
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = issue.path[0];
    if (field === 'minutes') next.minutes ??= translate('find.minutesInvalid');
    else if (field === 'quantity') next.quantity ??= translate('find.unitsInvalid');
    else if (field === 'minSeats') next.minSeats ??= translate('find.seatsInvalid');
    else if (field === 'to' && !next.to)
      next.to =
        issue.message === 'from must be before to' ? translate('find.lastBeforeFirst') : translate('find.tooLong');
    else if (field === 'from') next.from ??= translate('find.chooseFirst');
  }
  return { ok: false, errors: next };
}
