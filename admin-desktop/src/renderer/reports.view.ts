/**
 * (v3) The reports panel (docs/protocol.md "Reports (v3)"): a date range, utilisation and no-show
 * bars per resource, a weekday × hour heatmap of one chosen resource in its local time, the same
 * figures as tables, and the CSV downloads. The range is whole UTC days (`to` inclusive here,
 * sent as the next midnight); the figures are in each resource's own days and opening hours.
 * Downloads are fetched with the bearer token and saved through a blob link.
 */
import { WEEKDAYS } from '@booking/shared';
import type { UtilisationRow, WeekdayHourRow } from '@booking/shared';
import { barChart, heatmap } from './reports.charts';
import { h, mount } from './dom.util';
import { formatNumber, t, weekdayName } from './i18n';

export interface ReportsPanelOptions {
  baseUrl: string;
  token: () => Promise<string | null>;
}

const DAY_MS = 86_400_000;
const pct = (n: number): string => formatNumber(n, { style: 'percent', maximumFractionDigits: 0 });
const isoDay = (t: number): string => new Date(t).toISOString().slice(0, 10);

function utilisationTable(rows: readonly UtilisationRow[]): HTMLTableElement {
  const head = [
    t('reports.colResource'),
    t('reports.colOpen'),
    t('reports.colBooked'),
    t('reports.colUtilisation'),
    t('reports.colBookings'),
    t('reports.colCancelled'),
    t('reports.colNoShows'),
    t('reports.colNoShowRate'),
    t('reports.colCheckInRate'),
    t('reports.colReleased'),
  ];
  return h(
    'table',
    { class: 'report-table', 'data-testid': 'utilisation-table' },
    h('caption', {}, t('reports.perResource')),
    h('thead', {}, h('tr', {}, ...head.map((text) => h('th', { scope: 'col' }, text)))),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, r.name),
          ...[
            r.openHours,
            r.bookedHours,
            pct(r.utilisation),
            r.bookings,
            r.cancellations,
            r.noShows,
            pct(r.noShowRate),
            pct(r.checkInRate),
            r.releasedHours,
          ].map((v) => h('td', {}, typeof v === 'number' ? formatNumber(v) : v)),
        ),
      ),
    ),
  );
}

function heatmapTable(rows: readonly WeekdayHourRow[]): HTMLElement {
  return h(
    'details',
    {},
    h('summary', {}, t('reports.heatmapFigures')),
    h(
      'table',
      { class: 'report-table' },
      h('caption', {}, t('reports.heatmapCaption')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('reports.day')),
          ...Array.from({ length: 24 }, (_, i) => h('th', { scope: 'col' }, String(i))),
        ),
      ),
      h(
        'tbody',
        {},
        ...WEEKDAYS.map((d) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, weekdayName(d, 'short')),
            ...Array.from({ length: 24 }, (_, hr) =>
              h('td', {}, pct(rows.find((r) => r.weekday === d && r.hour === hr)?.utilisation ?? 0)),
            ),
          ),
        ),
      ),
    ),
  );
}

export function createReportsPanel(opts: ReportsPanelOptions): { el: HTMLElement } {
  const now = Date.now();
  const from = h('input', { type: 'date', name: 'from', value: isoDay(now - 30 * DAY_MS) });
  const to = h('input', { type: 'date', name: 'to', value: isoDay(now) });
  const show = h('button', { type: 'submit', class: 'btn small' }, t('reports.show'));
  const status = h('p', { role: 'status', class: 'hint', 'data-testid': 'reports-status' });
  const bars = h('div', { class: 'report-figure' });
  const pick = h('select', { name: 'heatmap-resource' });
  const heat = h('div', { class: 'report-figure' });
  const downloads = h('div', { class: 'report-downloads' });
  let rows: UtilisationRow[] = [];

  const range = (): string => {
    const a = Date.parse(`${from.value}T00:00:00Z`);
    const b = Date.parse(`${to.value}T00:00:00Z`) + DAY_MS;
    return `from=${new Date(a).toISOString()}&to=${new Date(b).toISOString()}`;
  };
  const call = async (path: string, accept: string): Promise<Response> => {
    const token = await opts.token();
    return fetch(`${opts.baseUrl}${path}`, {
      headers: { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  };
  const failed = async (res: Response): Promise<string> => {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    return body?.error?.message ?? t('reports.serverAnswered', { status: res.status });
  };

  const drawHeatmap = async () => {
    const resource = rows.find((r) => r.resourceId === pick.value);
    if (!resource) return mount(heat);
    const res = await call(
      `/api/reports/utilisation?${range()}&resourceId=${resource.resourceId}&groupBy=weekdayHour`,
      'application/json',
    );
    if (!res.ok) return void (status.textContent = t('reports.heatmapFailed', { reason: await failed(res) }));
    const cells = ((await res.json()) as { rows: WeekdayHourRow[] }).rows;
    mount(heat, heatmap(resource.name, cells), heatmapTable(cells));
  };
  const download = async (path: string, name: string) => {
    const res = await call(path, 'text/csv');
    if (!res.ok) return void (status.textContent = t('reports.downloadFailed', { reason: await failed(res) }));
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    status.textContent = t('reports.downloaded', { name });
  };
  const load = async () => {
    if (!from.value || !to.value) return void (status.textContent = t('reports.chooseDates'));
    status.textContent = t('reports.loading');
    const res = await call(`/api/reports/utilisation?${range()}`, 'application/json');
    if (!res.ok) return void (status.textContent = await failed(res));
    rows = ((await res.json()) as { rows: UtilisationRow[] }).rows;
    mount(bars, barChart(rows), utilisationTable(rows));
    const keep = rows.some((r) => r.resourceId === pick.value) ? pick.value : rows[0]?.resourceId;
    mount(pick, ...rows.map((r) => h('option', { value: r.resourceId, selected: r.resourceId === keep }, r.name)));
    await drawHeatmap();
    const span = `${from.value}-${to.value}`;
    mount(
      downloads,
      h('button', { type: 'button', class: 'btn small' }, t('reports.downloadUtilisation')),
      h('button', { type: 'button', class: 'btn small' }, t('reports.downloadBookings')),
    );
    const [u, b] = [...downloads.querySelectorAll('button')];
    u?.addEventListener('click', () => void download(`/api/reports/utilisation?${range()}`, `utilisation-${span}.csv`));
    b?.addEventListener('click', () => void download(`/api/reports/bookings.csv?${range()}`, `bookings-${span}.csv`));
    status.textContent = t('reports.shown', { from: from.value, to: to.value, count: rows.length });
  };
  pick.addEventListener('change', () => void drawHeatmap());
  const form = h(
    'form',
    { class: 'report-range' },
    h('label', {}, `${t('reports.from')} `, from),
    h('label', {}, `${t('reports.to')} `, to),
    show,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  const el = h(
    'div',
    { class: 'reports' },
    form,
    status,
    h('h3', {}, t('reports.utilisationHeading')),
    bars,
    h('h3', {}, t('reports.weekdayHour')),
    h('label', {}, `${t('displays.resource')} `, pick),
    heat,
    h('h3', {}, t('reports.downloads')),
    downloads,
  );
  return { el };
}
