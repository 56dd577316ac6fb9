/**
 * (v3) The approval part of a resource's policy editor: when bookings need approval (none, always,
 * outside policy), who approves them besides staff (users picked by a search over `users:list`,
 * shown by name, stored as ids) and after how many hours an undecided request expires. Its fields
 * register with the editor's `field`, so their errors show as the other policy fields' do.
 */
import type { Resource, User } from '@booking/shared';
import { APPROVAL_MODE_VALUES, approvalFromPolicy, approvalModes } from './approval-form';
import type { ApprovalForm, ApprovalMode } from './approval-form';
import { h } from './dom.util';
import type { PolicyField } from './policy-form';
import { t } from './i18n';

/** Finds users (`users:list`) and names the ones already seen. */
export interface UserDirectory {
  search(query: string): Promise<User[]>;
  nameOf(id: string): string | undefined;
}

type FieldFn = (key: PolicyField, label: string, control: HTMLInputElement | HTMLTextAreaElement) => HTMLElement;

const isMode = (v: string): v is ApprovalMode => APPROVAL_MODE_VALUES.some((m) => m === v);

/** The approval fieldset; `read` answers what it shows, `onChange` runs after each change made by a button. */
export function approvalSection(
  resource: Resource,
  field: FieldFn,
  users: UserDirectory,
  onChange: () => void,
): { el: HTMLElement; read(): ApprovalForm } {
  const initial = approvalFromPolicy(resource.policy.approval);
  const chosen = [...initial.approverIds];
  const id = `appr-${resource.id}`;
  const mode = h(
    'select',
    { id: `${id}-mode`, 'data-field': 'approval.required' },
    ...approvalModes().map((m) => h('option', { value: m.value, selected: m.value === initial.required }, m.label)),
  );
  const hours = h('input', {
    type: 'number',
    value: initial.expireHours,
    min: 0,
    step: 'any',
    placeholder: '72',
  });
  const search = h('input', { type: 'search', autocomplete: 'off', placeholder: t('approval.nameOrEmail') });
  const find = h('button', { type: 'button', class: 'btn small' }, t('approval.findUsers'));
  const found = h('select', { id: `${id}-found`, 'data-testid': 'approver-candidates' });
  const add = h('button', { type: 'button', class: 'btn small', disabled: true }, t('approval.addApprover'));
  const list = h('ul', { class: 'approver-list', 'data-testid': 'approver-list', 'aria-live': 'polite' });
  const details = h('div', { class: 'approval-details' });

  const drawList = () => {
    list.replaceChildren(
      ...(chosen.length === 0 ? [h('li', { class: 'muted' }, t('approval.staffOnly'))] : []),
      ...chosen.map((userId) => {
        const name = users.nameOf(userId) ?? t('approval.unlistedUser');
        const remove = h(
          'button',
          { type: 'button', class: 'btn small', 'aria-label': t('approval.removeNamed', { name }) },
          t('approval.remove'),
        );
        remove.addEventListener('click', () => {
          chosen.splice(chosen.indexOf(userId), 1);
          drawList();
          onChange();
        });
        return h('li', { 'data-user-id': userId }, h('span', { class: 'approver-name' }, name), ' ', remove);
      }),
    );
  };
  const drawMode = () => {
    details.hidden = mode.value === 'none';
  };
  const lookUp = async (query: string) => {
    const people = await users.search(query);
    found.replaceChildren(...people.map((u) => h('option', { value: u.id }, `${u.name} (${u.email})`)));
    add.disabled = people.length === 0;
    drawList();
  };
  find.addEventListener('click', () => void lookUp(search.value.trim()));
  search.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    void lookUp(search.value.trim());
  });
  add.addEventListener('click', () => {
    if (!found.value || chosen.includes(found.value)) return;
    chosen.push(found.value);
    drawList();
    onChange();
  });
  mode.addEventListener('change', drawMode);
  // Names of approvers chosen before this dashboard saw them: the newest users name most.
  if (chosen.some((u) => users.nameOf(u) === undefined)) void lookUp('');

  details.append(
    field('approval.expireHours', t('approval.expireHours'), hours),
    h(
      'fieldset',
      { class: 'approvers' },
      h('legend', {}, t('approval.approvers')),
      list,
      field('approval.approverIds', t('approval.findUser'), search),
      find,
      h('label', { for: found.id }, t('approval.userToAdd')),
      found,
      add,
    ),
  );
  drawList();
  drawMode();
  const el = h(
    'fieldset',
    { class: 'pol-approval', 'data-testid': 'approval-settings' },
    h('legend', {}, t('approval.legend')),
    h('div', { class: 'pol-field' }, h('label', { for: mode.id }, t('approval.mode')), mode),
    details,
  );
  return {
    el,
    read: () => ({
      required: isMode(mode.value) ? mode.value : 'none',
      approverIds: [...chosen],
      expireHours: hours.value,
    }),
  };
}
