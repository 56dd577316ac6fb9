/**
 * (v3) The report pictures, drawn as SVG from the data by the page's own script: no chart library
 * (nothing to add to the bundle, no runtime `<style>` injection that the strict CSP would refuse)
 * and colours set as SVG presentation attributes (`fill`, `fill-opacity`), which CSP does not
 * govern. Each picture is `role="img"` with an `aria-label` summary; the same figures are in a
 * table beside it (reports.view.ts).
 */
import { WEEKDAYS } from '@booking/shared';
import type { UtilisationRow, WeekdayHourRow } from '@booking/shared';
import { formatNumber, t, weekdayName } from './i18n';

const SVG = 'http://www.w3.org/2000/svg';
const DAYS = WEEKDAYS;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const pct = (n: number): string => formatNumber(n, { style: 'percent', maximumFractionDigits: 0 });

/** Two bars per resource: utilisation and no-show rate, 0–100 %. */
export function barChart(rows: readonly UtilisationRow[]): SVGSVGElement {
  const rowH = 34;
  const labelW = 170;
  const barW = 300;
  const height = Math.max(1, rows.length) * rowH + 24;
  const root = svg('svg', {
    viewBox: `0 0 ${labelW + barW + 60} ${height}`,
    role: 'img',
    class: 'report-bars',
    'data-testid': 'utilisation-bars',
  });
  root.setAttribute(
    'aria-label',
    rows.length === 0
      ? t('reports.barsEmpty')
      : t('reports.bars', {
          rows: rows
            .map((r) => t('reports.barsRow', { name: r.name, used: pct(r.utilisation), noShows: pct(r.noShowRate) }))
            .join('; '),
        }),
  );
  rows.forEach((r, i) => {
    const y = i * rowH;
    root.append(
      svg('text', { x: 0, y: y + 14, class: 'report-label' }, r.name.length > 24 ? `${r.name.slice(0, 23)}…` : r.name),
    );
    root.append(svg('rect', { x: labelW, y: y + 3, width: barW, height: 12, fill: '#e5e7eb' }));
    root.append(
      svg('rect', { x: labelW, y: y + 3, width: Math.min(1, r.utilisation) * barW, height: 12, fill: '#1d4ed8' }),
    );
    root.append(svg('text', { x: labelW + barW + 6, y: y + 14, class: 'report-value' }, pct(r.utilisation)));
    root.append(svg('rect', { x: labelW, y: y + 18, width: barW, height: 8, fill: '#e5e7eb' }));
    root.append(
      svg('rect', { x: labelW, y: y + 18, width: Math.min(1, r.noShowRate) * barW, height: 8, fill: '#b45309' }),
    );
    root.append(svg('text', { x: labelW + barW + 6, y: y + 27, class: 'report-value' }, pct(r.noShowRate)));
  });
  const ly = height - 6;
  root.append(svg('rect', { x: labelW, y: ly - 9, width: 10, height: 10, fill: '#1d4ed8' }));
  root.append(svg('text', { x: labelW + 14, y: ly, class: 'report-value' }, t('reports.legendUtilisation')));
  root.append(svg('rect', { x: labelW + 110, y: ly - 9, width: 10, height: 10, fill: '#b45309' }));
  root.append(svg('text', { x: labelW + 124, y: ly, class: 'report-value' }, t('reports.legendNoShows')));
  return root;
}

/** A 7 × 24 grid in the resource's local time; darker is busier. */
export function heatmap(name: string, rows: readonly WeekdayHourRow[]): SVGSVGElement {
  const cell = 18;
  const left = 36;
  const top = 18;
  const root = svg('svg', {
    viewBox: `0 0 ${left + 24 * cell + 4} ${top + 7 * cell + 4}`,
    role: 'img',
    class: 'report-heatmap',
    'data-testid': 'heatmap',
  });
  const busiest = [...rows]
    .sort((a, b) => b.utilisation - a.utilisation)
    .filter((r) => r.utilisation > 0)
    .slice(0, 3);
  root.setAttribute(
    'aria-label',
    t('reports.heatmap', {
      name,
      busiest:
        busiest.length === 0
          ? t('reports.noBookedTime')
          : t('reports.busiest', {
              cells: busiest
                .map((r) => `${weekdayName(r.weekday, 'short')} ${r.hour}:00 ${pct(r.utilisation)}`)
                .join(', '),
            }),
    }),
  );
  for (let hour = 0; hour < 24; hour += 3)
    root.append(svg('text', { x: left + hour * cell, y: 12, class: 'report-value' }, `${hour}`));
  DAYS.forEach((day, d) => {
    root.append(svg('text', { x: 0, y: top + d * cell + 13, class: 'report-value' }, weekdayName(day, 'short')));
    for (let hour = 0; hour < 24; hour += 1) {
      const u = rows.find((r) => r.weekday === day && r.hour === hour)?.utilisation ?? 0;
      const rect = svg('rect', {
        x: left + hour * cell,
        y: top + d * cell,
        width: cell - 2,
        height: cell - 2,
        fill: '#1d4ed8',
        'fill-opacity': (0.06 + 0.94 * Math.min(1, u)).toFixed(2),
      });
      rect.append(svg('title', {}, `${weekdayName(day, 'short')} ${hour}:00 ${pct(u)}`));
      root.append(rect);
    }
  });
  return root;
}
