/**
 * Times as a mail writes them, in the resource's zone and the recipient's language. English keeps
 * the form the mails always had ("Tue, 1 Dec 2026, 09:00–10:00 CET (Europe/Berlin)": the zone's
 * short name and its IANA id); the other languages take the shared `formatInstant` (Intl, in the
 * resource's zone: "Dienstag, 1. Dezember 2026 um 09:00–10:00 (Europe/Berlin)"), with the zone's
 * IANA id, which reads the same in every language (Intl's short zone names differ per language
 * and are often only an offset).
 */
import { DateTime } from 'luxon';
import { formatInstant as formatAt, INTL_TAGS } from '@booking/shared';
import type { Locale, Repeat } from '@booking/shared';
import type { ServerTranslator } from '../i18n';

/** A short name for the zone's offset at that instant: CET, CEST, EST, … (GMT+5:30 where none exists). */
function zoneAbbreviation(at: DateTime): string {
  const british = at.setLocale('en-GB').toFormat('ZZZZ');
  if (!british.startsWith('GMT') && !british.startsWith('UTC+') && !british.startsWith('UTC-')) return british;
  const american = at.setLocale('en-US').toFormat('ZZZZ');
  return american.startsWith('GMT') ? british : american;
}

const sameLocalDay = (aIso: string, bIso: string, zone: string): boolean =>
  DateTime.fromISO(aIso, { zone }).toISODate() === DateTime.fromISO(bIso, { zone }).toISODate();

/**
 * "Tue, 1 Dec 2026, 09:00–10:00 CET (Europe/Berlin)" in the resource's zone, or both dates when
 * the interval crosses local midnight; in UTC simply "… 09:00–10:00 UTC". Other languages:
 * `formatInstant`'s date and time, then the zone's id.
 */
export function formatInterval(startIso: string, endIso: string, zone = 'UTC', locale: Locale = 'en'): string {
  if (locale !== 'en') {
    const dateTime = (iso: string) => formatAt(locale, iso, zone, 'dateTime');
    return sameLocalDay(startIso, endIso, zone)
      ? `${dateTime(startIso)}–${formatAt(locale, endIso, zone, 'time')} (${zone})`
      : `${dateTime(startIso)} – ${dateTime(endIso)} (${zone})`;
  }
  const start = DateTime.fromISO(startIso, { zone }).setLocale('en-GB');
  const end = DateTime.fromISO(endIso, { zone }).setLocale('en-GB');
  const day = (d: DateTime) => d.toFormat('ccc, d LLL yyyy');
  const time = (d: DateTime) => d.toFormat('HH:mm');
  const name = zone === 'UTC' ? 'UTC' : `${zoneAbbreviation(end)} (${zone})`;
  if (day(start) === day(end)) return `${day(start)}, ${time(start)}–${time(end)} ${name}`;
  const startName =
    zone === 'UTC' || zoneAbbreviation(start) === zoneAbbreviation(end) ? '' : ` ${zoneAbbreviation(start)}`;
  return `${day(start)}, ${time(start)}${startName} – ${day(end)}, ${time(end)} ${name}`;
}

/**
 * Until when an offer is held, in the resource's zone: the time alone on the slot's own day
 * ("09:15"), with its date on another ("Sun, 6 Dec 2026, 09:15"); `named` adds the zone as
 * `formatTime` does. An offer usually runs out the day it was made, days before its slot.
 */
export function formatDeadline(iso: string, dayOf: string, zone = 'UTC', named = true, locale: Locale = 'en'): string {
  const sameDay = sameLocalDay(iso, dayOf, zone);
  if (locale !== 'en') {
    const at = formatAt(locale, iso, zone, sameDay ? 'time' : 'dateTime');
    return named ? `${at} (${zone})` : at;
  }
  const at = DateTime.fromISO(iso, { zone }).setLocale('en-GB');
  const time = sameDay ? at.toFormat('HH:mm') : at.toFormat('ccc, d LLL yyyy, HH:mm');
  if (!named) return time;
  return `${time} ${zone === 'UTC' ? 'UTC' : `${zoneAbbreviation(at)} (${zone})`}`;
}

/** "09:05 CET (Europe/Berlin)" (or "09:05 UTC"): one instant on the booking's day. */
export function formatTime(iso: string, zone = 'UTC', locale: Locale = 'en'): string {
  if (locale !== 'en') return `${formatAt(locale, iso, zone, 'time')} (${zone})`;
  const at = DateTime.fromISO(iso, { zone }).setLocale('en-GB');
  return `${at.toFormat('HH:mm')} ${zone === 'UTC' ? 'UTC' : `${zoneAbbreviation(at)} (${zone})`}`;
}

/** A Monday … Sunday (in UTC) whose weekday Intl names. */
const WEEKDAY_DATES = {
  mon: '2024-01-01T12:00:00Z',
  tue: '2024-01-02T12:00:00Z',
  wed: '2024-01-03T12:00:00Z',
  thu: '2024-01-04T12:00:00Z',
  fri: '2024-01-05T12:00:00Z',
  sat: '2024-01-06T12:00:00Z',
  sun: '2024-01-07T12:00:00Z',
} as const;

const weekdayNames = new Map<Locale, Intl.DateTimeFormat>();

/** A weekday's short name in the language ("Mon", "Mo.", "lun.", "lun"), through Intl. */
function weekdayName(locale: Locale, day: keyof typeof WEEKDAY_DATES): string {
  let format = weekdayNames.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_TAGS[locale], { weekday: 'short', timeZone: 'UTC' });
    weekdayNames.set(locale, format);
  }
  return format.format(new Date(WEEKDAY_DATES[day]));
}

/** "every week on Mon, Wed", "every 2 days" (ICU plurals), in the translator's language. */
export function repeatText(repeat: Repeat, t: ServerTranslator): string {
  const interval = repeat.interval ?? 1;
  const every = repeat.every === 'day' ? t.t('mail.repeat.day', { interval }) : t.t('mail.repeat.week', { interval });
  return repeat.weekdays && repeat.weekdays.length > 0
    ? t.t('mail.repeat.on', { every, days: repeat.weekdays.map((d) => weekdayName(t.locale, d)).join(', ') })
    : every;
}
