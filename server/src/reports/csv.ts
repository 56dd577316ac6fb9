/**
 * (v3) CSV as RFC 4180 writes it: comma-separated, CRLF line ends, a field quoted when it holds a
 * comma, a quote, CR or LF, with quotes doubled. Text that a spreadsheet would run as a formula
 * (starting with `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'` (OWASP "CSV injection");
 * numbers are written as they are.
 */
export type CsvValue = string | number | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** A header row and one line per row, the columns in `columns`' order. */
export function csvTable<R>(columns: readonly (keyof R & string)[], rows: readonly R[]): string {
  let out = csvLine(columns);
  for (const row of rows) out += csvLine(columns.map((c) => row[c] as CsvValue));
  return out;
}
