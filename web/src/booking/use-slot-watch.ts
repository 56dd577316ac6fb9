/**
 * What the page's socket hears of `slot:changed` (`slots:watch`): only the resources the page
 * shows. A new connection hears every resource until it watches, so the watch is sent again on
 * every (re)connect, and whenever the list changes.
 *
 * `hears(resourceId)` says whether that resource's changes surely reach this connection now. A
 * view reads a resource only then: a change committed after the read but before the watch took
 * effect would otherwise be missed until the next change showed the version gap. While a watch is
 * in flight the server may still be at the old one, so only what both hold counts; its ack
 * settles it. Until anything is watched on this connection every resource counts (the default).
 */
import { useEffect, useMemo, useState } from 'react';
import { MAX_WATCHED_RESOURCES } from '@booking/shared';
import type { BookingCommands } from '../connection/booking-client';

export interface SlotWatch {
  hears(resourceId: string): boolean;
}

/** A failed watch is sent again after this long (the reconnect sends it anyway). */
const RETRY_MS = 1000;

/** Resources surely heard, for one connection (`epoch`); `null`: every resource. */
interface Heard {
  epoch: number;
  ids: ReadonlySet<string> | null;
}

const both = (a: ReadonlySet<string> | null, b: readonly string[] | null): ReadonlySet<string> | null =>
  a === null ? (b === null ? null : new Set(b)) : b === null ? a : new Set(b.filter((id) => a.has(id)));

export function useSlotWatch(opts: {
  send: BookingCommands | null;
  /** See `Connection.epoch`: each new connection starts hearing every resource. */
  epoch: number;
  /** What the page shows; null (or more than the server takes) hears every resource. */
  resourceIds: readonly string[] | null;
}): SlotWatch {
  const { send, epoch } = opts;
  const [heard, setHeard] = useState<Heard>({ epoch: 0, ids: null });
  const [attempt, setAttempt] = useState(0);
  // One string per distinct set, so a re-read list of the same resources sends nothing.
  const key = opts.resourceIds === null ? null : [...new Set(opts.resourceIds)].sort().join('\n');
  const wanted = useMemo(() => {
    if (key === null) return null;
    const ids = key === '' ? [] : key.split('\n');
    return ids.length > MAX_WATCHED_RESOURCES ? null : ids;
  }, [key]);
  const current = heard.epoch === epoch ? heard.ids : null;

  useEffect(() => {
    if (!send || epoch === 0) return;
    // Nothing watched yet on this connection and nothing to narrow: the default is what we want.
    if (wanted === null && current === null) return;
    let live = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    setHeard((h) => ({ epoch, ids: both(h.epoch === epoch ? h.ids : null, wanted) }));
    void send('slots:watch', { resourceIds: wanted }).then((answer) => {
      if (!live) return;
      if (answer.ok) setHeard({ epoch, ids: wanted === null ? null : new Set(wanted) });
      else retry = setTimeout(() => setAttempt((n) => n + 1), RETRY_MS);
    });
    return () => {
      live = false;
      clearTimeout(retry);
    };
    // `current` is read only to skip a needless first send: a change of it alone sends nothing.
  }, [send, epoch, wanted, attempt]);

  return { hears: (resourceId) => current === null || current.has(resourceId) };
}
