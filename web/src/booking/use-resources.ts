/**
 * The resources the person may book: read on every (re)connect, and changed in place by each
 * `resource:changed` (a new resource is added, a changed one replaced, (v3) one the person may no
 * longer view dropped). A change of the person's groups closes their sockets; what reconnects reads the list again.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Resource } from '@booking/shared';
import type { ClientError } from '@booking/client';
import type { BookingCommands } from '../connection/booking-client';

export interface ResourceList {
  resources: Resource[];
  /** Applies one `resource:changed`; (v3) `visible` false (the person may no longer view it) drops it. */
  applyChanged(changed: Resource, visible?: boolean): void;
}

export function useResources(
  send: BookingCommands | null,
  epoch: number,
  onError: (e: ClientError) => void,
): ResourceList {
  const [resources, setResources] = useState<Resource[]>([]);

  useEffect(() => {
    if (!send || epoch === 0) return;
    void send('resources:list', {}).then((answer) => {
      if (answer.ok) setResources(answer.data.resources);
      else onError(answer.error);
    });
  }, [send, epoch, onError]);

  const applyChanged = useCallback((changed: Resource, visible = true) => {
    setResources((rs) =>
      !visible
        ? rs.filter((r) => r.id !== changed.id)
        : rs.some((r) => r.id === changed.id)
          ? rs.map((r) => (r.id === changed.id ? changed : r))
          : [...rs, changed],
    );
  }, []);
  return { resources, applyChanged };
}

/** The current time, advanced every `everyMs` (the grid's past cells and check-in countdowns follow it). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
