/**
 * (v3) People and their groups: find people (`users:list`) and tick the groups managed here
 * (`user:setGroups`). Groups from the sign-in provider are shown ticked or not but cannot be
 * changed: the provider sets them at every sign-in and refresh (the server answers INVALID_STATE
 * if one is named), and the sentence saying so is next to them. A change of groups signs the
 * person's open pages out, to come back with a fresh token.
 */
import { singleSignOnSentences } from '@booking/client';
import type { Act } from '@booking/client';
import type { Group, User } from '@booking/shared';
import type { AdminCommands } from './admin.client';
import { h, mount } from './dom.util';
import { t } from './i18n';

export interface UserGroupsDeps {
  container: HTMLElement;
  send: AdminCommands;
  act: Act;
  groups(): Group[];
}

/** Mounts the finder; answers the function that redraws the people shown (after the groups change). */
export function createUserGroups(d: UserGroupsDeps): () => void {
  let people: User[] = [];
  const query = h('input', { id: 'people-query', type: 'search', name: 'people-query', autocomplete: 'off' });
  const finder = h(
    'form',
    { class: 'people-find', role: 'search', 'aria-label': t('people.find') },
    h('label', { for: 'people-query' }, t('people.nameOrEmail'), query),
    h('button', { type: 'submit', class: 'btn small' }, t('people.find')),
  );
  const why = h('p', { id: 'provider-groups-why', class: 'hint' }, singleSignOnSentences.providerGroup);
  const list = h('div', { class: 'people', 'data-testid': 'people' });
  let searched = false;
  const draw = () => {
    const groups = d.groups();
    why.hidden = !groups.some((g) => g.externalId);
    if (groups.length === 0) mount(list, h('p', { class: 'muted' }, t('people.noGroups')));
    else if (searched && people.length === 0) mount(list, h('p', { class: 'muted' }, t('people.nobody')));
    else mount(list, ...people.map((u) => personGroups(u, { ...d, groups, saved: replace })));
  };
  const replace = (user: User) => {
    people = people.map((u) => (u.id === user.id ? user : u));
    draw();
  };
  finder.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = query.value.trim();
    void d
      .act(() => d.send('users:list', text ? { query: text } : {}))
      .then((res) => {
        if (!res) return;
        people = res.users;
        searched = true;
        draw();
      });
  });
  mount(d.container, h('h3', {}, t('people.title')), finder, why, list);
  draw();
  return draw;
}

/** One person's groups as checkboxes; those from the provider disabled, described by the sentence why. */
function personGroups(
  user: User,
  d: Omit<UserGroupsDeps, 'groups'> & { groups: Group[]; saved(user: User): void },
): HTMLElement {
  const { groups, saved } = d;
  const boxes = groups.map((g) => {
    const box = h('input', {
      type: 'checkbox',
      value: g.id,
      checked: user.groups.includes(g.id),
      disabled: Boolean(g.externalId),
      ...(g.externalId ? { 'aria-describedby': 'provider-groups-why' } : {}),
    });
    const label = h(
      'label',
      { class: 'pol-check' },
      box,
      g.name,
      g.externalId ? h('span', { class: 'muted' }, ` (${t('groups.fromProvider')})`) : null,
    );
    return { group: g, box, label };
  });
  const form = h(
    'form',
    { class: 'person-groups', 'data-user-id': user.id },
    h(
      'fieldset',
      {},
      h('legend', {}, `${user.name} (${user.email})`),
      ...boxes.map((b) => b.label),
      h('button', { type: 'submit', class: 'btn small' }, t('people.save', { name: user.name })),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    // Only the groups managed here: the provider's are the server's to keep.
    const groupIds = boxes.filter((b) => !b.group.externalId && b.box.checked).map((b) => b.group.id);
    void d.act(
      () => d.send('user:setGroups', { userId: user.id, groupIds }),
      (res) => {
        saved(res.user);
        return t('people.saved', { name: res.user.name });
      },
    );
  });
  return form;
}
