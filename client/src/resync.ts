/**
 * Keeps the booking page's view of one or more resources' availability in step with the server,
 * with no DOM or framework dependency (`web/src/booking/use-availability.ts` drives it; the staff
 * dashboard keeps a day of bookings rather than availability and applies the same version rule
 * through `createSlotVersionTracker` in `slot-versions.ts`).
 *
 * Every `slot:changed` carries the resource's `version`, which grows by one with each committed
 * change. The view applies an event locally when it is exactly the next version; on a gap (a
 * broadcast lost in a Redis blip), on reconnect, or on demand it re-reads `availability:get`.
 * `BUSY` is retried by the `fetch` it is given (`sendCommand` in `command.ts` does), not here.
 */
import type { Availability, BusyInterval, SlotChanged } from '@booking/shared';
import type { ClientError, CommandResult } from './command';
import { shiftOccupancy } from './occupancy';
import type { OccupancyShift } from './occupancy';
import { versionStep } from './slot-versions';

/** The window a view watches for one resource (ISO instants, `from < to`). */
export interface AvailabilityWindow {
  resourceId: string;
  from: string;
  to: string;
}

export interface AvailabilitySyncOptions {
  /** Reads availability (typically `send('availability:get', window)`, which retries `BUSY`). */
  fetch: (window: AvailabilityWindow) => Promise<CommandResult<Availability>>;
  /** Called with the new view whenever it changes. */
  onChange: (availability: Availability) => void;
  /** Called when a re-read fails. */
  onError?: (error: ClientError, window: AvailabilityWindow) => void;
}

/** What `handleSlotChanged` did with an event. */
export type SlotChangedOutcome = 'applied' | 'ignored' | 'buffered' | 'resync';

export interface AvailabilitySync {
  /** Starts (or moves) the view of a resource to a window and reads it. */
  watch(window: AvailabilityWindow): Promise<void>;
  unwatch(resourceId: string): void;
  /** Feed every `slot:changed` here. */
  handleSlotChanged(event: SlotChanged): SlotChangedOutcome;
  /** Call after the socket reconnects: every watched resource is read again. */
  resyncAll(): Promise<void>;
  /** Re-reads one resource now (after `SLOT_TAKEN`, say). */
  refresh(resourceId: string): Promise<void>;
  current(resourceId: string): Availability | undefined;
}

interface Entry {
  window: AvailabilityWindow;
  view: Availability | undefined;
  /** Events that arrived while a read was in flight, replayed on top of its answer. */
  pending: SlotChanged[] | undefined;
  /** Bumped per read so that an older read's late answer is dropped. */
  generation: number;
}

function overlapsWindow(interval: { start: string; end: string }, window: { from: string; to: string }): boolean {
  return Date.parse(interval.start) < Date.parse(window.to) && Date.parse(window.from) < Date.parse(interval.end);
}

/** `[start, end + buffer)`: where a booking's units are occupied. */
function occupied(interval: { start: string; end: string }, bufferMs: number): { start: string; end: string } {
  return { start: interval.start, end: new Date(Date.parse(interval.end) + bufferMs).toISOString() };
}

/**
 * The view after one event, which must be the next version; null when the view cannot follow it
 * without a re-read (it does not know the units a moved booking held before: the booking lay
 * outside the window but its buffer reached in).
 */
export function applySlotChanged(view: Availability, event: SlotChanged): Availability | null {
  const before = view.busy.find((b) => b.bookingId === event.bookingId);
  const busy: BusyInterval[] = view.busy.filter((b) => b.bookingId !== event.bookingId);
  const holds = event.change !== 'released';
  if (holds && overlapsWindow(event, view)) {
    busy.push({
      bookingId: event.bookingId,
      start: event.start,
      end: event.end,
      quantity: event.quantity,
      status: event.status,
      ...(event.expiresAt ? { expiresAt: event.expiresAt } : {}),
    });
    busy.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  }
  const bufferMs = view.bufferMinutes * 60_000;
  const gone = before ?? (event.change === 'released' ? event : event.previous);
  const shifts: OccupancyShift[] = [];
  if (gone && overlapsWindow(occupied(gone, bufferMs), view)) {
    // A booking outside the window whose buffer reaches in: its earlier units are unknown when it moved.
    if (!before && event.change === 'moved') return null;
    shifts.push({ ...occupied(gone, bufferMs), delta: -(before?.quantity ?? event.quantity) });
  }
  if (holds) shifts.push({ ...occupied(event, bufferMs), delta: event.quantity });
  const occupancy = shiftOccupancy(view.occupancy, view, shifts);
  if (!occupancy) return null;
  return { ...view, busy, occupancy, version: event.version };
}

export function createAvailabilitySync(opts: AvailabilitySyncOptions): AvailabilitySync {
  const entries = new Map<string, Entry>();

  const read = async (resourceId: string, depth = 0): Promise<void> => {
    const entry = entries.get(resourceId);
    if (!entry) return;
    entry.generation += 1;
    const generation = entry.generation;
    entry.pending = [];
    const window = entry.window;
    const answer = await opts.fetch(window);
    // A newer read, or an unwatch, overtook this one.
    if (entries.get(resourceId) !== entry || entry.generation !== generation) return;
    const pending = entry.pending ?? [];
    entry.pending = undefined;
    if (!answer.ok) {
      opts.onError?.(answer.error, window);
      return;
    }
    let view = answer.data;
    for (const event of pending.sort((a, b) => a.version - b.version)) {
      const step = versionStep(view.version, event.version);
      if (step === 'ignore') continue;
      if (step === 'gap') {
        // Still a gap after the read: read again (a bounded number of times) rather than keep a
        // view with a hole in it; the next event past the gap triggers another read anyway.
        entry.view = view;
        opts.onChange(view);
        if (depth < 3) return read(resourceId, depth + 1);
        return;
      }
      const next = applySlotChanged(view, event);
      if (!next) {
        entry.view = view;
        opts.onChange(view);
        if (depth < 3) return read(resourceId, depth + 1);
        return;
      }
      view = next;
    }
    entry.view = view;
    opts.onChange(view);
  };

  return {
    watch(window) {
      const existing = entries.get(window.resourceId);
      if (existing) {
        existing.window = window;
      } else {
        entries.set(window.resourceId, { window, view: undefined, pending: undefined, generation: 0 });
      }
      return read(window.resourceId);
    },
    unwatch(resourceId) {
      entries.delete(resourceId);
    },
    handleSlotChanged(event) {
      const entry = entries.get(event.resourceId);
      if (!entry) return 'ignored';
      if (entry.pending) {
        entry.pending.push(event);
        return 'buffered';
      }
      const view = entry.view;
      if (!view) return 'ignored';
      const step = versionStep(view.version, event.version);
      if (step === 'ignore') return 'ignored';
      if (step === 'gap') {
        void read(event.resourceId);
        return 'resync';
      }
      const next = applySlotChanged(view, event);
      if (!next) {
        void read(event.resourceId);
        return 'resync';
      }
      entry.view = next;
      opts.onChange(next);
      return 'applied';
    },
    async resyncAll() {
      await Promise.all([...entries.keys()].map((id) => read(id)));
    },
    refresh(resourceId) {
      return read(resourceId);
    },
    current(resourceId) {
      return entries.get(resourceId)?.view;
    },
  };
}
