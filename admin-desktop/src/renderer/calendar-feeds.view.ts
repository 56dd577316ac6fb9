/**
 * Calendar feeds for staff: per resource, a feed URL of its busy times (no names) to subscribe
 * to in a calendar program, with copy, and "Revoke all" for every feed URL this staff user made.
 */
import { createCalendarFeed, describeError, revokeCalendarFeeds } from '@booking/client';
import type { Resource } from '@booking/client';
import { h, mount } from './dom.util';
import { t } from './i18n';

export interface CalendarFeeds {
  el: HTMLElement;
  /** Re-lists the resources (a live change keeps an URL already shown). */
  update(resources: Resource[]): void;
}

export function createCalendarFeeds(opts: { baseUrl: string; token: () => Promise<string | null> }): CalendarFeeds {
  const list = h('ul', { class: 'calendar-feeds' });
  const status = h('p', { role: 'status', class: 'hint' });
  const urls = new Map<string, string>();
  let resources: Resource[] = [];

  const request = async (resource: Resource) => {
    const token = await opts.token();
    const res = await createCalendarFeed(
      { scope: 'resource', resourceId: resource.id },
      { baseUrl: opts.baseUrl, ...(token ? { token } : {}) },
    );
    if (!res.ok) {
      status.textContent = describeError(res.error);
      return;
    }
    urls.set(resource.id, res.data.url);
    status.textContent = t('feeds.ready', { name: resource.name });
    render();
  };
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = t('feeds.copied');
    } catch {
      status.textContent = t('feeds.copyFailed');
    }
  };
  const revoke = async () => {
    const token = await opts.token();
    const res = await revokeCalendarFeeds({ baseUrl: opts.baseUrl, ...(token ? { token } : {}) });
    if (!res.ok) {
      status.textContent = describeError(res.error);
      return;
    }
    urls.clear();
    status.textContent = t('feeds.revoked');
    render();
  };

  const render = () => {
    mount(
      list,
      ...resources.map((r) => {
        const url = urls.get(r.id);
        const id = `feed-url-${r.id}`;
        const row = h('li', {}, h('span', { class: 'feed-name' }, r.name));
        if (url) {
          const input = h('input', { id, readonly: true, value: url });
          const copyButton = h(
            'button',
            { type: 'button', 'aria-label': t('feeds.copyOf', { name: r.name }) },
            t('displays.copy'),
          );
          copyButton.addEventListener('click', () => void copy(url));
          row.append(
            h('label', { for: id, class: 'visually-hidden' }, t('feeds.addressOf', { name: r.name })),
            input,
            copyButton,
          );
        } else {
          const get = h('button', { type: 'button', 'aria-label': t('feeds.getOf', { name: r.name }) }, t('feeds.get'));
          get.addEventListener('click', () => void request(r));
          row.append(get);
        }
        return row;
      }),
    );
  };
  const revokeButton = h('button', { type: 'button', class: 'danger' }, t('feeds.revokeAll'));
  revokeButton.addEventListener('click', () => void revoke());
  const el = h(
    'section',
    { class: 'calendar-feeds-panel', 'aria-labelledby': 'calendar-feeds-title' },
    h('h3', { id: 'calendar-feeds-title' }, t('feeds.title')),
    list,
    revokeButton,
    status,
  );
  return {
    el,
    update(next) {
      resources = next;
      render();
    },
  };
}
