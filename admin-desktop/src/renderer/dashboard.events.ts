/**
 * What the dashboard listens to: its socket (connection state, `slot:changed`, the `stats` push),
 * the day picker and the sign-out button. Connecting and reconnecting read the day again, since
 * broadcasts may have been missed while away; an `UNAUTHORIZED` or `FORBIDDEN` refusal ends the
 * dashboard, unless this dashboard revoked its own token (the account panel decides then).
 */
import type { AdminSocket } from './admin.client';
import type { DashboardState } from './dashboard.state';
import type { DaySync } from './day-sync';
import { today } from './day-sync';
import { byId } from './dom.util';
import type { Host } from './host.bridge';
import { t } from './i18n';

export interface DashboardEventDeps {
  socket: AdminSocket;
  host: Host;
  state: DashboardState;
  el: { conn: HTMLSpanElement; day: HTMLInputElement };
  day: DaySync;
  loadUsers(): Promise<void>;
  renderDay(): void;
  renderLive(): void;
  /** (v3) The approvals queue may have changed: read it again. */
  refreshApprovals(): void;
  stop(): void;
  /** True while "sign out everywhere" or a password change revokes this dashboard's own token. */
  revokeExpected(): boolean;
  onSignOut(reason: string | null): void;
}

export function wireDashboardEvents(d: DashboardEventDeps): void {
  const { socket, state, el } = d;
  const showConnection = (text: string, live: boolean) => {
    el.conn.textContent = text;
    el.conn.className = live ? 'conn live' : 'conn down';
  };
  socket.on('connect', () => {
    showConnection(t('layout.live'), true);
    // First connect or reconnect: broadcasts may have been missed while away.
    void d.day.refresh();
    void d.loadUsers();
    d.refreshApprovals();
  });
  socket.on('disconnect', () => showConnection(t('layout.reconnecting'), false));
  socket.on('connect_error', (err) => {
    if (err.message === 'UNAUTHORIZED' && d.revokeExpected()) {
      // Our own sign-out everywhere or password change: the account panel decides what follows.
      d.stop();
      return;
    }
    if (err.message === 'UNAUTHORIZED' || err.message === 'FORBIDDEN') {
      d.stop();
      d.onSignOut(err.message === 'FORBIDDEN' ? t('signIn.notStaff') : t('signIn.again'));
      return;
    }
    showConnection(t('layout.offline'), false);
  });
  socket.on('slot:changed', (e) => {
    d.day.onSlotChanged(e);
    // A request made, decided or run out, or a confirmed hold that became a request.
    if (e.status === 'pending' || e.status === 'declined' || e.status === 'expired' || e.change === 'confirmed')
      d.refreshApprovals();
  });
  /** The last `stats.pendingApprovals` pushed: a change reads the approvals queue again. */
  let pendingSeen: number | undefined;
  socket.on('stats', (stats) => {
    const failed = stats.queue.failed;
    if (state.failedSeen !== null && failed > state.failedSeen) {
      void d.host.notify({
        title: t('notify.failedTitle'),
        body: t('notify.failedBody', { count: failed }),
      });
    }
    state.failedSeen = failed;
    if (stats.pendingApprovals !== pendingSeen) d.refreshApprovals();
    pendingSeen = stats.pendingApprovals;
    state.stats = stats;
    // Who waits now, whatever the day shown.
    state.waitlist = stats.waitlist ?? {};
    if (state.date === today()) {
      state.dayUtilization = stats.utilization;
      // A resource another staff member added or removed shows up here first.
      const known = new Set(state.resources.map((r) => r.id));
      const live = Object.keys(stats.utilization);
      if (live.length !== known.size || live.some((id) => !known.has(id))) void d.day.refresh();
    }
    d.renderDay();
    d.renderLive();
  });

  el.day.addEventListener('change', () => {
    // A change event that names the day already shown (a browser can fire one on input and one on
    // commit) reads nothing again: a second read would only repeat the first.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(el.day.value) || el.day.value === state.date) return;
    state.date = el.day.value;
    state.selectedId = null;
    void d.day.refresh();
  });
  byId('sign-out', HTMLButtonElement).addEventListener('click', () => {
    d.stop();
    void d.host.setToken(null).then(() => d.onSignOut(null));
  });
}
