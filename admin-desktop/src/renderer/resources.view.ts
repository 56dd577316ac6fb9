import type { Resource } from '@booking/shared';
import { h } from './dom.util';
import { renderPolicyEditor } from './policy-editor.view';
import type { SavePolicy } from './policy-editor.view';

export interface ResourceActions {
  update(input: { id: string; name: string; type: string; description: string }): void;
  remove(id: string, name: string): void;
  savePolicy: SavePolicy;
  /** Ids whose policy editor is open, kept across re-renders. */
  openPolicies: Set<string>;
}

/** Editable rows for every resource, each with its policy editor (re-rendered only when the resources change). */
export function renderResources(resources: Resource[], actions: ResourceActions): HTMLElement {
  const rows = resources.map((r) => {
    const name = h('input', { value: r.name, 'aria-label': `name of ${r.name}`, maxlength: 100, required: true });
    const type = h('input', { value: r.type, 'aria-label': `type of ${r.name}`, maxlength: 50, required: true });
    const description = h('input', { value: r.description, 'aria-label': `description of ${r.name}`, maxlength: 2000 });
    const save = h('button', { type: 'submit', class: 'btn small' }, 'Save');
    const del = h('button', { type: 'button', class: 'btn small danger' }, 'Delete');
    const form = h('form', { class: 'res-row', 'data-resource-id': r.id }, name, type, description, save, del);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      actions.update({ id: r.id, name: name.value, type: type.value, description: description.value });
    });
    del.addEventListener('click', () => actions.remove(r.id, r.name));
    const policy = h(
      'details',
      { class: 'policy', 'data-resource-id': r.id, open: actions.openPolicies.has(r.id) },
      h('summary', {}, `Policy and hours of ${r.name} (${r.timeZone.replace(/_/g, ' ')})`),
      renderPolicyEditor(r, actions.savePolicy),
    );
    policy.addEventListener('toggle', () => {
      if (policy.open) actions.openPolicies.add(r.id);
      else actions.openPolicies.delete(r.id);
    });
    return h('div', { class: 'res-item' }, form, policy);
  });
  return h('div', { class: 'resources' }, ...rows);
}

/**
 * The form for a new resource. Built once and kept: live updates re-render the rows, never
 * this form, so what staff are typing survives them. `create` resolves true on success.
 */
export function createNewResourceForm(
  create: (input: { name: string; type: string; description: string }) => Promise<boolean>,
): HTMLElement {
  const name = h('input', { placeholder: 'name', 'aria-label': 'new resource name', maxlength: 100, required: true });
  const type = h('input', {
    placeholder: 'type (room, desk…)',
    'aria-label': 'new resource type',
    maxlength: 50,
    required: true,
  });
  const description = h('input', {
    placeholder: 'description',
    'aria-label': 'new resource description',
    maxlength: 2000,
  });
  const form = h(
    'form',
    { class: 'res-row new' },
    name,
    type,
    description,
    h('button', { type: 'submit', class: 'btn small primary' }, 'Add'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void create({ name: name.value, type: type.value, description: description.value }).then((ok) => {
      if (ok) form.reset();
    });
  });
  return form;
}
