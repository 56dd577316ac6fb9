/**
 * (v3) The dashboard's webhooks (staff only): a form for a new endpoint (URL and event boxes), its
 * signing secret shown once, every endpoint (a disabled one marked, a failing one flagged), and for
 * the one picked its delivery attempts and a replay since a date and time (read as local time).
 */
import { WEBHOOK_EVENTS } from '@booking/shared';
import type { Webhook, WebhookDelivery, WebhookEvent } from '@booking/shared';
import type { Act } from '@booking/client';
import type { AdminCommands } from './admin.client';
import { h, mount } from './dom.util';
import { formatAt, t } from './i18n';

export interface WebhooksPanelDeps {
  container: HTMLElement;
  send: AdminCommands;
  act: Act;
}

export interface WebhooksPanel {
  /** Reads the endpoints (`webhook:list`), on connect and reconnect. */
  load(): Promise<void>;
}

const when = (iso: string) => `${formatAt(iso, 'UTC', 'date')} ${formatAt(iso, 'UTC', 'time')} UTC`;

export function createWebhooksPanel(d: WebhooksPanelDeps): WebhooksPanel {
  let hooks: Webhook[] = [];
  let picked: Webhook | null = null;
  const list = h('ul', { class: 'webhooks', 'data-testid': 'webhooks', 'aria-label': t('webhooks.endpoints') });
  const secretBox = h('div', {
    class: 'api-key-secret',
    'data-testid': 'webhook-secret',
    role: 'region',
    'aria-label': t('webhooks.newSecret'),
    hidden: true,
  });
  const detail = h('div', {
    class: 'webhook-detail',
    'data-testid': 'webhook-detail',
    role: 'region',
    'aria-label': t('webhooks.deliveries'),
    hidden: true,
  });
  const set = (next: Webhook[]) => {
    hooks = next;
    draw();
  };
  const draw = () => {
    list.replaceChildren(
      ...(hooks.length === 0 ? [h('li', { class: 'muted' }, t('webhooks.none'))] : []),
      ...hooks.map((w) =>
        hookRow(w, d, {
          deleted: () => {
            if (picked?.id === w.id) detail.hidden = true;
            set(hooks.filter((x) => x.id !== w.id));
          },
          pick: () => {
            picked = w;
            void showDeliveries(w);
          },
        }),
      ),
    );
  };
  const showDeliveries = async (w: Webhook) => {
    const res = await d.act(() => d.send('webhook:deliveries', { id: w.id, limit: 50 }));
    if (!res) return;
    mount(
      detail,
      h('h3', {}, t('webhooks.deliveriesTo', { url: w.url })),
      deliveriesTable(res.deliveries),
      replayForm(w, d, () => void showDeliveries(w)),
    );
    detail.hidden = false;
  };
  const showSecret = (w: Webhook, secret: string) => {
    const field = h('input', {
      value: secret,
      readonly: true,
      id: 'webhook-secret-value',
      'aria-describedby': 'webhook-secret-hint',
    });
    mount(
      secretBox,
      h('label', { for: 'webhook-secret-value' }, t('webhooks.secretOf', { url: w.url })),
      field,
      h('p', { id: 'webhook-secret-hint', class: 'hint' }, t('webhooks.secretHint')),
    );
    secretBox.hidden = false;
    field.select();
  };
  mount(
    d.container,
    h('p', { class: 'hint' }, t('webhooks.hint')),
    newHookForm(d, (w, secret) => {
      set([...hooks, w]);
      showSecret(w, secret);
    }),
    secretBox,
    list,
    detail,
  );
  draw();
  return {
    load: async () => {
      const res = await d.act(() => d.send('webhook:list', {}));
      if (res) set(res.webhooks);
    },
  };
}

function hookRow(w: Webhook, d: WebhooksPanelDeps, on: { deleted: () => void; pick: () => void }): HTMLElement {
  const show = h(
    'button',
    { type: 'button', class: 'btn small', 'aria-label': t('webhooks.deliveriesOf', { url: w.url }) },
    t('webhooks.deliveries'),
  );
  show.addEventListener('click', on.pick);
  const del = h(
    'button',
    { type: 'button', class: 'btn small danger', 'aria-label': t('webhooks.deleteNamed', { url: w.url }) },
    t('resources.delete'),
  );
  del.addEventListener('click', () => {
    if (!window.confirm(t('webhooks.confirmDelete', { url: w.url }))) return;
    void d.act(
      () => d.send('webhook:delete', { id: w.id }),
      () => {
        on.deleted();
        return t('webhooks.deleted');
      },
    );
  });
  return h(
    'li',
    { class: 'webhook-row', 'data-webhook-id': w.id },
    h('strong', {}, w.url),
    w.description ? h('span', {}, ` ${w.description}`) : null,
    h('span', { class: 'muted' }, ` ${w.events.join(', ')}`),
    w.disabledAt
      ? h(
          'span',
          { class: 'pill', 'data-testid': 'webhook-disabled' },
          t('webhooks.disabled', { when: when(w.disabledAt) }),
        )
      : w.failingSince
        ? h('span', { class: 'pill' }, t('webhooks.failingSince', { when: when(w.failingSince) }))
        : null,
    show,
    del,
  );
}

function deliveriesTable(rows: WebhookDelivery[]): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, t('webhooks.noDeliveries'));
  return h(
    'table',
    { class: 'deliveries', 'data-testid': 'webhook-deliveries' },
    h('caption', {}, t('webhooks.attempts')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...[
          t('webhooks.colWhen'),
          t('webhooks.colEvent'),
          t('webhooks.colAttempt'),
          t('webhooks.colStatus'),
          t('webhooks.colTime'),
          t('webhooks.colId'),
        ].map((text) => h('th', { scope: 'col' }, text)),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          {},
          h('td', {}, when(r.at)),
          h('td', {}, r.type),
          h('td', {}, String(r.attempt)),
          h(
            'td',
            {},
            r.status === null ? `${t('webhooks.noStatus')}${r.error ? ` (${r.error})` : ''}` : String(r.status),
          ),
          h('td', {}, t('webhooks.ms', { ms: r.durationMs })),
          h('td', { class: 'small-note' }, r.webhookId),
        ),
      ),
    ),
  );
}

function replayForm(w: Webhook, d: WebhooksPanelDeps, done: () => void): HTMLElement {
  const since = h('input', { type: 'datetime-local', id: 'webhook-replay-since', required: true });
  const form = h(
    'form',
    { class: 'webhook-replay', 'aria-label': t('webhooks.replayEvents') },
    h('label', { for: 'webhook-replay-since' }, t('webhooks.replaySince'), since),
    h('button', { type: 'submit', class: 'btn' }, t('webhooks.replay')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const at = new Date(since.value);
    if (Number.isNaN(at.getTime())) return;
    void d
      .act(
        () => d.send('webhook:replay', { id: w.id, since: at.toISOString() }),
        ({ queued }) => t('webhooks.queued', { count: queued }),
      )
      .then((res) => {
        if (res) done();
      });
  });
  return form;
}

/** The form for a new endpoint; built once, so what staff type survives every redraw of the list. */
function newHookForm(d: WebhooksPanelDeps, created: (w: Webhook, secret: string) => void): HTMLElement {
  const url = h('input', {
    id: 'new-webhook-url',
    type: 'url',
    name: 'webhook-url',
    required: true,
    placeholder: 'https://',
  });
  const description = h('input', { id: 'new-webhook-description', name: 'webhook-description', maxlength: 200 });
  const boxes = WEBHOOK_EVENTS.map((event) => ({
    event,
    box: h('input', { type: 'checkbox', value: event, id: `webhook-event-${event.replace('.', '-')}` }),
  }));
  const form = h(
    'form',
    { class: 'webhook-new', 'aria-labelledby': 'new-webhook-title' },
    h('h3', { id: 'new-webhook-title' }, t('webhooks.new')),
    h('label', { for: 'new-webhook-url' }, t('webhooks.url'), url),
    h('label', { for: 'new-webhook-description' }, t('webhooks.description'), description),
    h(
      'fieldset',
      {},
      h('legend', {}, t('webhooks.events')),
      ...boxes.map(({ event, box }) => h('label', { for: box.id }, box, ` ${event}`)),
    ),
    h('button', { type: 'submit', class: 'btn' }, t('webhooks.create')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const events: WebhookEvent[] = boxes.filter((b) => b.box.checked).map((b) => b.event);
    void d
      .act(
        () =>
          d.send('webhook:create', {
            url: url.value,
            events,
            ...(description.value ? { description: description.value } : {}),
          }),
        ({ webhook }) => t('webhooks.created', { url: webhook.url }),
      )
      .then((res) => {
        if (!res) return;
        created(res.webhook, res.secret);
        form.reset();
      });
  });
  return form;
}
