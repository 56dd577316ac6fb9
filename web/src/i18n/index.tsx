/**
 * The booking page's language: one React context holding the locale, `useT()` for components and
 * `translate()` for the page's plain functions (both read the same locale, which is also the
 * client library's: `setMessagesLocale`, so its sentences follow). The catalogues are the page's
 * (`page/`) and the booking panels' (`booking/`), one set of keys.
 *
 * Which language: signed in, the person's `user.locale`; before sign-in a choice stored in this
 * browser, else the best of `navigator.languages`.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { messagesLocale, setMessagesLocale } from '@booking/client';
import {
  createTranslator,
  isLocale,
  pickLocale,
  type Locale,
  type MessageValues,
  type Translator,
} from '@booking/shared';
import { de as bookingDe } from './booking/de';
import { en as bookingEn } from './booking/en';
import { es as bookingEs } from './booking/es';
import { fr as bookingFr } from './booking/fr';
import { de as pageDe } from './page/de';
import { en as pageEn } from './page/en';
import { es as pageEs } from './page/es';
import { fr as pageFr } from './page/fr';

const en = { ...pageEn, ...bookingEn };
export type WebKey = keyof typeof en;

const catalogues = {
  en,
  de: { ...pageDe, ...bookingDe },
  fr: { ...pageFr, ...bookingFr },
  es: { ...pageEs, ...bookingEs },
} as const;
const translators = new Map<Locale, Translator<WebKey>>();

function translatorFor(locale: Locale): Translator<WebKey> {
  let t = translators.get(locale);
  if (!t) {
    t = createTranslator(locale, catalogues);
    translators.set(locale, t);
  }
  return t;
}

/** A key of the page in the current language (for code outside components; components use `useT`). */
export function translate(key: WebKey, values?: MessageValues): string {
  return translatorFor(messagesLocale()).t(key, values);
}

/** The page's current language. */
export const currentLocale = (): Locale => messagesLocale();

interface LocaleState {
  locale: Locale;
  setLocale(locale: Locale): void;
}

const LocaleContext = createContext<LocaleState>({ locale: 'en', setLocale: () => undefined });

/** Puts `locale` in force for the page below it, the client library and `<html lang>`. */
export function I18nProvider({ locale, setLocale, children }: LocaleState & { children: ReactNode }) {
  // Set while rendering, so every sentence made in this render (the library's too) is in `locale`.
  setMessagesLocale(locale);
  if (typeof document !== 'undefined') {
    document.documentElement.lang = locale;
    document.title = translatorFor(locale).t('page.documentTitle');
  }
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

/** The page's translator in the current language; a component using it re-renders when it changes. */
export function useT(): Translator<WebKey> {
  const { locale } = useContext(LocaleContext);
  return translatorFor(locale);
}

/** The current language and the switcher's way to change it. */
export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}

const STORAGE_KEY = 'booking.locale';

/** Before sign-in: the language chosen in this browser, else the browser's preferred one we speak. */
export function browserLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // Storage may be unavailable (private mode): fall through to the browser's languages.
  }
  return pickLocale(typeof navigator === 'undefined' ? null : navigator.languages.join(','));
}

/** Remembers a chosen language in this browser. */
export function storeLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not stored: the choice lasts for this page only.
  }
}
