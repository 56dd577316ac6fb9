/**
 * The dashboard's language: one translator over the dashboard's catalogues (`core/`, `resources/`,
 * `people/`,
 * `integrations/`, each `en`, `de`, `fr`, `es`), set at sign-in from `user.locale` and changed from the account panel.
 * The choice is kept in the page's storage so a reload (signed in by a stored token) speaks it too.
 * Dates and times go through `formatInstant` (Intl, `INTL_TAGS[locale]`) in the resource's zone.
 */
import { createTranslator, formatInstant, isLocale, INTL_TAGS, WEEKDAYS } from '@booking/shared';
import type { Locale, MessageValues, Translator, Weekday } from '@booking/shared';
import { en as coreEn } from './core/en';
import { de as coreDe } from './core/de';
import { fr as coreFr } from './core/fr';
import { es as coreEs } from './core/es';
import { en as resourcesEn } from './resources/en';
import { de as resourcesDe } from './resources/de';
import { fr as resourcesFr } from './resources/fr';
import { es as resourcesEs } from './resources/es';
import { en as peopleEn } from './people/en';
import { de as peopleDe } from './people/de';
import { fr as peopleFr } from './people/fr';
import { es as peopleEs } from './people/es';
import { en as integrationsEn } from './integrations/en';
import { de as integrationsDe } from './integrations/de';
import { fr as integrationsFr } from './integrations/fr';
import { es as integrationsEs } from './integrations/es';

const en = { ...coreEn, ...resourcesEn, ...peopleEn, ...integrationsEn };
const catalogues = {
  en,
  de: { ...coreDe, ...resourcesDe, ...peopleDe, ...integrationsDe },
  fr: { ...coreFr, ...resourcesFr, ...peopleFr, ...integrationsFr },
  es: { ...coreEs, ...resourcesEs, ...peopleEs, ...integrationsEs },
};

/** Every key of the dashboard's catalogues. */
export type MessageKey = Extract<keyof typeof en, string>;

const STORAGE_KEY = 'booking.admin.locale';
const listeners = new Set<(locale: Locale) => void>();
let translator: Translator<MessageKey> = createTranslator('en', catalogues);

/** The dashboard's sentence for `key` in the current language. */
export function t(key: MessageKey, values?: MessageValues): string {
  return translator.t(key, values);
}

export function currentLocale(): Locale {
  return translator.locale;
}

/** The BCP 47 tag of the current language (for `Intl` number and list formats). */
export function intlTag(): string {
  return INTL_TAGS[translator.locale];
}

/** Switches the language (and remembers it for a reload); listeners (the client library) follow. */
export function setLocale(locale: Locale): void {
  translator = createTranslator(locale, catalogues);
  document.documentElement.lang = locale;
  // The page's title is also the desktop window's (Electron follows <title>).
  document.title = t('layout.documentTitle');
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Storage refused (private window): the language lasts for this page.
  }
  for (const listener of listeners) listener(locale);
}

/** Called with every language set from now on (and with the current one at once). */
export function onLocale(listener: (locale: Locale) => void): void {
  listeners.add(listener);
  listener(translator.locale);
}

/** The language remembered from the last sign-in or switch ('en' when none). */
export function rememberedLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : 'en';
  } catch {
    return 'en';
  }
}

/** An instant in the current language, in `zone` (the resource's). */
export function formatAt(
  at: Date | string | number,
  zone: string,
  style: 'dateTime' | 'date' | 'time' | 'dayMonth',
): string {
  return formatInstant(translator.locale, typeof at === 'number' ? new Date(at) : at, zone, style);
}

/** A number in the current language. */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(INTL_TAGS[translator.locale], options).format(n);
}

/** A weekday's name in the current language (Intl: 2024-01-01 was a Monday). */
export function weekdayName(d: Weekday, width: 'long' | 'short' = 'long'): string {
  const day = new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(d)));
  return new Intl.DateTimeFormat(INTL_TAGS[translator.locale], { weekday: width, timeZone: 'UTC' }).format(day);
}
