/**
 * (v3) Room displays (staff only): the displays of every resource (`display:list`), a form for a
 * new one (`display:create {resourceId, name}`) whose answer carries the display's address once
 * (its token is in the fragment and stored hashed, so it cannot be shown again), with a copy
 * button, and Revoke after a confirmation (`display:revoke`: the display is disconnected).
 */
import type { Display, Resource } from '@booking/shared';
import type { Act } from '@booking/client';
import type { AdminCommands } from './admin.client';
import { h, mount } from './dom.util';
import { formatAt, t } from './i18n';

export interface DisplaysPanelDeps {
  container: HTMLElement;
  send: AdminCommands;
  act: Act;
  resources(): Resource[];
}

export interface DisplaysPanel {
  /** Reads the displays, on connect and reconnect. */
  load(): Promise<void>;
  /** The resources changed: the form's choices and the list's names follow. */
  render(): void;
}

/** An instant in the display's resource's zone, with the zone's name. */
const when = (iso: string, zone: string) =>
  `${formatAt(iso, zone, 'date')} ${formatAt(iso, zone, 'time')} (${zone.replace(/_/g, ' ')})`;

export function createDisplaysPanel(d: DisplaysPanelDeps): DisplaysPanel {
  let displays: Display[] = [];
  const list = h('ul', { class: 'displays', 'data-testid': 'displays', 'aria-label': t('displays.list') });
  const urlBox = h('div', { class: 'display-url', 'data-testid': 'display-url', role: 'region', hidden: true });
  urlBox.setAttribute('aria-label', t('displays.newUrl'));
  const resourceSelect = h('select', { id: 'new-display-resource', required: true });
  const draw = () => {
    const byId = new Map(d.resources().map((r) => [r.id, r]));
    list.replaceChildren(
      ...(displays.length === 0 ? [h('li', { class: 'muted' }, t('displays.none'))] : []),
      ...displays.map((x) =>
        displayRow(x, byId.get(x.resourceId) ?? { name: x.resourceId, timeZone: 'UTC' }, d, revoked),
      ),
    );
  };
  const revoked = (id: string) => {
    displays = displays.map((x) => (x.id === id ? { ...x, revokedAt: new Date().toISOString() } : x));
    draw();
  };
  const drawChoices = () => {
    const keep = resourceSelect.value;
    resourceSelect.replaceChildren(...d.resources().map((r) => h('option', { value: r.id }, r.name)));
    if (d.resources().some((r) => r.id === keep)) resourceSelect.value = keep;
  };
  const showUrl = (display: Display, url: string) => {
    const field = h('input', {
      value: url,
      readonly: true,
      id: 'display-url-value',
      'aria-describedby': 'display-url-hint',
    });
    const copy = h('button', { type: 'button', class: 'btn small' }, t('displays.copy'));
    const copied = h('span', { role: 'status', class: 'hint' });
    copy.addEventListener('click', () => {
      field.select();
      void navigator.clipboard.writeText(url).then(
        () => void (copied.textContent = t('displays.copied')),
        () => void (copied.textContent = t('displays.copyByHand')),
      );
    });
    mount(
      urlBox,
      h('label', { for: 'display-url-value' }, t('displays.urlOf', { name: display.name })),
      field,
      copy,
      copied,
      h('p', { id: 'display-url-hint', class: 'hint' }, t('displays.onceOnly')),
    );
    urlBox.hidden = false;
    field.select();
  };
  const name = h('input', { id: 'new-display-name', maxlength: 100, required: true });
  const form = h(
    'form',
    { class: 'display-new', 'aria-labelledby': 'new-display-title' },
    h('h3', { id: 'new-display-title' }, t('displays.new')),
    h('label', { for: 'new-display-resource' }, t('displays.resource'), resourceSelect),
    h('label', { for: 'new-display-name' }, t('displays.name'), name),
    h('button', { type: 'submit', class: 'btn' }, t('displays.create')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void d
      .act(
        () => d.send('display:create', { resourceId: resourceSelect.value, name: name.value }),
        ({ display }) => t('displays.created', { name: display.name }),
      )
      .then((res) => {
        if (!res) return;
        displays = [res.display, ...displays];
        draw();
        showUrl(res.display, res.url);
        name.value = '';
      });
  });
  mount(d.container, h('p', { class: 'hint' }, t('displays.hint')), form, urlBox, list);
  drawChoices();
  draw();
  return {
    load: async () => {
      const res = await d.act(() => d.send('display:list', {}));
      if (!res) return;
      displays = res.displays;
      draw();
    },
    render: () => {
      drawChoices();
      draw();
    },
  };
}

function displayRow(
  x: Display,
  resource: Pick<Resource, 'name' | 'timeZone'>,
  d: DisplaysPanelDeps,
  revoked: (id: string) => void,
): HTMLElement {
  const revoke = h(
    'button',
    { type: 'button', class: 'btn small danger', 'aria-label': t('displays.revokeNamed', { name: x.name }) },
    t('displays.revoke'),
  );
  revoke.addEventListener('click', () => {
    if (!window.confirm(t('displays.confirmRevoke', { name: x.name }))) return;
    void d.act(
      () => d.send('display:revoke', { id: x.id }),
      () => {
        revoked(x.id);
        return t('displays.revoked', { name: x.name });
      },
    );
  });
  return h(
    'li',
    { class: 'display-row', 'data-display-id': x.id, 'data-testid': 'display-row' },
    h('strong', {}, x.name),
    h('span', { class: 'muted' }, ` · ${resource.name}`),
    h(
      'span',
      { class: 'small-note' },
      ` · ${x.lastSeenAt ? t('displays.lastSeen', { when: when(x.lastSeenAt, resource.timeZone) }) : t('displays.neverSeen')}`,
    ),
    ' ',
    x.revokedAt
      ? h(
          'span',
          { class: 'pill', 'data-testid': 'display-revoked' },
          t('displays.revokedAt', { when: when(x.revokedAt, resource.timeZone) }),
        )
      : revoke,
  );
}
