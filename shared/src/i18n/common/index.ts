import type { ErrorCode } from '../../errors';
import type { PolicyRule } from '../../policy/policy.schema';
import type { Locale } from '../../policy/policy.schema';
import { createTranslator, type Translator } from '../translator';
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';

export const commonCatalogues = { en, de, fr, es } as const;
export type CommonKey = keyof typeof en;

const translators = new Map<Locale, Translator<CommonKey>>();

/** The shared sentences (errors, rules, access) in one language. */
export function commonTranslator(locale: Locale): Translator<CommonKey> {
  let t = translators.get(locale);
  if (!t) {
    t = createTranslator(locale, commonCatalogues);
    translators.set(locale, t);
  }
  return t;
}

/** What a person reads for an error code, in their language. */
export function errorSentence(locale: Locale, code: ErrorCode): string {
  return commonTranslator(locale).t(`errors.${code}`);
}

/** What a policy rule means, in the person's language. */
export function ruleSentence(locale: Locale, rule: PolicyRule): string {
  return commonTranslator(locale).t(`rules.${rule}`);
}
