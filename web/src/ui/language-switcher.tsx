/** The page's language switcher: a labelled list of the languages, each named in itself. */
import { useId } from 'react';
import { LOCALES, LOCALE_NAMES, isLocale, type Locale } from '@booking/shared';
import { useLocale, useT } from '../i18n';

/** `onChosen` runs after the page switched (signed in: tell the server, `profile:update`). */
export function LanguageSwitcher({ onChosen }: { onChosen?: (locale: Locale) => void }) {
  const { t } = useT();
  const { locale, setLocale } = useLocale();
  const id = useId();
  return (
    <span className="language">
      <label htmlFor={id}>{t('language.label')}</label>{' '}
      <select
        id={id}
        value={locale}
        onChange={(e) => {
          const next = e.target.value;
          if (!isLocale(next)) return;
          setLocale(next);
          onChosen?.(next);
        }}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </span>
  );
}
