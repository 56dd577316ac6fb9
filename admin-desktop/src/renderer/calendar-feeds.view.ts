/**
 * Calendar feeds for staff: per resource, a feed URL of its busy times (no names) to subscribe
 * to in a calendar program, with copy, and "Revoke all" for every feed URL this staff user made.
 */
import { createCalendarFeed, describeError, revokeCalendarFeeds } from '@booking/client';
import type { Resource } from '@booking/client';
import { h, mount } from './dom.util';

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
    status.textContent = `Calendar address of ${resource.name} ready: paste it into a calendar program as a subscription.`;
    render();
  };
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = 'Copied the address.';
    } catch {
      status.textContent = 'Could not copy: select the address and copy it yourself.';
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
    status.textContent = 'Every calendar address you made stopped working.';
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
            { type: 'button', 'aria-label': `Copy calendar address of ${r.name}` },
            'Copy',
          );
          copyButton.addEventListener('click', () => void copy(url));
          row.append(
            h('label', { for: id, class: 'visually-hidden' }, `Calendar address of ${r.name}`),
            input,
            copyButton,
          );
        } else {
          const get = h(
            'button',
            { type: 'button', 'aria-label': `Get calendar address of ${r.name}` },
            'Calendar address',
          );
          get.addEventListener('click', () => void request(r));
          row.append(get);
        }
        return row;
      }),
    );
  };
  const revokeButton = h('button', { type: 'button', class: 'danger' }, 'Revoke all calendar addresses');
  revokeButton.addEventListener('click', () => void revoke());
  const el = h(
    'section',
    { class: 'calendar-feeds-panel', 'aria-labelledby': 'calendar-feeds-title' },
    h('h3', { id: 'calendar-feeds-title' }, 'Busy times in a calendar'),
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
