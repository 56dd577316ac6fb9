/**
 * The server's translator (catalogue `./en.ts` … `./es.ts`): one per language, built once. Every
 * person-facing text the server sends goes through it in the recipient's language; a missing
 * message throws (no English fallback), so a test meets it.
 */
import { createTranslator } from '@booking/shared';
import type { Locale, Translator } from '@booking/shared';
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';

export type ServerKey = keyof typeof en;
export type ServerTranslator = Translator<ServerKey>;

const catalogues = { en, de, fr, es } as const;
const translators = new Map<Locale, ServerTranslator>();

/** The server's sentences in one language. */
export function serverTranslator(locale: Locale): ServerTranslator {
  let t = translators.get(locale);
  if (!t) {
    t = createTranslator(locale, catalogues);
    translators.set(locale, t);
  }
  return t;
}
