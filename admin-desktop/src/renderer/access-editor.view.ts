/**
 * (v3) Staff's access editor: for the resource chosen, who may see it, who may book it and who
 * manages it, each picked from the groups (`group:list`, read by the groups panel). Save sends
 * `resource:update {id, access}` with the access whole (`null`: everyone may see and book); the
 * answer's resource replaces the one shown, never a re-read. The form is drawn again only when the
 * chosen resource's access or the groups change, so a live update never wipes what staff tick.
 */
import { describeError } from '@booking/client';
import type { Group, Resource } from '@booking/shared';
import type { AdminCommands } from './admin.client';
import { accessFormOf, bookChoices, describeAccess, readAccessForm, seeChoices } from './access-form';
import type { AccessForm, BookChoice, SeeChoice } from './access-form';
import { h, mount } from './dom.util';
import { t } from './i18n';

export interface AccessEditorDeps {
  container: HTMLElement;
  send: AdminCommands;
  resources(): Resource[];
  groups(): Group[];
  /** The resource saved, as the server answered it. */
  saved(resource: Resource): void;
  say(text: string): void;
}

/** A group list as checkboxes in a fieldset; `read` answers the ticked ids. */
function groupPicker(key: string, legend: string, groups: Group[], ticked: string[]) {
  const boxes = groups.map((g) => h('input', { type: 'checkbox', value: g.id, checked: ticked.includes(g.id) }));
  const el = h(
    'fieldset',
    { class: 'access-groups', 'data-testid': `access-${key}-groups` },
    h('legend', {}, legend),
    ...(groups.length === 0 ? [h('p', { class: 'muted' }, t('access.noGroups'))] : []),
    ...groups.map((g, i) => h('label', { class: 'pol-check' }, boxes[i], g.name)),
  );
  return { el, read: () => boxes.filter((b) => b.checked).map((b) => b.value) };
}

/** Radio buttons for one choice; `read` answers the value chosen. */
function choice<T extends string>(key: string, choices: ReadonlyArray<{ value: T; label: string }>, initial: T) {
  const radios = choices.map((c) =>
    h('input', { type: 'radio', name: `access-${key}`, value: c.value, checked: c.value === initial }),
  );
  const labels = choices.map((c, i) => h('label', { class: 'pol-check' }, radios[i], c.label));
  const read = (): T => choices.find((_, i) => radios[i]?.checked)?.value ?? initial;
  return { labels, radios, read };
}

/** Mounts the editor; answers the function that draws it again when the resources or groups change. */
export function createAccessEditor(d: AccessEditorDeps): () => void {
  let chosenId = '';
  let drawnKey = '';
  const picker = h('select', { id: 'access-resource', 'data-testid': 'access-resource' });
  const body = h('div', { class: 'access-body' });
  picker.addEventListener('change', () => {
    chosenId = picker.value;
    drawnKey = '';
    render();
  });
  mount(
    d.container,
    h('h2', { id: 'access-title' }, t('access.title')),
    h('label', { for: 'access-resource' }, t('displays.resource')),
    picker,
    body,
  );

  const render = () => {
    const resources = d.resources();
    const groups = d.groups();
    if (!resources.some((r) => r.id === chosenId)) chosenId = resources[0]?.id ?? '';
    picker.replaceChildren(
      ...resources.map((r) => h('option', { value: r.id, selected: r.id === chosenId }, `${r.name} (${r.type})`)),
    );
    picker.value = chosenId;
    const resource = resources.find((r) => r.id === chosenId);
    const key = JSON.stringify([resource?.id, resource?.access, groups]);
    if (key === drawnKey) return;
    drawnKey = key;
    if (!resource) mount(body, h('p', { class: 'muted' }, 'No resources yet.'));
    else mount(body, accessForm(resource, groups, d));
  };
  render();
  return render;
}

/** The form for one resource: its current access, the three pickers, Save, and the error sentence. */
function accessForm(resource: Resource, groups: Group[], d: AccessEditorDeps): HTMLElement {
  const initial = accessFormOf(resource.access);
  const nameOf = (id: string) => groups.find((g) => g.id === id)?.name ?? t('access.unlistedGroup');
  const current = h(
    'p',
    { class: 'access-current', 'data-testid': 'access-current' },
    t('access.now', { access: describeAccess(resource.access, nameOf) }),
  );
  const see = choice<SeeChoice>('see', seeChoices(), initial.see);
  const seeGroups = groupPicker('see', t('access.seeGroups'), groups, initial.seeGroups);
  const book = choice<BookChoice>('book', bookChoices(), initial.book);
  const bookGroups = groupPicker('book', t('access.bookGroups'), groups, initial.bookGroups);
  const managers = groupPicker('managers', t('access.managers'), groups, initial.managers);
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'access-error' });
  const save = h('button', { type: 'submit', class: 'btn small primary' }, t('access.save', { name: resource.name }));
  const showGroups = () => {
    seeGroups.el.hidden = see.read() !== 'groups';
    bookGroups.el.hidden = book.read() !== 'groups';
  };
  for (const r of [...see.radios, ...book.radios]) r.addEventListener('change', showGroups);
  showGroups();
  const form = h(
    'form',
    { class: 'access-form', 'data-resource-id': resource.id, 'aria-label': t('access.of', { name: resource.name }) },
    current,
    h('fieldset', { class: 'access-choice' }, h('legend', {}, t('access.whoSees')), ...see.labels, seeGroups.el),
    h('fieldset', { class: 'access-choice' }, h('legend', {}, t('access.whoBooks')), ...book.labels, bookGroups.el),
    managers.el,
    h('p', { class: 'hint' }, t('access.hint')),
    error,
    save,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const values: AccessForm = {
      see: see.read(),
      seeGroups: seeGroups.read(),
      book: book.read(),
      bookGroups: bookGroups.read(),
      managers: managers.read(),
    };
    const read = readAccessForm(values);
    if (!read.ok) {
      error.textContent = read.message;
      return;
    }
    error.textContent = '';
    save.disabled = true;
    void d.send('resource:update', { id: resource.id, access: read.access }).then((answer) => {
      save.disabled = false;
      if (!answer.ok) {
        error.textContent = `${describeError(answer.error)} (${answer.error.code})`;
        return;
      }
      d.say(t('access.saved', { name: answer.data.resource.name }));
      d.saved(answer.data.resource);
    });
  });
  return form;
}
