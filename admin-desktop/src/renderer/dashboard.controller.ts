/**
 * The signed-in dashboard: one `/admin` socket, the day's timeline, the live `stats` push, and
 * the staff actions.
 *
 * The timeline is read whole (`dashboard:snapshot`) on connect and reconnect, when the day
 * changes, and when another staff member adds or removes a resource (seen in `stats`). Between
 * reads, each `slot:changed` moves it forward in place (`day-bookings.ts`), checked by the shared
 * per-resource version tracker: a stale event is ignored, and a version gap (a dropped
 * broadcast) re-reads the day. The snapshot carries no versions, so the first event per resource
 * after a read sets that resource's baseline (all of this in `day-sync.ts`). Staff actions run
 * through the shared `act` and change the view through the events they cause (bookings) or their
 * own answers (resources), never through a re-read. The socket's listeners are in
 * `dashboard.events.ts`, the resource panel in `resource-editors.ts`, the drawn parts in
 * `dashboard.render.ts`.
 */
import { createAct } from '@booking/client';
import type { Locale, Resource, User } from '@booking/shared';
import { adminCommands, connectAdmin } from './admin.client';
import type { AdminCommands, AdminSocket } from './admin.client';
import { createBookingForm } from './booking-panel.view';
import { snapshotDates } from './day-bookings';
import { wireDashboardEvents } from './dashboard.events';
import { mountLayout } from './dashboard.layout';
import { dayRenderer, liveRenderer, statusLine } from './dashboard.render';
import type { DashboardState } from './dashboard.state';
import { createDaySync, today } from './day-sync';
import { byId, h, mount } from './dom.util';
import type { Host } from './host.bridge';
import { createAccountPanel } from './account.view';
import { createApprovals } from './approvals.view';
import type { UserDirectory } from './approval-editor.view';
import { createResourceEditors } from './resource-editors';
import { createGroupsPanel } from './groups.view';
import { createApiKeysPanel } from './api-keys.view';
import { createWebhooksPanel } from './webhooks.view';
import { createDisplaysPanel } from './displays.view';
import { createUserGroups } from './user-groups.view';
import { createAccessEditor } from './access-editor.view';
import { applyScope, dashboardScope, roleFromToken } from './manager-view';
import { createReportsPanel } from './reports.view';
import { t } from './i18n';

/** The order `dashboard:snapshot` lists resources in. */
const byTypeAndName = (a: Resource, b: Resource) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name);

/** `onSignedInAgain`: a password change signed the dashboard in again (restart on that token); `notice`: shown at start. */
export type DashboardOptions = {
  root: HTMLElement;
  host: Host;
  server: string;
  token: string;
  staffName: string;
  onSignOut: (reason: string | null) => void;
  onSignedInAgain: (token: string, notice: string) => void;
  /** The account panel chose another language: the caller draws the dashboard again in it. */
  onLocale: (locale: Locale) => void;
  notice?: string;
  /** A language chosen just before this dashboard started: saved with `profile:update` on connect. */
  saveLocale?: Locale;
};

/** Users found for the policy editors' approver pickers; names from every list read (and the dashboard's own). */
function userDirectory(send: AdminCommands, loaded: () => User[]): UserDirectory {
  const names = new Map<string, string>();
  return {
    search: async (query) => {
      const res = await send('users:list', query ? { query } : {});
      const users = res.ok ? res.data.users : [];
      for (const u of users) names.set(u.id, u.name);
      return users;
    },
    nameOf: (id) => names.get(id) ?? loaded().find((u) => u.id === id)?.name,
  };
}

/** The dashboard's state before the first snapshot: the viewer's today, nothing read yet. */
function emptyState(): DashboardState {
  return {
    date: today(),
    resources: [],
    bookings: [],
    dayUtilization: {},
    stats: null,
    waitlist: {},
    users: [],
    userQuery: '',
    selectedId: null,
    failedSeen: null,
  };
}

/** The account panel: its sign-outs and password change end this dashboard through `control`. */
function mountAccount(opts: DashboardOptions, control: { expectRevoke(expected: boolean): void; stop(): void }): void {
  mount(
    byId('account', HTMLElement),
    createAccountPanel({
      baseUrl: opts.server,
      token: () => opts.host.getToken(),
      expectRevoke: control.expectRevoke,
      onSignedOut: (reason) => void opts.host.setToken(null).then(() => opts.onSignOut(reason)),
      onSignedInAgain: (token, notice) => opts.onSignedInAgain(token, notice),
      stop: control.stop,
      onLocale: opts.onLocale,
    }),
  );
}

/**
 * (v3) API keys, webhooks and room displays: staff only (taken out of a manager's page), each read
 * again on every connect. Answers the displays panel's redraw (its resource names follow the list).
 */
function mountIntegrationPanels(
  staff: boolean,
  a: {
    socket: AdminSocket;
    el: ReturnType<typeof mountLayout>;
    send: ReturnType<typeof adminCommands>;
    act: ReturnType<typeof createAct>;
    resources: () => Resource[];
  },
): () => void {
  if (!staff) return () => undefined;
  const apiKeys = createApiKeysPanel({ container: a.el.apiKeys, send: a.send, act: a.act });
  const webhooks = createWebhooksPanel({ container: a.el.webhooks, send: a.send, act: a.act });
  const displays = createDisplaysPanel({ container: a.el.displays, send: a.send, act: a.act, resources: a.resources });
  a.socket.on('connect', () => {
    void apiKeys.load();
    void webhooks.load();
    void displays.load();
  });
  return displays.render;
}

/** A language chosen just before this dashboard started: saved on its socket's first connect (`profile:update`). */
function saveChosenLocale(
  locale: Locale | undefined,
  c: { socket: AdminSocket; send: AdminCommands; act: ReturnType<typeof createAct> },
): void {
  if (locale)
    c.socket.once('connect', () => void c.act(() => c.send('profile:update', { locale }), t('account.languageSaved')));
}

export function startDashboard(opts: DashboardOptions): () => void {
  const { root, host } = opts;
  /** Set while "sign out everywhere" or a password change revokes this dashboard's own token. */
  let revokeExpected = false;
  const state = emptyState();
  const el = mountLayout(root);
  el.day.value = state.date;
  byId('who', HTMLSpanElement).textContent = opts.staffName;

  const socket: AdminSocket = connectAdmin(opts.server, opts.token);
  const send = adminCommands(socket);
  let stopped = false;
  const { say, sayError } = statusLine(el.status);
  if (opts.notice) say(opts.notice);
  const act = createAct({ say, fail: sayError });
  saveChosenLocale(opts.saveLocale, { socket, send, act });
  const renderDay = dayRenderer({ state, el, send, act });
  const renderLive = liveRenderer({ state, el, send, act });

  const bookingForm = createBookingForm({
    onSearch: (query) => {
      state.userQuery = query;
      void loadUsers();
    },
    // The `booked` event puts it on the timeline.
    onSubmit: (values) => void act(() => send('booking:create', values), t('status.booked')),
  });
  mount(el.book, bookingForm.el);
  const approvals = createApprovals({
    container: el.approvals,
    send,
    resources: () => state.resources,
    say,
    sayError,
    stopped: () => stopped,
  });
  // (v3) A manager's page: only the resources they manage, none of staff's own panels (manager-view.ts).
  const scope = dashboardScope(roleFromToken(opts.token));
  const staff = scope.role === 'staff';
  const groups = createGroupsPanel({ container: el.groups, send, act, onGroups: () => onGroups() });
  const drawUserGroups = createUserGroups({ container: el.userGroups, send, act, groups: () => groups.groups() });
  const drawAccess = staff
    ? createAccessEditor({
        container: el.access,
        send,
        resources: () => state.resources,
        groups: () => groups.groups(),
        saved: (r) => setResources(state.resources.map((x) => (x.id === r.id ? r : x))),
        say,
      })
    : () => undefined;
  const onGroups = () => {
    drawUserGroups();
    drawAccess();
  };
  // Read on every connect, as the day is: a change made elsewhere while away is then seen.
  if (staff) socket.on('connect', () => void groups.load());
  const drawDisplays = mountIntegrationPanels(staff, { socket, el, send, act, resources: () => state.resources });
  mountAccount(opts, {
    expectRevoke: (expected) => void (revokeExpected = expected),
    stop: () => stop(),
  });
  const renderResourcePanel = createResourceEditors({
    resources: () => state.resources,
    setResources: (resources) => setResources(resources),
    container: el.resources,
    send,
    act,
    say,
    sayError,
    baseUrl: opts.server,
    token: () => opts.host.getToken(),
    users: userDirectory(send, () => state.users),
  });
  const showScope = applyScope(scope, { scope: el.scope, role: byId('who-role', HTMLSpanElement) });
  /** Editors change only when their inputs do, so a live update never wipes what staff type. */
  const renderEditors = () => {
    bookingForm.update({ date: state.date, users: state.users, resources: state.resources });
    renderResourcePanel();
    drawAccess();
    drawDisplays();
    showScope(state.resources.length);
  };
  /** A resource list changed by this staff member's own command, in snapshot order. */
  const setResources = (resources: Resource[]) => {
    const before = snapshotDates(view()).join();
    state.resources = [...resources].sort(byTypeAndName);
    renderDay();
    renderEditors();
    approvals.render();
    // A zone that widens the view needs the bookings of the UTC days it now reaches.
    if (snapshotDates(view()).join() !== before) void refresh();
  };
  const day = createDaySync({
    state,
    send,
    sayError,
    renderDay: () => renderDay(),
    renderAll: () => {
      renderDay();
      renderEditors();
      renderLive();
      approvals.render();
    },
    stopped: () => stopped,
  });
  const { refresh, learnNames, view } = day;

  async function loadUsers(): Promise<void> {
    const res = await act(() => send('users:list', state.userQuery ? { query: state.userQuery } : {}));
    if (!res) return;
    state.users = res.users;
    learnNames(res.users);
    renderEditors();
  }

  wireDashboardEvents({
    socket,
    host,
    state,
    el,
    day,
    loadUsers,
    renderDay,
    renderLive,
    refreshApprovals: () => void approvals.refresh(),
    stop,
    revokeExpected: () => revokeExpected,
    onSignOut: opts.onSignOut,
  });
  // (v3) Reports: staff see every resource, a manager theirs (the server decides).
  mount(
    byId('reports', HTMLDivElement),
    createReportsPanel({ baseUrl: opts.server, token: () => opts.host.getToken() }).el,
  );
  const tick = setInterval(renderDay, 60_000);

  function stop(): void {
    stopped = true;
    clearInterval(tick);
    socket.removeAllListeners();
    socket.close();
  }
  renderDay();
  renderLive();
  root.append(h('footer', { class: 'foot muted' }, host.desktop ? t('layout.desktopApp') : t('layout.browser')));
  return stop;
}
