/**
 * Translation for every surface (docs/i18n.md): catalogues of ICU messages per language, formatted
 * with FormatJS's `intl-messageformat` (plurals, selects, numbers). Each surface (booking page,
 * dashboard, display, server) owns its catalogues; `en` defines the keys and every other language
 * must have exactly the same keys (the compiler checks the type, `test/i18n-catalogues.test.ts`
 * checks the files and that every key is used). There is no English fallback: a missing message
 * throws, so a test meets it.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { LOCALES, type Locale } from '../policy/policy.schema';

/** A catalogue: message key → ICU message. */
export type Messages = Readonly<Record<string, string>>;

/** Another language's catalogue for the keys of `E` (the English one): every key, no other. */
export type CatalogueOf<E extends Messages> = { readonly [K in keyof E]: string };

/** Values an ICU message may use: `{count, plural, ...}`, `{name}`. */
export type MessageValues = Record<string, string | number | Date>;

/** Formats keys of one surface in one language. */
export interface Translator<K extends string> {
  readonly locale: Locale;
  t(key: K, values?: MessageValues): string;
}

/** Builds a translator; formats are compiled once per key and kept. */
export function createTranslator<E extends Messages>(
  locale: Locale,
  catalogues: Readonly<Record<Locale, CatalogueOf<E>>>,
): Translator<Extract<keyof E, string>> {
  const messages: Messages = catalogues[locale];
  const compiled = new Map<string, IntlMessageFormat>();
  return {
    locale,
    t(key, values) {
      let format = compiled.get(key);
      if (!format) {
        const message = messages[key];
        if (message === undefined) throw new Error(`no ${locale} message for ${key}`);
        format = new IntlMessageFormat(message, locale);
        compiled.set(key, format);
      }
      const out = format.format(values);
      return typeof out === 'string' ? out : String(out);
    },
  };
}

/** Whether `value` names a supported language. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The best supported language for an `Accept-Language` header (or `navigator.languages` joined with
 * commas): by quality, then order; `de-AT` counts as `de`. `en` when nothing matches.
 */
export function pickLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .slice(0, 1000)
    .split(',')
    .slice(0, 50)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { base: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.q > 0 && Number.isFinite(r.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((r) => r.base).find(isLocale) ?? 'en';
}

/** The BCP 47 tag for formatting dates and numbers in a language. */
export const INTL_TAGS: Readonly<Record<Locale, string>> = { en: 'en-GB', de: 'de-DE', fr: 'fr-FR', es: 'es-ES' };

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as a person reads it in their language, in the resource's zone: `dateTime` "Tuesday 1
 * December 2026, 09:00", `date` "Tue 1 Dec", `time` "09:00", `dayMonth` "1 December".
 */
export function formatInstant(
  locale: Locale,
  at: Date | string,
  timeZone: string,
  style: 'dateTime' | 'date' | 'time' | 'dayMonth',
): string {
  const key = `${locale}|${timeZone}|${style}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_TAGS[locale], { timeZone, ...STYLES[style] });
    dateFormats.set(key, format);
  }
  return format.format(typeof at === 'string' ? new Date(at) : at);
}

const STYLES: Record<'dateTime' | 'date' | 'time' | 'dayMonth', Intl.DateTimeFormatOptions> = {
  dateTime: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' },
  date: { weekday: 'short', day: 'numeric', month: 'short' },
  time: { hour: '2-digit', minute: '2-digit' },
  dayMonth: { day: 'numeric', month: 'long' },
};

/** The names of the languages, each in itself (the language switcher). */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
};
