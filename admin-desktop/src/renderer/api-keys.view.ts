/**
 * (v3) The dashboard's API keys (staff only): a form for a new key (name and scopes), its secret
 * shown once with a hint to copy it now, and every key with its scopes, when it was last used and
 * a Revoke button. Staff's own changes come back through the command's answer (never a re-read).
 */
import { API_SCOPES } from '@booking/shared';
import type { ApiKey, ApiScope } from '@booking/shared';
import type { Act } from '@booking/client';
import type { AdminCommands } from './admin.client';
import { h, mount } from './dom.util';
import { formatAt, t } from './i18n';

export interface ApiKeysPanelDeps {
  container: HTMLElement;
  send: AdminCommands;
  act: Act;
}

export interface ApiKeysPanel {
  /** Reads the keys (`apiKey:list`), on connect and reconnect. */
  load(): Promise<void>;
}

const when = (iso: string | null) =>
  iso ? `${formatAt(iso, 'UTC', 'date')} ${formatAt(iso, 'UTC', 'time')} UTC` : t('apiKeys.never');

export function createApiKeysPanel(d: ApiKeysPanelDeps): ApiKeysPanel {
  let keys: ApiKey[] = [];
  const list = h('ul', { class: 'api-keys', 'data-testid': 'api-keys', 'aria-label': t('layout.apiKeys') });
  const secretBox = h('div', {
    class: 'api-key-secret',
    'data-testid': 'api-key-secret',
    role: 'region',
    'aria-label': t('apiKeys.newSecret'),
    hidden: true,
  });
  const set = (next: ApiKey[]) => {
    keys = next;
    draw();
  };
  const draw = () => {
    list.replaceChildren(
      ...(keys.length === 0 ? [h('li', { class: 'muted' }, t('apiKeys.none'))] : []),
      ...keys.map((k) => keyRow(k, d, (revoked) => set(keys.map((x) => (x.id === revoked.id ? revoked : x))))),
    );
  };
  const showSecret = (key: ApiKey, secret: string) => {
    const field = h('input', {
      value: secret,
      readonly: true,
      id: 'api-key-secret-value',
      'aria-describedby': 'api-key-secret-hint',
    });
    mount(
      secretBox,
      h('label', { for: 'api-key-secret-value' }, t('apiKeys.secretOf', { name: key.name })),
      field,
      h('p', { id: 'api-key-secret-hint', class: 'hint' }, t('apiKeys.secretHint')),
    );
    secretBox.hidden = false;
    field.select();
  };
  mount(
    d.container,
    h('p', { class: 'hint' }, t('apiKeys.hint')),
    newKeyForm(d, (key, secret) => {
      set([key, ...keys]);
      showSecret(key, secret);
    }),
    secretBox,
    list,
  );
  draw();
  return {
    load: async () => {
      const res = await d.act(() => d.send('apiKey:list', {}));
      if (res) set(res.keys);
    },
  };
}

function keyRow(k: ApiKey, d: ApiKeysPanelDeps, revoked: (key: ApiKey) => void): HTMLElement {
  const revoke = h(
    'button',
    { type: 'button', class: 'btn small danger', 'aria-label': t('displays.revokeNamed', { name: k.name }) },
    t('displays.revoke'),
  );
  revoke.addEventListener('click', () => {
    if (!window.confirm(t('apiKeys.confirmRevoke', { name: k.name }))) return;
    void d.act(
      () => d.send('apiKey:revoke', { id: k.id }),
      () => {
        revoked({ ...k, revokedAt: new Date().toISOString() });
        return t('apiKeys.revoked', { name: k.name });
      },
    );
  });
  return h(
    'li',
    { class: 'api-key-row', 'data-key-id': k.id },
    h('strong', {}, k.name),
    h('span', { class: 'muted' }, ` ${k.scopes.join(', ')}`),
    h(
      'span',
      { class: 'small-note', 'data-testid': 'last-used' },
      ` · ${t('apiKeys.lastUsed', { when: when(k.lastUsedAt) })}`,
    ),
    k.revokedAt ? h('span', { class: 'pill' }, t('displays.revokedAt', { when: when(k.revokedAt) })) : revoke,
  );
}

/** The form for a new key; built once, so what staff type survives every redraw of the list. */
function newKeyForm(d: ApiKeysPanelDeps, created: (key: ApiKey, secret: string) => void): HTMLElement {
  const name = h('input', { id: 'new-api-key-name', name: 'api-key-name', maxlength: 100, required: true });
  const boxes = API_SCOPES.map((scope) => ({
    scope,
    box: h('input', { type: 'checkbox', value: scope, id: `api-scope-${scope.replace(':', '-')}` }),
  }));
  const form = h(
    'form',
    { class: 'api-key-new', 'aria-labelledby': 'new-api-key-title' },
    h('h3', { id: 'new-api-key-title' }, t('apiKeys.new')),
    h('label', { for: 'new-api-key-name' }, t('displays.name'), name),
    h(
      'fieldset',
      {},
      h('legend', {}, t('apiKeys.scopes')),
      ...boxes.map(({ scope, box }) => h('label', { for: box.id }, box, ` ${scope}`)),
    ),
    h('button', { type: 'submit', class: 'btn' }, t('apiKeys.create')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const scopes: ApiScope[] = boxes.filter((b) => b.box.checked).map((b) => b.scope);
    void d
      .act(
        () => d.send('apiKey:create', { name: name.value, scopes }),
        ({ key }) => t('apiKeys.created', { name: key.name }),
      )
      .then((res) => {
        if (!res) return;
        created(res.key, res.secret);
        form.reset();
      });
  });
  return form;
}
