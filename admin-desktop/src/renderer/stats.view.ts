import type { Stats } from '@booking/shared';
import { h } from './dom.util';

function figure(label: string, value: number | string, testId: string): HTMLElement {
  return h('div', { class: 'figure' }, h('span', { class: 'figure-value', 'data-testid': testId }, String(value)), h('span', { class: 'figure-label' }, label));
}

function since(iso: string, now: Date): string {
  const mins = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 60_000));
  return mins < 60 ? `${mins} min` : `${Math.floor(mins / 60)} h ${mins % 60} min`;
}

/** Today's figures, the nodes and the notification queue. */
export function renderStats(stats: Stats | null, now: Date): HTMLElement {
  if (!stats) return h('p', { class: 'muted' }, 'Waiting for the first figures…');
  return h(
    'div',
    { class: 'stats', 'data-testid': 'stats' },
    h(
      'div',
      { class: 'figures' },
      figure('active today', stats.activeToday, 'stat-active'),
      figure('cancelled today', stats.cancelledToday, 'stat-cancelled'),
      figure('connected clients', stats.connectedClients, 'stat-clients'),
      figure('nodes', stats.nodes.length, 'stat-nodes'),
    ),
    h('h3', {}, 'Nodes'),
    h(
      'table',
      { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'node'), h('th', {}, 'clients'), h('th', {}, 'up'))),
      h('tbody', {}, ...stats.nodes.map((n) => h('tr', {}, h('td', {}, n.nodeId), h('td', {}, String(n.clients)), h('td', {}, since(n.startedAt, now))))),
    ),
    h('h3', {}, 'Notification queue'),
    h(
      'div',
      { class: 'queue' },
      ...(['waiting', 'active', 'delayed', 'completed', 'failed'] as const).map((k) =>
        h('span', { class: `pill ${k}` }, `${k} `, h('b', { 'data-testid': `queue-${k}` }, String(stats.queue[k]))),
      ),
    ),
  );
}
