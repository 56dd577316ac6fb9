/**
 * (v3) `display:state` for the displays connected to this node. Each node computes the state of
 * the resources its own display sockets show and sends it to them alone: on connect, when the
 * resource or one of its bookings changes (whichever process or node made the change: MongoDB
 * change streams on `bookings` and `resources`, opened only while this node has a display), and
 * at the next instant the state changes by time alone (a timer per resource, from the injected
 * clock). A booking change fences its resource (its document changes) and a check-in writes the
 * booking, so the two streams see every change; bursts of them are coalesced per resource.
 */
import type { mongo } from 'mongoose';
import type { Clock } from '../infra/clock';
import type { Logger } from '../infra/logger';
import { BY_RESOURCE, holdingAt, meeting } from '../booking/booking.model';
import type { BookingDoc, BookingModel } from '../booking/booking.model';
import type { ResourceModel } from '../resources/resource.model';
import type { ResourceStore } from '../resources/resource.store';
import type { DisplayNamespace } from '../transport/namespaces';
import { computeDisplayState, dayEndOf } from './display.state';
import type { DisplayRow } from './display.state';

/** The room of a resource's displays on `/display`. */
export const displayResourceRoom = (resourceId: string): string => `display-resource:${resourceId}`;

/** Changes within this window are answered with one computation. */
const COALESCE_MS = 50;
/** Every state is recomputed at least this often (a missed change stream event heals). */
const RESYNC_MS = 30_000;
/** The longest timer armed for a time-driven change (it is armed again when it fires). */
const MAX_TIMER_MS = 3_600_000;
/** Bookings read per computation (the rest of the day). */
const ROWS_LIMIT = 50;

export interface DisplayLive {
  /** A display socket of this node shows `resourceId`: its first state is sent to the room after this resolves. */
  watch(resourceId: string): Promise<void>;
  unwatch(resourceId: string): void;
  /** Recompute and send (coalesced). */
  refresh(resourceId: string): void;
  /** Compute and send now (answers once sent). */
  sendNow(resourceId: string): Promise<void>;
  stop(): void;
}

type Stream = mongo.ChangeStream;

export function createDisplayLive(deps: {
  nsp: DisplayNamespace;
  bookingModel: BookingModel;
  resourceModel: ResourceModel;
  resources: Pick<ResourceStore, 'get'>;
  clock: Clock;
  logger: Logger;
  /** A displayed resource was deleted. */
  onResourceGone: (resourceId: string) => Promise<void>;
}): DisplayLive {
  const { clock } = deps;
  const log = deps.logger.child({ part: 'display-live' });
  const watchers = new Map<string, number>();
  const timers = new Map<string, NodeJS.Timeout>();
  const pending = new Map<string, NodeJS.Timeout>();
  /** Booking ids shown by a display of this node → their resource (an update event names only the booking). */
  const shownBookings = new Map<string, string>();
  let streams: Stream[] = [];
  let opening: Promise<void> | null = null;
  let stopped = false;

  const arm = (resourceId: string, at: Date | null): void => {
    clearTimeout(timers.get(resourceId));
    timers.delete(resourceId);
    if (!watchers.has(resourceId) || stopped) return;
    // A little after the instant, so the recomputation is on its far side.
    const delay = at ? Math.min(MAX_TIMER_MS, Math.max(0, at.getTime() - clock.now().getTime() + 5)) : MAX_TIMER_MS;
    const timer = setTimeout(() => {
      timers.delete(resourceId);
      void sendNow(resourceId);
    }, delay);
    timer.unref();
    timers.set(resourceId, timer);
  };

  async function sendNow(resourceId: string): Promise<void> {
    if (!watchers.has(resourceId) || stopped) return;
    try {
      const resource = await deps.resources.get(resourceId);
      if (!resource) {
        await deps.onResourceGone(resourceId);
        return;
      }
      const now = clock.now();
      const rows = await readRows(deps.bookingModel, resourceId, now, dayEndOf(now, resource.timeZone));
      for (const r of rows) shownBookings.set(r.id, resourceId);
      const { state, nextChangeAt } = computeDisplayState(resource, rows, now);
      deps.nsp.local.to(displayResourceRoom(resourceId)).emit('display:state', state);
      arm(resourceId, nextChangeAt);
    } catch (err) {
      log.warn({ err, resourceId }, 'display state failed; the next change or resync retries');
      arm(resourceId, new Date(clock.now().getTime() + 5000));
    }
  }

  const refresh = (resourceId: string): void => {
    if (!watchers.has(resourceId) || pending.has(resourceId)) return;
    const timer = setTimeout(() => {
      pending.delete(resourceId);
      void sendNow(resourceId);
    }, COALESCE_MS);
    timer.unref();
    pending.set(resourceId, timer);
  };
  const refreshAll = (): void => {
    for (const id of watchers.keys()) refresh(id);
  };

  const closeStreams = (): void => {
    for (const s of streams) void s.close().catch(() => undefined);
    streams = [];
    opening = null;
  };

  /** Both streams, resolved once their cursors are open (so no change after it is missed). */
  const openStreams = (): Promise<void> => {
    if (opening) return opening;
    streams = openChangeStreams(deps, {
      booking: (resourceId) => refresh(resourceId),
      bookingId: (id) => {
        const resourceId = shownBookings.get(id);
        if (resourceId) refresh(resourceId);
      },
      resource: (id, deleted) => {
        if (!watchers.has(id)) return;
        if (deleted)
          void deps.onResourceGone(id).catch((err: unknown) => log.warn({ err }, 'revoking displays failed'));
        else refresh(id);
      },
      unknown: () => refreshAll(),
    });
    const broken = (err: unknown): void => {
      log.warn({ err }, 'display change stream failed; reopening');
      closeStreams();
      setTimeout(() => {
        if (!stopped && watchers.size > 0) void openStreams().then(refreshAll);
      }, 1000).unref();
    };
    for (const s of streams) s.on('error', broken);
    opening = Promise.all(streams.map(ready)).then(() => undefined);
    return opening;
  };

  const resync = setInterval(refreshAll, RESYNC_MS);
  resync.unref();

  return {
    async watch(resourceId) {
      watchers.set(resourceId, (watchers.get(resourceId) ?? 0) + 1);
      await openStreams();
    },
    unwatch(resourceId) {
      const left = (watchers.get(resourceId) ?? 1) - 1;
      if (left > 0) return void watchers.set(resourceId, left);
      watchers.delete(resourceId);
      clearTimeout(timers.get(resourceId));
      timers.delete(resourceId);
      for (const [booking, resource] of shownBookings) if (resource === resourceId) shownBookings.delete(booking);
      if (watchers.size === 0) closeStreams();
    },
    refresh,
    sendNow,
    stop() {
      stopped = true;
      clearInterval(resync);
      for (const t of [...timers.values(), ...pending.values()]) clearTimeout(t);
      closeStreams();
    },
  };
}

/** What the change streams tell: a booking of a resource changed, a booking (by id) changed, a resource changed or went. */
interface ChangeHandlers {
  booking(resourceId: string): void;
  bookingId(id: string): void;
  resource(id: string, deleted: boolean): void;
  unknown(): void;
}

/** The two change streams (`bookings`, `resources`); their errors are the caller's to handle. */
function openChangeStreams(
  models: { bookingModel: BookingModel; resourceModel: ResourceModel },
  on: ChangeHandlers,
): Stream[] {
  const bookingStream = models.bookingModel.collection.watch([
    { $match: { operationType: { $in: ['insert', 'update', 'replace', 'delete'] } } },
  ]);
  const resourceStream = models.resourceModel.collection.watch();
  bookingStream.on('change', (ev) => {
    if (ev.operationType === 'insert' || ev.operationType === 'replace') {
      const doc = ev.fullDocument as Partial<BookingDoc>;
      if (doc.resourceId) on.booking(doc.resourceId.toHexString());
    } else if (ev.operationType === 'update' || ev.operationType === 'delete') {
      on.bookingId(String((ev.documentKey as { _id: unknown })._id));
    }
  });
  resourceStream.on('change', (ev) => {
    if (!('documentKey' in ev)) return on.unknown();
    on.resource(String((ev.documentKey as { _id: unknown })._id), ev.operationType === 'delete');
  });
  return [bookingStream, resourceStream];
}

/** Resolves at the stream's first answer from the server (its cursor is open), or after a second whatever happens. */
function ready(s: Stream): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1000);
    s.once('init', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The bookings that occupy a resource between now and `to`, earliest first. */
async function readRows(bookingModel: BookingModel, resourceId: string, now: Date, to: Date): Promise<DisplayRow[]> {
  const docs = await bookingModel
    .find(
      { resourceId, ...holdingAt(now), ...meeting(now, to) },
      { start: 1, end: 1, status: 1, checkedInAt: 1, expiresAt: 1, title: 1 },
    )
    .sort({ start: 1 })
    .hint(BY_RESOURCE)
    .limit(ROWS_LIMIT)
    .lean<BookingDoc[]>();
  return docs.map((d) => ({
    id: d._id.toHexString(),
    start: d.start,
    end: d.end,
    status: d.status === 'held' || d.status === 'pending' ? d.status : 'active',
    ...(d.checkedInAt ? { checkedInAt: d.checkedInAt } : {}),
    ...(d.expiresAt ? { expiresAt: d.expiresAt } : {}),
    ...(d.title ? { title: d.title } : {}),
  }));
}
