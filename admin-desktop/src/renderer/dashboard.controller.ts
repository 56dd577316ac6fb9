/**
 * The signed-in dashboard: one `/admin` socket, the day snapshot (re-read on every
 * `slot:changed` touching the day, and after a reconnect, so a dropped broadcast never leaves
 * the timeline stale), the live `stats` push, and the staff actions.
 */
import type { AdminBooking, Resource, SlotChanged, Stats, User } from '@booking/shared';
import { CommandError, command, connectAdmin } from './admin.client';
import type { AdminSocket } from './admin.client';
import { createBookingForm, renderSelected } from './booking-panel.view';
import { byId, h, mount } from './dom.util';
import { renderFailedJobs } from './failed-jobs.view';
import type { Host } from './host.bridge';
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

const LAYOUT = `
<header class="bar">
  <h1>Bookings · staff</h1>
  <label class="date">Day (UTC) <input id="day" type="date" aria-label="day"></label>
  <span id="conn" class="conn" data-testid="connection">connecting…</span>
  <span id="who" class="who"></span>
  <button id="sign-out" type="button" class="btn small">Sign out</button>
</header>
<p id="status" class="status" role="status" data-testid="status"></p>
<main class="grid">
  <section class="panel wide"><h2>Timeline</h2><div id="timeline"></div></section>
  <section class="panel"><h2>Selected booking</h2><div id="selected"></div><h2>Book on behalf of a user</h2><div id="book"></div></section>
  <section class="panel"><h2>Today (UTC), live</h2><div id="stats"></div></section>
  <section class="panel"><h2>Resources</h2><div id="resources"></div><div id="new-resource"></div></section>
  <section class="panel"><h2>Failed notifications</h2><div id="failed"></div></section>
</main>`;

export function startDashboard(opts: { root: HTMLElement; host: Host; server: string; token: string; staffName: string; onSignOut: (reason: string | null) => void }): () => void {
  const { root, host } = opts;
  root.innerHTML = LAYOUT;
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
  let stopped = false;

  const say = (text: string, kind: 'ok' | 'error' = 'ok') => {
    el.status.textContent = text;
    el.status.className = `status ${kind}`;
  };
  const act = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      const out = await run();
      if (what) say(what);
      return out;
    } catch (err) {
      say(err instanceof CommandError ? `${err.code}: ${err.message}` : `failed: ${String(err)}`, 'error');
      return undefined;
    }
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
        onCancel: (bookingId) => void act('Booking cancelled.', () => command(socket, 'booking:cancel', { bookingId })).then(refresh),
      }),
    );
  };
  const bookingForm = createBookingForm({
    onSearch: (query) => {
      state.userQuery = query;
      void loadUsers();
    },
    onSubmit: (values) => void act('Booked.', () => command(socket, 'booking:create', values)).then(refresh),
  });
  mount(el.book, bookingForm.el);
  mount(
    byId('new-resource', HTMLDivElement),
    createNewResourceForm(async (input) => {
      const ok = await act('Resource added.', () => command(socket, 'resource:create', input));
      await refresh();
      return ok !== undefined;
    }),
  );
  let resourcesKey = '';
  /** Editors change only when their inputs do, so a live update never wipes what staff type. */
  const renderEditors = () => {
    bookingForm.update({ date: state.date, users: state.users, resources: state.resources });
    const key = JSON.stringify(state.resources);
    if (key === resourcesKey) return;
    resourcesKey = key;
    mount(
      el.resources,
      renderResources(state.resources, {
        update: (input) => void act('Resource saved.', () => command(socket, 'resource:update', input)).then(refresh),
        remove: (id, name) => {
          if (window.confirm(`Delete ${name}?`)) void act('Resource deleted.', () => command(socket, 'resource:delete', { id })).then(refresh);
        },
      }),
    );
  };
  const renderLive = () => {
    mount(el.stats, renderStats(state.stats, new Date()));
    mount(
      el.failed,
      renderFailedJobs(state.stats?.failedJobs ?? [], (jobId) => void act('Notification sent again.', () => command(socket, 'notifications:retry', { jobId }))),
    );
  };

  let refreshing: Promise<void> | null = null;
  let again = false;
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
        try {
          const snap = await command(socket, 'dashboard:snapshot', { date });
          if (date !== state.date) continue;
          state.resources = snap.resources;
          state.bookings = snap.bookings;
          state.dayUtilization = snap.stats.utilization;
          if (date === today()) state.stats = snap.stats;
          renderDay();
          renderEditors();
          renderLive();
        } catch (err) {
          say(err instanceof CommandError ? `${err.code}: ${err.message}` : 'could not load the day', 'error');
        }
      } while (again && !stopped);
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }
  async function loadUsers(): Promise<void> {
    const res = await act('', () => command(socket, 'users:list', state.userQuery ? { query: state.userQuery } : {}));
    if (!res) return;
    state.users = res.users;
    renderEditors();
  }

  const dayOverlaps = (e: SlotChanged) => {
    const from = Date.parse(`${state.date}T00:00:00Z`);
    const to = from + 86_400_000;
    const touches = (s: string, en: string) => Date.parse(s) < to && Date.parse(en) > from;
    return touches(e.start, e.end) || (e.previous !== undefined && touches(e.previous.start, e.previous.end));
  };

  socket.on('connect', () => {
    el.conn.textContent = 'live';
    el.conn.className = 'conn live';
    void refresh();
    void loadUsers();
  });
  socket.on('disconnect', () => {
    el.conn.textContent = 'reconnecting…';
    el.conn.className = 'conn down';
  });
  socket.on('connect_error', (err) => {
    if (err.message === 'UNAUTHORIZED' || err.message === 'FORBIDDEN') {
      stop();
      opts.onSignOut(err.message === 'FORBIDDEN' ? 'This account is not staff.' : 'Please sign in again.');
      return;
    }
    el.conn.textContent = 'offline';
    el.conn.className = 'conn down';
  });
  socket.on('slot:changed', (e) => {
    if (dayOverlaps(e)) void refresh();
  });
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
    if (!/^\d{4}-\d{2}-\d{2}$/.test(el.day.value)) return;
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
