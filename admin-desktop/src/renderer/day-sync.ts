/**
 * The dashboard's day, kept in step with the server. It is read whole (`dashboard:snapshot`) on
 * connect and reconnect, when the day changes, and when another staff member adds or removes a
 * resource. Between reads, each `slot:changed` moves it forward in place (`day-bookings.ts`),
 * checked by the shared per-resource version tracker: a stale event is ignored, and a version gap
 * (a dropped broadcast) re-reads the day. The snapshot carries no versions, so the first event per
 * resource after a read sets that resource's baseline. Events that arrive during a read are held
 * back and applied on top of its answer. A `held` event (v3) carries neither the hold's `expiresAt`
 * nor whether it is a waitlist offer: the day is read again (once per such booking; reads that
 * overlap coalesce) to learn them. The waitlist's queue lengths come with every snapshot and `stats`.
 */
import { createSlotVersionTracker } from '@booking/client';
import type { AdminBooking, Resource, SlotChanged, Stats } from '@booking/shared';
import type { ClientError } from '@booking/client';
import type { AdminCommands } from './admin.client';
import { applyToDay, eventTouchesDay, renameUser, snapshotDates, viewRange } from './day-bookings';
import { lacksHoldDetails } from './holds';
import type { ViewRange } from './day-bookings';

/** What the day sync reads and writes of the dashboard's state. */
export interface DayState {
  date: string;
  resources: Resource[];
  bookings: AdminBooking[];
  dayUtilization: Record<string, number>;
  stats: Stats | null;
  /** Waiting waitlist entries by resource id, now (not a figure of the day shown). */
  waitlist: Record<string, number>;
}

export interface DaySyncDeps {
  state: DayState;
  send: AdminCommands;
  sayError(error: ClientError): void;
  /** The timeline changed. */
  renderDay(): void;
  /** A read finished: everything is drawn again. */
  renderAll(): void;
  stopped(): boolean;
}

export interface DaySync {
  /** Re-reads the day; calls during a read coalesce into one more read after it. */
  refresh(): Promise<void>;
  onSlotChanged(e: SlotChanged): void;
  /** Owner names by user id, from snapshots and user lists, for bookings that arrive live. */
  learnNames(people: Array<{ id: string; name: string }>): void;
  /** The instants the timeline shows: the date as a local day of every resource's zone. */
  view(): ViewRange;
}

export const today = (): string => new Date().toISOString().slice(0, 10);
/** Shown for an owner whose name is still being looked up. */
const NAME_PENDING = '…';

export function createDaySync(d: DaySyncDeps): DaySync {
  const { state, send } = d;
  const versions = createSlotVersionTracker();
  const names = new Map<string, string>();
  const view = (): ViewRange => viewRange(state.date, state.resources);
  const learnNames = (people: Array<{ id: string; name: string }>) => {
    for (const p of people) names.set(p.id, p.name);
  };

  let refreshing: Promise<void> | null = null;
  let again = false;
  /** Events that arrive while the day is being read, applied on top of the answer. */
  let heldBack: SlotChanged[] | null = null;

  /** Reads `date` (and the UTC days around it that other zones reach into); false when the day changed meanwhile. */
  async function readDay(date: string): Promise<boolean> {
    heldBack = [];
    const snap = await send('dashboard:snapshot', { date });
    // The snapshot lists one UTC day; resources in other zones reach into the days around it.
    const extra = snap.ok ? snapshotDates(viewRange(date, snap.data.resources)).filter((x) => x !== date) : [];
    const more = await Promise.all(extra.map((x) => send('dashboard:snapshot', { date: x })));
    const held = heldBack;
    heldBack = null;
    if (date !== state.date) return false;
    const failed = more.find((m) => !m.ok);
    if (failed && !failed.ok) d.sayError(failed.error);
    if (snap.ok) {
      state.resources = snap.data.resources;
      const range = viewRange(date, snap.data.resources);
      const seen = new Set<string>();
      state.bookings = [snap, ...more]
        .flatMap((m) => (m.ok ? m.data.bookings : []))
        .filter(
          (b) => !seen.has(b.id) && seen.add(b.id) && Date.parse(b.start) < range.to && Date.parse(b.end) > range.from,
        )
        .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
      state.dayUtilization = snap.data.stats.utilization;
      if (date === today()) state.stats = snap.data.stats;
      state.waitlist = snap.data.stats.waitlist ?? {};
      learnNames(snap.data.bookings.map((b) => ({ id: b.userId, name: b.userName })));
      // The snapshot carries no versions: the next event of each resource sets its baseline.
      versions.forget();
    } else {
      d.sayError(snap.error);
    }
    for (const e of held.sort((a, b) => a.version - b.version)) onSlotChanged(e);
    d.renderAll();
    return true;
  }

  async function refresh(): Promise<void> {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      do {
        again = false;
        await readDay(state.date);
      } while (again && !d.stopped());
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  /** Held bookings a re-read was asked for, to learn their expiry (asked once each). */
  const detailsAsked = new Set<string>();

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
      d.renderDay();
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
    state.bookings = applyToDay({
      view: view(),
      bookings: state.bookings,
      event: e,
      userName: userName ?? NAME_PENDING,
    });
    if (userName === undefined && state.bookings.some((b) => b.userId === userId && b.userName === NAME_PENDING))
      lookUpName(userId);
    const booking = state.bookings.find((b) => b.id === e.bookingId);
    if (booking && lacksHoldDetails(booking) && !detailsAsked.has(booking.id)) {
      detailsAsked.add(booking.id);
      void refresh();
    }
    d.renderDay();
  }

  return { refresh, onSlotChanged, learnNames, view };
}
