/** The display's translator: its own catalogue, in the resource's language (one translator per language, kept). */
import { createTranslator } from '@booking/shared';
import type { Locale, Translator } from '@booking/shared';
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';

export type DisplayKey = keyof typeof en;
export type DisplayTranslator = Translator<DisplayKey>;

const made = new Map<Locale, DisplayTranslator>();

export function displayTranslator(locale: Locale): DisplayTranslator {
  let t = made.get(locale);
  if (!t) {
    t = createTranslator(locale, { en, de, fr, es });
    made.set(locale, t);
  }
  return t;
}
