/**
 * The dashboard's drawn parts that follow its state: the status line, the day (timeline and the
 * selected booking with its cancel buttons) and the live part (stats and failed notifications).
 * Each is drawn whole from `DashboardState`; staff actions go through the shared `act`.
 */
import { describeError } from '@booking/client';
import type { Act, ClientError } from '@booking/client';
import type { AdminCommands } from './admin.client';
import { renderSelected } from './booking-panel.view';
import type { mountLayout } from './dashboard.layout';
import type { DashboardState } from './dashboard.state';
import { mount } from './dom.util';
import { renderFailedJobs } from './failed-jobs.view';
import { renderStats } from './stats.view';
import { renderTimeline } from './timeline.view';
import { t } from './i18n';

export type DashboardLayout = ReturnType<typeof mountLayout>;

export interface DashboardView {
  state: DashboardState;
  el: DashboardLayout;
  send: AdminCommands;
  act: Act;
}

/** The status line: `say` a sentence, `sayError` the shared sentence with the code for staff who report a problem. */
export function statusLine(status: HTMLElement) {
  const say = (text: string, kind: 'ok' | 'error' = 'ok') => {
    status.textContent = text;
    status.className = `status ${kind}`;
  };
  const sayError = (error: ClientError) => say(`${describeError(error)} (${error.code})`, 'error');
  return { say, sayError };
}

/** Draws the timeline and the selected booking; choosing a booking on the timeline draws them again. */
export function dayRenderer({ state, el, send, act }: DashboardView): () => void {
  const renderDay = () => {
    const selected = state.bookings.find((b) => b.id === state.selectedId) ?? null;
    mount(
      el.timeline,
      renderTimeline({
        date: state.date,
        resources: state.resources,
        bookings: state.bookings,
        utilization: state.dayUtilization,
        waitlist: state.waitlist,
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
        onCancel: (bookingId) => void act(() => send('booking:cancel', { bookingId }), t('status.bookingCancelled')),
        // One `released` event per cancelled occurrence updates the timeline.
        onCancelSeries: (seriesId, from) =>
          void act(() => send('booking:cancelSeries', { seriesId, from }), t('status.seriesCancelled')),
      }),
    );
  };
  return renderDay;
}

/** Draws the live stats and the failed notifications (each with its retry). */
export function liveRenderer({ state, el, send, act }: DashboardView): () => void {
  return () => {
    mount(el.stats, renderStats(state.stats, new Date(), new Map(state.resources.map((r) => [r.id, r.name]))));
    mount(
      el.failed,
      renderFailedJobs(
        state.stats?.failedJobs ?? [],
        (jobId) => void act(() => send('notifications:retry', { jobId }), t('status.notificationRetried')),
      ),
    );
  };
}
