/**
 * The signed-in dashboard: one `/admin` socket, the day's timeline, the live `stats` push, and
 * the staff actions.
 *
 * The timeline is read whole (`dashboard:snapshot`) on connect and reconnect, when the day
 * changes, and when another staff member adds or removes a resource (seen in `stats`). Between
 * reads, each `slot:changed` moves it forward in place (`day-bookings.ts`), checked by the shared
 * per-resource version tracker: a stale event is ignored, and a version gap (a dropped
 * broadcast) re-reads the day. The snapshot carries no versions, so the first event per resource
 * after a read sets that resource's baseline. Staff actions change the view through the events
 * they cause (bookings) or their own answers (resources), never through a re-read.
 */
import { createSlotVersionTracker, describeError } from '@booking/shared';
import type { AdminBooking, ClientError, CommandResult, Resource, SlotChanged, Stats, User } from '@booking/shared';
import { adminCommands, connectAdmin } from './admin.client';
import type { AdminSocket } from './admin.client';
import { createBookingForm, renderSelected } from './booking-panel.view';
import { applyToDay, eventTouchesDay, renameUser, snapshotDates, viewRange } from './day-bookings';
import type { ViewRange } from './day-bookings';
import { byId, h, mount } from './dom.util';
import { renderFailedJobs } from './failed-jobs.view';
import type { Host } from './host.bridge';
import { createAccountPanel } from './account.view';
import { createCalendarFeeds } from './calendar-feeds.view';
import { createNewResourceForm, renderResources } from './resources.view';
import { renderStats } from './stats.view';
import { renderTimeline } from './timeline.view';

interface State {
  date: string;
  resources: Resource[];
  bookings: AdminBooking[];
  dayUtilization: Record<string, number>;
  stats: Stats | null;
  users: User[];
  userQuery: string;
  selectedId: string | null;
  failedSeen: number | null;
}

const today = () => new Date().toISOString().slice(0, 10);
/** Shown for an owner whose name is still being looked up. */
const NAME_PENDING = '…';
/** The order `dashboard:snapshot` lists resources in. */
const byTypeAndName = (a: Resource, b: Resource) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name);

const LAYOUT = `
<header class="bar">
  <h1>Bookings · staff</h1>
  <label class="date">Day <input id="day" type="date" aria-label="day"></label>
  <span id="conn" class="conn" data-testid="connection">connecting…</span>
  <span id="who" class="who"></span>
  <button id="sign-out" type="button" class="btn small">Sign out</button>
</header>
<p id="status" class="status" role="status" data-testid="status"></p>
<main class="grid">
  <section class="panel wide"><h2>Timeline</h2><p class="muted small-note">Each resource shows the day in its own time zone; hatched time is closed.</p><div id="timeline"></div></section>
  <section class="panel"><h2>Selected booking</h2><div id="selected"></div><h2>Book on behalf of a user</h2><div id="book"></div></section>
  <section class="panel"><h2>Today (UTC), live</h2><div id="stats"></div></section>
  <section class="panel"><h2>Resources</h2><div id="resources"></div><div id="new-resource"></div><div id="calendar-feeds"></div></section>
  <section class="panel"><h2>Failed notifications</h2><div id="failed"></div></section>
  <section class="panel" id="account"></section>
</main>`;

/** `onSignedInAgain`: a password change signed the dashboard in again (restart on that token); `notice`: shown at start. */
export type DashboardOptions = { root: HTMLElement; host: Host; server: string; token: string; staffName: string; onSignOut: (reason: string | null) => void; onSignedInAgain: (token: string, notice: string) => void; notice?: string };

export function startDashboard(opts: DashboardOptions): () => void {
  const { root, host } = opts;
  root.innerHTML = LAYOUT;
  /** Set while "sign out everywhere" or a password change revokes this dashboard's own token. */
  let revokeExpected = false;
  const state: State = { date: today(), resources: [], bookings: [], dayUtilization: {}, stats: null, users: [], userQuery: '', selectedId: null, failedSeen: null };
  const el = {
    day: byId('day', HTMLInputElement),
    conn: byId('conn', HTMLSpanElement),
    status: byId('status', HTMLParagraphElement),
    timeline: byId('timeline', HTMLDivElement),
    selected: byId('selected', HTMLDivElement),
    book: byId('book', HTMLDivElement),
    stats: byId('stats', HTMLDivElement),
    resources: byId('resources', HTMLDivElement),
    failed: byId('failed', HTMLDivElement),
  };
  el.day.value = state.date;
  byId('who', HTMLSpanElement).textContent = opts.staffName;

  const socket: AdminSocket = connectAdmin(opts.server, opts.token);
  const send = adminCommands(socket);
  const versions = createSlotVersionTracker();
  /** Owner names by user id, from snapshots and user lists, for bookings that arrive live. */
  const names = new Map<string, string>();
  let stopped = false;

  /** The instants the timeline shows: the date as a local day of every resource's zone. */
  const view = (): ViewRange => viewRange(state.date, state.resources);
  const say = (text: string, kind: 'ok' | 'error' = 'ok') => {
    el.status.textContent = text;
    el.status.className = `status ${kind}`;
  };
  /** The shared sentence, with the code for staff who report a problem. */
  const sayError = (error: ClientError) => say(`${describeError(error)} (${error.code})`, 'error');
  if (opts.notice) say(opts.notice);
  const act = async <T>(what: string, run: () => Promise<CommandResult<T>>): Promise<T | undefined> => {
    const answer = await run();
    if (!answer.ok) {
      sayError(answer.error);
      return undefined;
    }
    if (what) say(what);
    return answer.data;
  };

  const renderDay = () => {
    const selected = state.bookings.find((b) => b.id === state.selectedId) ?? null;
    mount(
      el.timeline,
      renderTimeline({
        date: state.date,
        resources: state.resources,
        bookings: state.bookings,
        utilization: state.dayUtilization,
        selectedId: state.selectedId,
        now: new Date(),
        onSelect: (id) => {
          state.selectedId = id;
          renderDay();
        },
      }),
    );
    mount(
      el.selected,
      renderSelected({
        booking: selected,
        resource: state.resources.find((r) => r.id === selected?.resourceId) ?? null,
        // The `released` event updates the timeline.
        onCancel: (bookingId) => void act('Booking cancelled.', () => send('booking:cancel', { bookingId })),
        // One `released` event per cancelled occurrence updates the timeline.
        onCancelSeries: (seriesId, from) => void act('Series cancelled from this occurrence on.', () => send('booking:cancelSeries', { seriesId, from })),
      }),
    );
  };
  const bookingForm = createBookingForm({
    onSearch: (query) => {
      state.userQuery = query;
      void loadUsers();
    },
    // The `booked` event puts it on the timeline.
    onSubmit: (values) => void act('Booked.', () => send('booking:create', values)),
  });
  mount(el.book, bookingForm.el);
  mount(
    byId('new-resource', HTMLDivElement),
    createNewResourceForm(async (input) => {
      const res = await act('Resource added.', () => send('resource:create', input));
      if (res) setResources([...state.resources, res.resource]);
      return res !== undefined;
    }),
  );
  mount(
    byId('account', HTMLElement),
    createAccountPanel({
      baseUrl: opts.server,
      token: () => opts.host.getToken(),
      expectRevoke: (expected) => void (revokeExpected = expected),
      onSignedOut: (reason) => void host.setToken(null).then(() => opts.onSignOut(reason)),
      onSignedInAgain: (token, notice) => opts.onSignedInAgain(token, notice),
      stop: () => stop(),
    }),
  );
  const calendarFeeds = createCalendarFeeds({ baseUrl: opts.server, token: () => opts.host.getToken() });
  mount(byId('calendar-feeds', HTMLDivElement), calendarFeeds.el);
  let resourcesKey = '';
  const openPolicies = new Set<string>();
  /** Editors change only when their inputs do, so a live update never wipes what staff type. */
  const renderEditors = () => {
    bookingForm.update({ date: state.date, users: state.users, resources: state.resources });
    const key = JSON.stringify(state.resources);
    if (key === resourcesKey) return;
    resourcesKey = key;
    calendarFeeds.update(state.resources);
    mount(
      el.resources,
      renderResources(state.resources, {
        update: (input) =>
          void act('Resource saved.', () => send('resource:update', input)).then((res) => {
            if (res) setResources(state.resources.map((r) => (r.id === res.resource.id ? res.resource : r)));
          }),
        savePolicy: async (input) => {
          const answer = await send('resource:update', input);
          if (!answer.ok) {
            sayError(answer.error);
            return answer.error;
          }
          say(`Policy of ${answer.data.resource.name} saved.`);
          setResources(state.resources.map((r) => (r.id === answer.data.resource.id ? answer.data.resource : r)));
          return null;
        },
        openPolicies,
        remove: (id, name) => {
          if (!window.confirm(`Delete ${name}?`)) return;
          void act('Resource deleted.', () => send('resource:delete', { id })).then((res) => {
            if (res) setResources(state.resources.filter((r) => r.id !== id));
          });
        },
      }),
    );
  };
  const renderLive = () => {
    mount(el.stats, renderStats(state.stats, new Date(), new Map(state.resources.map((r) => [r.id, r.name]))));
    mount(
      el.failed,
      renderFailedJobs(state.stats?.failedJobs ?? [], (jobId) => void act('Notification sent again.', () => send('notifications:retry', { jobId }))),
    );
  };
  /** A resource list changed by this staff member's own command, in snapshot order. */
  const setResources = (resources: Resource[]) => {
    const before = snapshotDates(view()).join();
    state.resources = [...resources].sort(byTypeAndName);
    renderDay();
    renderEditors();
    // A zone that widens the view needs the bookings of the UTC days it now reaches.
    if (snapshotDates(view()).join() !== before) void refresh();
  };
  const learnNames = (people: Array<{ id: string; name: string }>) => {
    for (const p of people) names.set(p.id, p.name);
  };

  let refreshing: Promise<void> | null = null;
  let again = false;
  /** Events that arrive while the day is being read, applied on top of the answer. */
  let heldBack: SlotChanged[] | null = null;
  /** Re-reads the day; calls during a read coalesce into one more read after it. */
  async function refresh(): Promise<void> {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      do {
        again = false;
        const date = state.date;
        heldBack = [];
        const snap = await send('dashboard:snapshot', { date });
        // The snapshot lists one UTC day; resources in other zones reach into the days around it.
        const extra = snap.ok ? snapshotDates(viewRange(date, snap.data.resources)).filter((d) => d !== date) : [];
        const more = await Promise.all(extra.map((d) => send('dashboard:snapshot', { date: d })));
        const held = heldBack;
        heldBack = null;
        if (date !== state.date) continue;
        const failed = more.find((m) => !m.ok);
        if (failed && !failed.ok) sayError(failed.error);
        if (snap.ok) {
          state.resources = snap.data.resources;
          const range = viewRange(date, snap.data.resources);
          const seen = new Set<string>();
          state.bookings = [snap, ...more]
            .flatMap((m) => (m.ok ? m.data.bookings : []))
            .filter((b) => !seen.has(b.id) && seen.add(b.id) && Date.parse(b.start) < range.to && Date.parse(b.end) > range.from)
            .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
          state.dayUtilization = snap.data.stats.utilization;
          if (date === today()) state.stats = snap.data.stats;
          learnNames(snap.data.bookings.map((b) => ({ id: b.userId, name: b.userName })));
          // The snapshot carries no versions: the next event of each resource sets its baseline.
          versions.forget();
        } else {
          sayError(snap.error);
        }
        for (const e of held.sort((a, b) => a.version - b.version)) onSlotChanged(e);
        renderDay();
        renderEditors();
        renderLive();
      } while (again && !stopped);
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  let userLookup: Promise<void> | null = null;
  /**
   * Finds the name of a booking's owner the dashboard has not seen yet. Such an owner is almost
   * always a newly registered user, and `users:list` answers the newest 200 first, so one list
   * (shared by lookups that overlap) names them without re-reading the day; an owner still
   * unknown after it (more than 200 sign-ups since) is named by a snapshot re-read.
   */
  function lookUpName(userId: string): void {
    userLookup ??= send('users:list', {})
      .then((res) => {
        if (res.ok) learnNames(res.data.users);
      })
      .finally(() => {
        userLookup = null;
      });
    void userLookup.then(() => {
      const name = names.get(userId);
      if (name === undefined) return void refresh();
      state.bookings = renameUser(state.bookings, userId, name);
      renderDay();
    });
  }

  function onSlotChanged(e: SlotChanged): void {
    if (heldBack) {
      heldBack.push(e);
      return;
    }
    const step = versions.check(e);
    if (step === 'gap') void refresh();
    if (step !== 'apply' || !eventTouchesDay(view(), e)) return;
    const userId = e.userId ?? '';
    const userName = names.get(userId);
    state.bookings = applyToDay({ view: view(), bookings: state.bookings, event: e, userName: userName ?? NAME_PENDING });
    if (userName === undefined && state.bookings.some((b) => b.userId === userId && b.userName === NAME_PENDING)) lookUpName(userId);
    renderDay();
  }

  async function loadUsers(): Promise<void> {
    const res = await act('', () => send('users:list', state.userQuery ? { query: state.userQuery } : {}));
    if (!res) return;
    state.users = res.users;
    learnNames(res.users);
    renderEditors();
  }

  socket.on('connect', () => {
    el.conn.textContent = 'live';
    el.conn.className = 'conn live';
    // First connect or reconnect: broadcasts may have been missed while away.
    void refresh();
    void loadUsers();
  });
  socket.on('disconnect', () => {
    el.conn.textContent = 'reconnecting…';
    el.conn.className = 'conn down';
  });
  socket.on('connect_error', (err) => {
    if (err.message === 'UNAUTHORIZED' && revokeExpected) {
      // Our own sign-out everywhere or password change: the account panel decides what follows.
      stop();
      return;
    }
    if (err.message === 'UNAUTHORIZED' || err.message === 'FORBIDDEN') {
      stop();
      opts.onSignOut(err.message === 'FORBIDDEN' ? 'This account is not staff.' : 'Please sign in again.');
      return;
    }
    el.conn.textContent = 'offline';
    el.conn.className = 'conn down';
  });
  socket.on('slot:changed', onSlotChanged);
  socket.on('stats', (stats) => {
    const failed = stats.queue.failed;
    if (state.failedSeen !== null && failed > state.failedSeen) {
      void host.notify({ title: 'Notification failed', body: `${failed} notification(s) have failed; retry them from the dashboard.` });
    }
    state.failedSeen = failed;
    state.stats = stats;
    if (state.date === today()) {
      state.dayUtilization = stats.utilization;
      // A resource another staff member added or removed shows up here first.
      const known = new Set(state.resources.map((r) => r.id));
      const live = Object.keys(stats.utilization);
      if (live.length !== known.size || live.some((id) => !known.has(id))) void refresh();
      renderDay();
    }
    renderLive();
  });

  el.day.addEventListener('change', () => {
    // A change event that names the day already shown (a browser can fire one on input and one on
    // commit) reads nothing again: a second read would only repeat the first.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(el.day.value) || el.day.value === state.date) return;
    state.date = el.day.value;
    state.selectedId = null;
    void refresh();
  });
  byId('sign-out', HTMLButtonElement).addEventListener('click', () => {
    stop();
    void host.setToken(null).then(() => opts.onSignOut(null));
  });
  const tick = setInterval(renderDay, 60_000);

  function stop(): void {
    stopped = true;
    clearInterval(tick);
    socket.removeAllListeners();
    socket.close();
  }
  renderDay();
  renderLive();
  root.append(h('footer', { class: 'foot muted' }, host.desktop ? 'Desktop app' : 'Browser'));
  return stop;
}
