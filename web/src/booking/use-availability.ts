/**
 * The live availability of the resource on screen, through the shared `createAvailabilitySync`:
 * read on every (re)connect and whenever the resource or the dates change, `slot:changed`
 * applied when it is the next version and re-read on a gap. A resource is read only once the
 * socket surely hears its changes (`heard`, from `useSlotWatch`), so none falls between the read
 * and the watch.
 *
 * A resource of several units also shows free units per slot, from the read's `occupancy`, which
 * one event does not patch (it says the booking, not the use of every stretch it touches). So a
 * change to such a resource that the sync applied (or held for a read already in flight, which
 * may have been answered before the change) has the window read again: at most one re-read in
 * flight, and one more after it when further changes came meanwhile, so a stream of changes never
 * keeps every answer from landing. Capacity 1 keeps the patching of `busy` alone.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { createAvailabilitySync } from '@booking/client';
import type { Availability, SlotChanged } from '@booking/shared';
import type { ClientError } from '@booking/client';
import type { BookingCommands } from '../connection/booking-client';

export interface AvailabilityView {
  /** The view of `resourceId`, or null while it is being read. */
  current: Availability | null;
  handleSlotChanged(event: SlotChanged): void;
  /** Re-reads the resource on screen (after `SLOT_TAKEN`, say). */
  refresh(): void;
}

export function useAvailability(opts: {
  send: BookingCommands | null;
  /** See `Connection.epoch`; 0 while not yet connected. */
  epoch: number;
  resourceId: string | null;
  /** The resource's units as the resource list says (a read's own `capacity` wins once there is one). */
  capacity: number;
  /** Whether `slot:changed` of `resourceId` surely reaches the socket now (see `useSlotWatch`). */
  heard: boolean;
  /** ISO instants, `from < to`. */
  from: string;
  to: string;
  onError: (error: ClientError) => void;
}): AvailabilityView {
  const { send, epoch, resourceId, heard, from, to, capacity } = opts;
  const [availability, setAvailability] = useState<Availability | null>(null);
  const shown = useRef(resourceId);
  shown.current = resourceId;
  const onError = useRef(opts.onError);
  onError.current = opts.onError;
  /** The re-read of a multi-unit resource after a change: whether one is in flight, and whether another is owed. */
  const reread = useRef({ running: false, again: false });

  const sync = useMemo(
    () =>
      send
        ? createAvailabilitySync({
            fetch: (w) => send('availability:get', w),
            onChange: (a) => {
              if (a.resourceId === shown.current) setAvailability(a);
            },
            onError: (e) => onError.current(e),
          })
        : null,
    [send],
  );

  useEffect(() => {
    if (!sync || !resourceId || epoch === 0 || !heard) return;
    setAvailability((a) => (a && a.resourceId === resourceId ? a : null));
    void sync.watch({ resourceId, from, to });
    return () => sync.unwatch(resourceId);
    // `epoch` is a dependency so every (re)connect reads the window again.
  }, [sync, resourceId, from, to, epoch, heard]);

  const rereadUnits = (id: string) => {
    const r = reread.current;
    if (!sync) return;
    if (r.running) {
      r.again = true;
      return;
    }
    r.running = true;
    void sync.refresh(id).finally(() => {
      r.running = false;
      const owed = r.again;
      r.again = false;
      if (owed && shown.current === id) rereadUnits(id);
    });
  };

  return {
    current: availability && availability.resourceId === resourceId ? availability : null,
    handleSlotChanged: (event) => {
      if (!sync) return;
      const outcome = sync.handleSlotChanged(event);
      if (event.resourceId !== resourceId || (outcome !== 'applied' && outcome !== 'buffered')) return;
      const units = sync.current(event.resourceId)?.capacity ?? capacity;
      if (units > 1 || capacity > 1) rereadUnits(event.resourceId);
    },
    refresh: () => {
      if (sync && resourceId) void sync.refresh(resourceId);
    },
  };
}
