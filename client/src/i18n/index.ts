/**
 * The language the client library speaks (its sentences and the shared error sentences): one per
 * page. The booking page and the dashboard call `setMessagesLocale` when the person's language is
 * known or changes; every `describe*` function reads it when it is called.
 */
import { createTranslator, type Locale, type Translator } from '@booking/shared';
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';

export type ClientMessageKey = keyof typeof en;

const catalogues = { en, de, fr, es } as const;
const translators = new Map<Locale, Translator<ClientMessageKey>>();
let current: Locale = 'en';

/** Sets the language of every sentence the library returns from now on. */
export function setMessagesLocale(locale: Locale): void {
  current = locale;
}

/** The language the library's sentences are in ('en' until `setMessagesLocale`). */
export function messagesLocale(): Locale {
  return current;
}

/** The library's translator in the current language. */
export function clientT(): Translator<ClientMessageKey> {
  let t = translators.get(current);
  if (!t) {
    t = createTranslator(current, catalogues);
    translators.set(current, t);
  }
  return t;
}
