import type { Stats } from '@booking/shared';
import { h } from './dom.util';

function figure(label: string, value: number | string, testId: string): HTMLElement {
  return h(
    'div',
    { class: 'figure' },
    h('span', { class: 'figure-value', 'data-testid': testId }, String(value)),
    h('span', { class: 'figure-label' }, label),
  );
}

function since(iso: string, now: Date): string {
  const mins = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 60_000));
  return mins < 60 ? `${mins} min` : `${Math.floor(mins / 60)} h ${mins % 60} min`;
}

/** No-show releases and rate per resource for the day (only resources that had any check-in settled). */
function noShowTable(stats: Stats, names: ReadonlyMap<string, string>): HTMLElement[] {
  const rows = Object.entries(stats.noShows ?? {});
  if (rows.length === 0) return [];
  return [
    h('h3', {}, 'No-shows today'),
    h(
      'table',
      { class: 'table', 'data-testid': 'no-shows' },
      h('thead', {}, h('tr', {}, h('th', {}, 'resource'), h('th', {}, 'released'), h('th', {}, 'no-show rate'))),
      h(
        'tbody',
        {},
        ...rows.map(([id, n]) =>
          h(
            'tr',
            { 'data-resource-id': id },
            h('td', {}, names.get(id) ?? id),
            h('td', {}, String(n.released)),
            h('td', {}, `${Math.round(n.rate * 100)} %`),
          ),
        ),
      ),
    ),
  ];
}

/** Today's figures, the no-shows, the nodes and the notification queue. */
export function renderStats(
  stats: Stats | null,
  now: Date,
  names: ReadonlyMap<string, string> = new Map(),
): HTMLElement {
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
      figure(
        'no-shows released today',
        Object.values(stats.noShows ?? {}).reduce((sum, n) => sum + n.released, 0),
        'stat-no-shows',
      ),
      figure(
        'waiting on waitlists',
        Object.values(stats.waitlist ?? {}).reduce((sum, n) => sum + n, 0),
        'stat-waitlist',
      ),
    ),
    h(
      'p',
      { class: 'stat-line' },
      'Pending approvals: ',
      h('b', { 'data-testid': 'stat-pending-approvals' }, String(stats.pendingApprovals ?? 0)),
    ),
    ...((stats.webhooksFailing ?? 0) > 0
      ? [
          h(
            'p',
            { class: 'stat-line' },
            'Webhooks failing: ',
            h('b', { 'data-testid': 'stat-webhooks-failing' }, String(stats.webhooksFailing)),
          ),
        ]
      : []),
    ...noShowTable(stats, names),
    h('h3', {}, 'Nodes'),
    h(
      'table',
      { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'node'), h('th', {}, 'clients'), h('th', {}, 'up'))),
      h(
        'tbody',
        {},
        ...stats.nodes.map((n) =>
          h('tr', {}, h('td', {}, n.nodeId), h('td', {}, String(n.clients)), h('td', {}, since(n.startedAt, now))),
        ),
      ),
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
