/**
 * Every catalogue of every surface (docs/i18n.md): each directory with `en.ts`, `de.ts`, `fr.ts`,
 * `es.ts` is one surface's catalogue. A key missing in any language, a key no code uses, a message
 * that does not parse or that names other arguments than the English one fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { createTranslator, formatInstant, LOCALES, pickLocale, type Messages } from '@booking/shared';

const ROOT = join(__dirname, '..', '..');
const SOURCE_ROOTS = ['shared/src', 'server/src', 'web/src', 'admin-desktop/src', 'client/src', 'scripts'];
const SKIP = new Set(['node_modules', 'dist', 'build']);

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const files = SOURCE_ROOTS.flatMap((r) => walk(join(ROOT, r)));
const catalogueDirs = [
  ...new Set(
    files
      .filter((f) => f.endsWith('/en.ts'))
      .map((f) => f.slice(0, -'/en.ts'.length))
      .filter((d) => LOCALES.every((l) => files.includes(join(d, `${l}.ts`)))),
  ),
];
const catalogueFiles = new Set(catalogueDirs.flatMap((d) => LOCALES.map((l) => join(d, `${l}.ts`))));
const corpus = files
  .filter((f) => !catalogueFiles.has(f))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

type CatalogueModule = Record<string, unknown> & { dynamicPrefixes?: readonly string[] };

function load(dir: string, locale: string): Messages {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(join(dir, `${locale}.ts`)) as CatalogueModule;
  return mod[locale] as Messages;
}

/** The argument names an ICU message uses (`{name}`, `{count, plural, ...}`), sorted. */
function argumentsOf(message: string, locale: string): string[] {
  const names = new Set<string>();
  const visit = (nodes: readonly unknown[]): void => {
    for (const node of nodes as { value?: unknown; options?: Record<string, { value: unknown[] }> }[]) {
      if (typeof node.value === 'string' && 'type' in node && (node as { type: number }).type !== 0)
        names.add(node.value);
      for (const option of Object.values(node.options ?? {})) visit(option.value);
    }
  };
  visit(new IntlMessageFormat(message, locale).getAst());
  return [...names].sort();
}

test('there are catalogues to check (the common one at least)', () => {
  expect(catalogueDirs.map((d) => relative(ROOT, d))).toContain('shared/src/i18n/common');
});

describe.each(catalogueDirs.map((d) => [relative(ROOT, d), d]))('catalogue %s', (_name, dir) => {
  const en = load(dir, 'en');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const prefixes = (require(join(dir, 'en.ts')) as CatalogueModule).dynamicPrefixes ?? [];

  test.each(LOCALES.filter((l) => l !== 'en'))('%s has exactly the English keys', (locale) => {
    const other = load(dir, locale);
    expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) expect(other[key]?.trim()).toBeTruthy();
  });

  test.each([...LOCALES])('every %s message parses and names the English arguments', (locale) => {
    const messages = load(dir, locale);
    for (const [key, message] of Object.entries(messages)) {
      const english = en[key];
      if (english === undefined) continue;
      expect({ key, args: argumentsOf(message, locale) }).toEqual({ key, args: argumentsOf(english, 'en') });
    }
  });

  test('every key is used by some code', () => {
    const unused = Object.keys(en).filter(
      (key) => !prefixes.some((p) => key.startsWith(p)) && !corpus.includes(`'${key}'`) && !corpus.includes(`"${key}"`),
    );
    expect(unused).toEqual([]);
  });
});

test('pickLocale takes the best supported language of Accept-Language', () => {
  expect(pickLocale('de-AT,de;q=0.9,en;q=0.8')).toBe('de');
  expect(pickLocale('ja, fr;q=0.5, es;q=0.7')).toBe('es');
  expect(pickLocale('en-US;q=0, fr')).toBe('fr');
  expect(pickLocale('ja')).toBe('en');
  expect(pickLocale(undefined)).toBe('en');
  expect(pickLocale(';;;,,q=x')).toBe('en');
});

test('messages are formatted with ICU plurals per language, and a missing key throws', () => {
  const catalogues = {
    en: { n: '{count, plural, one {# booking} other {# bookings}}' },
    de: { n: '{count, plural, one {# Buchung} other {# Buchungen}}' },
    fr: { n: '{count, plural, one {# réservation} other {# réservations}}' },
    es: { n: '{count, plural, one {# reserva} other {# reservas}}' },
  };
  expect(createTranslator('de', catalogues).t('n', { count: 1 })).toBe('1 Buchung');
  expect(createTranslator('de', catalogues).t('n', { count: 3 })).toBe('3 Buchungen');
  expect(createTranslator('fr', catalogues).t('n', { count: 0 })).toBe('0 réservation');
  expect(() => createTranslator('es', catalogues).t('missing' as 'n')).toThrow(/no es message/);
});

test('instants are formatted for the language in the resource zone (a real zone database)', () => {
  const at = '2026-12-01T08:00:00Z';
  expect(formatInstant('de', at, 'Europe/Berlin', 'time')).toBe('09:00');
  expect(formatInstant('en', at, 'America/New_York', 'time')).toBe('03:00');
  expect(formatInstant('de', at, 'Europe/Berlin', 'dateTime')).toMatch(/^Dienstag, 1\. Dezember 2026 um 09:00$/);
  expect(formatInstant('fr', at, 'Europe/Paris', 'dayMonth')).toBe('1 décembre');
  expect(formatInstant('es', at, 'Europe/Madrid', 'dayMonth')).toBe('1 de diciembre');
});
