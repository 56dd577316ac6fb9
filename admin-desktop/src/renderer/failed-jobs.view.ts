import type { FailedJob } from '@booking/shared';
import { h } from './dom.util';
import { t } from './i18n';

/** Notifications that exhausted their attempts, each with a Retry button. */
export function renderFailedJobs(jobs: FailedJob[], onRetry: (jobId: string) => void): HTMLElement {
  if (jobs.length === 0) return h('p', { class: 'muted', 'data-testid': 'failed-empty' }, t('failed.none'));
  return h(
    'table',
    { class: 'table', 'data-testid': 'failed-jobs' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, t('failed.when')),
        h('th', {}, t('failed.type')),
        h('th', {}, t('failed.booking')),
        h('th', {}, t('failed.reason')),
        h('th', {}, t('failed.tries')),
        h('th', {}, h('span', { class: 'visually-hidden' }, t('failed.actions'))),
      ),
    ),
    h(
      'tbody',
      {},
      ...jobs.map((j) => {
        const retry = h('button', { type: 'button', class: 'btn small', 'data-job-id': j.jobId }, t('failed.retry'));
        retry.addEventListener('click', () => onRetry(j.jobId));
        return h(
          'tr',
          {},
          h('td', {}, j.at.slice(0, 16).replace('T', ' ')),
          h('td', {}, j.type),
          h('td', { class: 'mono' }, j.bookingId.slice(-6)),
          h('td', {}, j.failedReason),
          h('td', {}, String(j.attemptsMade)),
          h('td', {}, retry),
        );
      }),
    ),
  );
}
