import type { Stats } from '@booking/shared';
import { h } from './dom.util';
import { formatNumber, t } from './i18n';

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
  return mins < 60
    ? t('stats.minutes', { mins })
    : t('stats.hoursMinutes', { hours: Math.floor(mins / 60), mins: mins % 60 });
}

/** No-show releases and rate per resource for the day (only resources that had any check-in settled). */
function noShowTable(stats: Stats, names: ReadonlyMap<string, string>): HTMLElement[] {
  const rows = Object.entries(stats.noShows ?? {});
  if (rows.length === 0) return [];
  return [
    h('h3', {}, t('stats.noShowsToday')),
    h(
      'table',
      { class: 'table', 'data-testid': 'no-shows' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, t('stats.resource')),
          h('th', {}, t('stats.released')),
          h('th', {}, t('stats.noShowRate')),
        ),
      ),
      h(
        'tbody',
        {},
        ...rows.map(([id, n]) =>
          h(
            'tr',
            { 'data-resource-id': id },
            h('td', {}, names.get(id) ?? id),
            h('td', {}, String(n.released)),
            h('td', {}, formatNumber(n.rate, { style: 'percent' })),
          ),
        ),
      ),
    ),
  ];
}

/** A notification queue state's word. */
function queueWord(k: 'waiting' | 'active' | 'delayed' | 'completed' | 'failed'): string {
  switch (k) {
    case 'waiting':
      return t('stats.queueWaiting');
    case 'active':
      return t('stats.queueActive');
    case 'delayed':
      return t('stats.queueDelayed');
    case 'completed':
      return t('stats.queueCompleted');
    case 'failed':
      return t('stats.queueFailed');
  }
}

/** Today's figures, the no-shows, the nodes and the notification queue. */
export function renderStats(
  stats: Stats | null,
  now: Date,
  names: ReadonlyMap<string, string> = new Map(),
): HTMLElement {
  if (!stats) return h('p', { class: 'muted' }, t('stats.waiting'));
  return h(
    'div',
    { class: 'stats', 'data-testid': 'stats' },
    h(
      'div',
      { class: 'figures' },
      figure(t('stats.activeToday'), stats.activeToday, 'stat-active'),
      figure(t('stats.cancelledToday'), stats.cancelledToday, 'stat-cancelled'),
      figure(t('stats.clients'), stats.connectedClients, 'stat-clients'),
      figure(t('stats.nodes'), stats.nodes.length, 'stat-nodes'),
      figure(
        t('stats.noShowsReleased'),
        Object.values(stats.noShows ?? {}).reduce((sum, n) => sum + n.released, 0),
        'stat-no-shows',
      ),
      figure(
        t('stats.waitingOnWaitlists'),
        Object.values(stats.waitlist ?? {}).reduce((sum, n) => sum + n, 0),
        'stat-waitlist',
      ),
    ),
    h(
      'p',
      { class: 'stat-line' },
      t('stats.pendingApprovals'),
      ' ',
      h('b', { 'data-testid': 'stat-pending-approvals' }, String(stats.pendingApprovals ?? 0)),
    ),
    ...((stats.webhooksFailing ?? 0) > 0
      ? [
          h(
            'p',
            { class: 'stat-line' },
            t('stats.webhooksFailing'),
            ' ',
            h('b', { 'data-testid': 'stat-webhooks-failing' }, String(stats.webhooksFailing)),
          ),
        ]
      : []),
    ...noShowTable(stats, names),
    h('h3', {}, t('stats.nodesHeading')),
    h(
      'table',
      { class: 'table' },
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, t('stats.node')), h('th', {}, t('stats.nodeClients')), h('th', {}, t('stats.up'))),
      ),
      h(
        'tbody',
        {},
        ...stats.nodes.map((n) =>
          h('tr', {}, h('td', {}, n.nodeId), h('td', {}, String(n.clients)), h('td', {}, since(n.startedAt, now))),
        ),
      ),
    ),
    h('h3', {}, t('stats.queue')),
    h(
      'div',
      { class: 'queue' },
      ...(['waiting', 'active', 'delayed', 'completed', 'failed'] as const).map((k) =>
        h(
          'span',
          { class: `pill ${k}` },
          `${queueWord(k)} `,
          h('b', { 'data-testid': `queue-${k}` }, String(stats.queue[k])),
        ),
      ),
    ),
  );
}
