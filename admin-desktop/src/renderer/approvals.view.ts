/**
 * (v3) The approvals queue: the pending requests staff may decide (`approvals:list`, oldest
 * first), each with who asked, for which resource, when (in the resource's zone, as the timeline
 * shows times), how many units and until when it waits, and Approve / Decline (with an optional
 * reason). The list is read again when something may have changed it (`refresh`: the controller
 * calls it on connect, when `stats.pendingApprovals` changes, on request-related `slot:changed`
 * events) and after each decision. A decision someone else made first (`INVALID_STATE`) is said
 * as such, and the list is read again. Reasons typed survive a re-read.
 */
import type { AdminBooking, Resource } from '@booking/shared';
import type { ClientError } from '@booking/client';
import type { AdminCommands } from './admin.client';
import { h, mount } from './dom.util';
import { formatAt, t } from './i18n';

export interface ApprovalsDeps {
  container: HTMLElement;
  send: AdminCommands;
  resources(): Resource[];
  say(text: string, kind?: 'ok' | 'error'): void;
  sayError(error: ClientError): void;
  stopped(): boolean;
}

export interface ApprovalsQueue {
  /** Reads the queue again; calls during a read coalesce into one more read after it. */
  refresh(): Promise<void>;
  /** Draws it again (the resources' names or zones changed). */
  render(): void;
}

/** Start and end in the resource's zone and the dashboard's language (the end's day only when it differs). */
const when = (b: AdminBooking, zone: string): string => {
  const sameDay = formatAt(b.start, zone, 'date') === formatAt(b.end, zone, 'date');
  const endText = sameDay
    ? formatAt(b.end, zone, 'time')
    : `${formatAt(b.end, zone, 'date')} ${formatAt(b.end, zone, 'time')}`;
  return `${formatAt(b.start, zone, 'date')}, ${formatAt(b.start, zone, 'time')}–${endText} (${zone.replace(/_/g, ' ')})`;
};
const until = (b: AdminBooking, zone: string): string =>
  b.expiresAt ? `${formatAt(b.expiresAt, zone, 'date')}, ${formatAt(b.expiresAt, zone, 'time')}` : '—';

type Decision = 'approve' | 'decline';

/** "<who> asks for <what>": the two names placed where the language puts them. */
function asksFor(who: HTMLElement, what: HTMLElement): Array<HTMLElement | string> {
  // Every language here names who before what.
  const [before = '', rest = ''] = t('approvals.asksFor', { who: '\u0001', what: '\u0002' }).split('\u0001');
  const [middle = '', after = ''] = rest.split('\u0002');
  return [before, who, middle, what, after].filter((part) => part !== '');
}

/** One request with its decision controls; `typed` is the reason typed so far. */
function requestRow(
  b: AdminBooking,
  r: Resource | undefined,
  ui: { typed: string; busy: boolean; onReason(text: string): void; onDecide(decision: Decision): void },
): HTMLElement {
  const zone = r?.timeZone ?? 'UTC';
  const name = r?.name ?? t('approvals.unlistedResource');
  const reasonId = `decline-reason-${b.id}`;
  /** The buttons' names start with their visible words and say whose request (one of several alike). */
  const whose = t('approvals.whose', { user: b.userName, resource: name, when: when(b, zone) });
  const reason = h('input', { id: reasonId, maxlength: 500, autocomplete: 'off', 'data-testid': 'decline-reason' });
  reason.value = ui.typed;
  reason.addEventListener('input', () => ui.onReason(reason.value));
  const approve = h(
    'button',
    {
      type: 'button',
      class: 'btn small primary',
      'data-testid': 'approve',
      disabled: ui.busy,
      'aria-label': t('approvals.approveWhose', { whose }),
    },
    t('approvals.approve'),
  );
  const decline = h(
    'button',
    {
      type: 'button',
      class: 'btn small',
      'data-testid': 'decline',
      disabled: ui.busy,
      'aria-label': t('approvals.declineWhose', { whose }),
    },
    t('approvals.decline'),
  );
  approve.addEventListener('click', () => ui.onDecide('approve'));
  decline.addEventListener('click', () => ui.onDecide('decline'));
  return h(
    'li',
    {
      class: 'approval',
      'data-testid': 'approval-request',
      'data-booking-id': b.id,
      'data-resource-id': b.resourceId,
    },
    h(
      'p',
      { class: 'approval-what' },
      ...asksFor(
        h('strong', { 'data-testid': 'approval-who' }, b.userName),
        h('strong', { 'data-testid': 'approval-resource' }, name),
      ),
    ),
    h(
      'dl',
      { class: 'approval-facts' },
      h('dt', {}, t('selected.when')),
      h('dd', { 'data-testid': 'approval-when' }, when(b, zone)),
      h('dt', {}, t('selected.units')),
      h('dd', { 'data-testid': 'approval-quantity' }, String(b.quantity)),
      h('dt', {}, t('approvals.waitsUntil')),
      h('dd', { 'data-testid': 'approval-until', 'data-expires-at': b.expiresAt ?? '' }, until(b, zone)),
    ),
    h(
      'div',
      { class: 'approval-actions' },
      approve,
      h('label', { for: reasonId }, t('approvals.reason')),
      reason,
      decline,
    ),
  );
}

export function createApprovals(d: ApprovalsDeps): ApprovalsQueue {
  let requests: AdminBooking[] | null = null;
  /** Decline reasons typed, by booking id. */
  const reasons = new Map<string, string>();
  const deciding = new Set<string>();

  function render(): void {
    if (requests === null) return mount(d.container, h('p', { class: 'muted' }, t('approvals.reading')));
    const count = h(
      'p',
      { class: 'muted', 'data-testid': 'approvals-count' },
      t('approvals.count', { count: requests.length }),
    );
    if (requests.length === 0)
      return mount(d.container, h('p', { class: 'muted', 'data-testid': 'approvals-empty' }, t('approvals.none')));
    mount(
      d.container,
      count,
      h(
        'ol',
        { class: 'approvals', 'data-testid': 'approvals' },
        ...requests.map((b) =>
          requestRow(
            b,
            d.resources().find((x) => x.id === b.resourceId),
            {
              typed: reasons.get(b.id) ?? '',
              busy: deciding.has(b.id),
              onReason: (text) => reasons.set(b.id, text),
              onDecide: (decision) => void decide(b, decision),
            },
          ),
        ),
      ),
    );
  }

  async function read(): Promise<void> {
    const res = await d.send('approvals:list', {});
    if (!res.ok) return d.sayError(res.error);
    requests = res.data.bookings;
    const ids = new Set(requests.map((b) => b.id));
    for (const id of reasons.keys()) if (!ids.has(id)) reasons.delete(id);
    render();
  }

  let reading: Promise<void> | null = null;
  let again = false;
  function refresh(): Promise<void> {
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      do {
        again = false;
        await read();
      } while (again && !d.stopped());
    })().finally(() => {
      reading = null;
    });
    return reading;
  }

  async function decide(b: AdminBooking, decision: Decision): Promise<void> {
    deciding.add(b.id);
    render();
    const reason = (reasons.get(b.id) ?? '').trim();
    const res =
      decision === 'approve'
        ? await d.send('booking:approve', { bookingId: b.id })
        : await d.send('booking:decline', { bookingId: b.id, ...(reason ? { reason } : {}) });
    deciding.delete(b.id);
    if (res.ok) {
      reasons.delete(b.id);
      d.say(
        decision === 'approve'
          ? t('approvals.approved', { user: b.userName })
          : t('approvals.declined', { user: b.userName }),
      );
    } else if (res.error.code === 'INVALID_STATE') {
      d.say(t('approvals.decidedElsewhere', { user: b.userName }), 'error');
    } else {
      d.sayError(res.error);
    }
    await refresh();
  }

  return { refresh, render };
}
