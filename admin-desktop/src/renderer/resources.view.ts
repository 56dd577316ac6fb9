import { MAX_CAPACITY } from '@booking/shared';
import type { Resource } from '@booking/shared';
import type { ClientError } from '@booking/client';
import { h } from './dom.util';
import { renderPolicyEditor } from './policy-editor.view';
import type { SavePolicy } from './policy-editor.view';
import type { UserDirectory } from './approval-editor.view';
import { formatAt, t } from './i18n';

export interface ResourceUpdateInput {
  id: string;
  name: string;
  type: string;
  description: string;
  capacity: number;
  seats: number | null;
  /** Lower the capacity below what is already booked anyway (every booking is kept). */
  force?: boolean;
}

export interface ResourceActions {
  /** Resolves with the error when refused (the panel says it), null when saved. */
  update(input: ResourceUpdateInput): Promise<ClientError | null>;
  remove(id: string, name: string): void;
  savePolicy: SavePolicy;
  /** Finds and names the users picked as a resource's approvers. */
  users: UserDirectory;
  /** Ids whose policy editor is open, kept across re-renders. */
  openPolicies: Set<string>;
}

/** Editable rows for every resource, each with its policy editor (re-rendered only when the resources change). */
export function renderResources(resources: Resource[], actions: ResourceActions): HTMLElement {
  const rows = resources.map((r) => {
    const name = h('input', {
      value: r.name,
      'aria-label': t('resources.nameOf', { name: r.name }),
      maxlength: 100,
      required: true,
    });
    const type = h('input', {
      value: r.type,
      'aria-label': t('resources.typeOf', { name: r.name }),
      maxlength: 50,
      required: true,
    });
    const description = h('input', {
      value: r.description,
      placeholder: t('resources.description'),
      'aria-label': t('resources.descriptionOf', { name: r.name }),
      maxlength: 2000,
    });
    const units = unitInputs(r, r.name);
    const save = h('button', { type: 'submit', class: 'btn small' }, t('resources.save'));
    const del = h('button', { type: 'button', class: 'btn small danger' }, t('resources.delete'));
    const refusal = h('div', { class: 'res-refusal', 'data-testid': 'capacity-refusal', role: 'alert' });
    const form = h(
      'form',
      { class: 'res-row', 'data-resource-id': r.id },
      name,
      type,
      description,
      units.capacityLabel,
      units.seatsLabel,
      save,
      del,
    );
    const submit = (force: boolean) => {
      const input: ResourceUpdateInput = {
        id: r.id,
        name: name.value,
        type: type.value,
        description: description.value,
        ...units.values(),
        ...(force ? { force: true } : {}),
      };
      refusal.replaceChildren();
      void actions.update(input).then((error) => {
        if (error) showRefusal(refusal, r, input, error, () => submit(true));
      });
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submit(false);
    });
    del.addEventListener('click', () => actions.remove(r.id, r.name));
    const policy = h(
      'details',
      { class: 'policy', 'data-resource-id': r.id, open: actions.openPolicies.has(r.id) },
      h('summary', {}, t('resources.policyOf', { name: r.name, zone: r.timeZone.replace(/_/g, ' ') })),
      renderPolicyEditor(r, actions.savePolicy, actions.users),
    );
    policy.addEventListener('toggle', () => {
      if (policy.open) actions.openPolicies.add(r.id);
      else actions.openPolicies.delete(r.id);
    });
    return h('div', { class: 'res-item' }, form, refusal, policy);
  });
  return h('div', { class: 'resources' }, ...rows);
}

/**
 * The form for a new resource. Built once and kept: live updates re-render the rows, never
 * this form, so what staff are typing survives them. `create` resolves true on success.
 */
export function createNewResourceForm(
  create: (input: {
    name: string;
    type: string;
    description: string;
    capacity: number;
    seats: number | null;
  }) => Promise<boolean>,
): HTMLElement {
  const name = h('input', {
    placeholder: t('resources.name'),
    'aria-label': t('resources.newName'),
    maxlength: 100,
    required: true,
  });
  const type = h('input', {
    placeholder: t('resources.typePlaceholder'),
    'aria-label': t('resources.newType'),
    maxlength: 50,
    required: true,
  });
  const description = h('input', {
    placeholder: t('resources.description'),
    'aria-label': t('resources.newDescription'),
    maxlength: 2000,
  });
  const units = unitInputs({ capacity: 1, seats: null });
  const form = h(
    'form',
    { class: 'res-row new' },
    name,
    type,
    description,
    units.capacityLabel,
    units.seatsLabel,
    h('button', { type: 'submit', class: 'btn small primary' }, t('resources.add')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void create({ name: name.value, type: type.value, description: description.value, ...units.values() }).then(
      (ok) => {
        if (ok) form.reset();
      },
    );
  });
  return form;
}

/** The schema's bound on seats (`Seats` in shared/src/schemas.ts). */
const MAX_SEATS = 100_000;

/**
 * A resource's capacity (1-1000 units booked at once) and seats (people it holds; empty when not
 * said), each a labelled number input; the browser's own validation keeps out what the server
 * would refuse.
 */
function unitInputs(r: Pick<Resource, 'capacity' | 'seats'>, of?: string) {
  const capacity = h('input', {
    type: 'number',
    name: 'capacity',
    value: r.capacity,
    min: 1,
    max: MAX_CAPACITY,
    step: 1,
    required: true,
    'aria-label': of === undefined ? t('resources.newCapacity') : t('resources.capacityOf', { name: of }),
  });
  const seats = h('input', {
    type: 'number',
    name: 'seats',
    value: r.seats ?? '',
    min: 1,
    max: MAX_SEATS,
    step: 1,
    placeholder: '—',
    'aria-label': of === undefined ? t('resources.newSeats') : t('resources.seatsOf', { name: of }),
  });
  return {
    capacityLabel: h('label', { class: 'res-num' }, h('span', {}, t('resources.capacity')), capacity),
    seatsLabel: h('label', { class: 'res-num' }, h('span', {}, t('resources.seats')), seats),
    values: () => ({ capacity: Number(capacity.value), seats: seats.value === '' ? null : Number(seats.value) }),
  };
}

/**
 * Under a row whose save was refused: a capacity lowered below what is already booked says when
 * it would be over (`details.at`, in the resource's zone) and offers to lower it anyway.
 */
function showRefusal(
  el: HTMLElement,
  r: Resource,
  input: ResourceUpdateInput,
  error: ClientError,
  force: () => void,
): void {
  const details = error.details as { at?: unknown } | undefined;
  if (error.code !== 'INVALID_STATE' || typeof details?.at !== 'string') return;
  const when = `${formatAt(details.at, r.timeZone, 'date')} ${formatAt(details.at, r.timeZone, 'time')} (${r.timeZone.replace(/_/g, ' ')})`;
  const button = h(
    'button',
    { type: 'button', class: 'btn small danger', 'data-testid': 'force-capacity' },
    t('resources.lowerAnyway'),
  );
  button.addEventListener('click', force);
  el.replaceChildren(
    h(
      'p',
      { 'data-testid': 'capacity-refusal-text', 'data-at': details.at },
      t('resources.cannotLower', { name: r.name, capacity: input.capacity, when }),
    ),
    button,
  );
}
