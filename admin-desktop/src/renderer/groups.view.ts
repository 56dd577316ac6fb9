/**
 * (v3) The dashboard's groups editor: every group with its name and, for a group that stands for
 * one of the sign-in provider's groups, its `externalId` (the value of the provider's groups
 * claim); a new-group form. Each of staff's own changes comes back through the command's answer
 * (never a re-read) and is handed to `onGroups`, so the people's group editor follows.
 */
import type { Group } from '@booking/shared';
import type { Act } from '@booking/client';
import type { AdminCommands } from './admin.client';
import { h, mount } from './dom.util';
import { t } from './i18n';

export interface GroupsPanelDeps {
  container: HTMLElement;
  send: AdminCommands;
  act: Act;
  /** The groups changed (read, or changed by staff here). */
  onGroups(groups: Group[]): void;
}

export interface GroupsPanel {
  groups(): Group[];
  /** Reads the groups (`group:list`), on connect and reconnect. */
  load(): Promise<void>;
}

const byName = (a: Group, b: Group) => a.name.localeCompare(b.name);

export function createGroupsPanel(d: GroupsPanelDeps): GroupsPanel {
  let groups: Group[] = [];
  const list = h('ul', { class: 'groups', 'data-testid': 'groups', 'aria-label': t('layout.groups') });
  const set = (next: Group[]) => {
    groups = [...next].sort(byName);
    draw();
    d.onGroups(groups);
  };
  const draw = () => {
    list.replaceChildren(
      ...(groups.length === 0 ? [h('li', { class: 'muted' }, t('groups.none'))] : []),
      ...groups.map((g) => groupRow(g, { ...d, set, current: () => groups })),
    );
  };
  mount(
    d.container,
    h('p', { class: 'hint' }, t('groups.hint')),
    list,
    newGroupForm(d, (group) => set([...groups, group])),
  );
  draw();
  return {
    groups: () => groups,
    load: async () => {
      const res = await d.act(() => d.send('group:list', {}));
      if (res) set(res.groups);
    },
  };
}

/** One group: rename, tie to or untie from a provider value (empty: a group managed here), delete. */
function groupRow(g: Group, d: GroupsPanelDeps & { set(groups: Group[]): void; current(): Group[] }): HTMLElement {
  const { set, current } = d;
  const name = h('input', {
    value: g.name,
    'aria-label': t('resources.nameOf', { name: g.name }),
    maxlength: 100,
    required: true,
  });
  const externalId = h('input', {
    value: g.externalId ?? '',
    'aria-label': t('groups.providerValueOf', { name: g.name }),
    placeholder: t('groups.providerValuePlaceholder'),
    maxlength: 256,
  });
  const save = h('button', { type: 'submit', class: 'btn small' }, t('resources.save'));
  const del = h('button', { type: 'button', class: 'btn small danger' }, t('resources.delete'));
  const form = h(
    'form',
    { class: 'group-row', 'data-group-id': g.id },
    name,
    externalId,
    g.externalId ? h('span', { class: 'pill' }, t('groups.fromProvider')) : null,
    save,
    del,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const ext = externalId.value.trim();
    const input = {
      id: g.id,
      name: name.value,
      // Emptied: the group is no longer tied to the provider and is managed here from now on.
      ...(ext ? { externalId: ext } : g.externalId ? { externalId: null } : {}),
    };
    void d.act(
      () => d.send('group:update', input),
      ({ group }) => {
        set(current().map((x) => (x.id === group.id ? group : x)));
        return t('groups.saved', { name: group.name });
      },
    );
  });
  del.addEventListener('click', () => {
    if (!window.confirm(t('groups.confirmDelete', { name: g.name }))) return;
    void d.act(
      () => d.send('group:delete', { id: g.id }),
      () => {
        set(current().filter((x) => x.id !== g.id));
        return t('groups.deleted', { name: g.name });
      },
    );
  });
  return h('li', {}, form);
}

/** The form for a new group; built once, so what staff type survives every redraw of the list. */
function newGroupForm(d: GroupsPanelDeps, added: (group: Group) => void): HTMLElement {
  const name = h('input', { id: 'new-group-name', name: 'group-name', maxlength: 100, required: true });
  const externalId = h('input', {
    id: 'new-group-external',
    name: 'group-external-id',
    maxlength: 256,
    'aria-describedby': 'new-group-external-hint',
  });
  const form = h(
    'form',
    { class: 'group-new', 'aria-labelledby': 'new-group-title' },
    h('h3', { id: 'new-group-title' }, t('groups.new')),
    h('label', { for: 'new-group-name' }, t('displays.name'), name),
    h('label', { for: 'new-group-external' }, t('groups.providerValue'), externalId),
    h('p', { id: 'new-group-external-hint', class: 'hint' }, t('groups.providerHint')),
    h('button', { type: 'submit', class: 'btn' }, t('groups.add')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const ext = externalId.value.trim();
    void d
      .act(
        () => d.send('group:create', { name: name.value, ...(ext ? { externalId: ext } : {}) }),
        ({ group }) => t('groups.added', { name: group.name }),
      )
      .then((res) => {
        if (!res) return;
        added(res.group);
        form.reset();
      });
  });
  return form;
}
