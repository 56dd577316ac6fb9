/**
 * The live availability of the resource on screen, through the shared `createAvailabilitySync`:
 * read on every (re)connect and whenever the resource or the dates change, `slot:changed`
 * applied when it is the next version and re-read on a gap. A resource is read only once the
 * socket surely hears its changes (`heard`, from `useSlotWatch`), so none falls between the read
 * and the watch. For a resource of several units the sync patches the `occupancy` the grid counts
 * free units from as it patches `busy` (and reads again where it cannot follow a change).
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
  /** Whether `slot:changed` of `resourceId` surely reaches the socket now (see `useSlotWatch`). */
  heard: boolean;
  /** ISO instants, `from < to`. */
  from: string;
  to: string;
  onError: (error: ClientError) => void;
}): AvailabilityView {
  const { send, epoch, resourceId, heard, from, to } = opts;
  const [availability, setAvailability] = useState<Availability | null>(null);
  const shown = useRef(resourceId);
  shown.current = resourceId;
  const onError = useRef(opts.onError);
  onError.current = opts.onError;

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

  return {
    current: availability && availability.resourceId === resourceId ? availability : null,
    handleSlotChanged: (event) => {
      sync?.handleSlotChanged(event);
    },
    refresh: () => {
      if (sync && resourceId) void sync.refresh(resourceId);
    },
  };
}
