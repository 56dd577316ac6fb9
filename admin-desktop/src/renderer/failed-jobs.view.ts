import type { FailedJob } from '@booking/shared';
import { h } from './dom.util';

/** Notifications that exhausted their attempts, each with a Retry button. */
export function renderFailedJobs(jobs: FailedJob[], onRetry: (jobId: string) => void): HTMLElement {
  if (jobs.length === 0) return h('p', { class: 'muted', 'data-testid': 'failed-empty' }, 'No failed notifications.');
  return h(
    'table',
    { class: 'table', 'data-testid': 'failed-jobs' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'when'),
        h('th', {}, 'type'),
        h('th', {}, 'booking'),
        h('th', {}, 'reason'),
        h('th', {}, 'tries'),
        h('th', {}),
      ),
    ),
    h(
      'tbody',
      {},
      ...jobs.map((j) => {
        const retry = h('button', { type: 'button', class: 'btn small', 'data-job-id': j.jobId }, 'Retry');
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
