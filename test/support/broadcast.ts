/** Listening for `slot:changed`, and the cross-node probe: a booking on node A heard on node B. */
import type { SlotChanged } from '@booking/shared';
import { send } from './harness';
import type { ClientSocket } from './harness';
import { waitFor } from './wait';

type SlotListener = (e: SlotChanged) => void;

/** A socket of either namespace: both hear `slot:changed`. */
export interface SlotHearer {
  on(event: 'slot:changed', listener: SlotListener): unknown;
  off(event: 'slot:changed', listener: SlotListener): unknown;
}

/**
 * The first `slot:changed` `socket` hears from now on that `match` accepts; rejects when none
 * arrives within `timeoutMs`. Listen before the change is made, await after.
 */
export function nextSlotChange(
  socket: SlotHearer,
  match: (e: SlotChanged) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<SlotChanged> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('slot:changed', listener);
      reject(new Error(`no matching slot:changed within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener: SlotListener = (e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      socket.off('slot:changed', listener);
      resolve(e);
    };
    socket.on('slot:changed', listener);
  });
}

/**
 * Books through `from` until `to` (a client on another node) hears that booking as
 * `slot:changed` within a second of its ack, for up to `timeoutMs`: broadcasts cross nodes again
 * (after a restart, after Redis returned). `slotAt()` gives a fresh interval each attempt.
 */
export async function untilBroadcastCrosses(opts: {
  what: string;
  from: ClientSocket;
  to: ClientSocket;
  resourceId: string;
  slotAt: () => { start: string; end: string };
  timeoutMs?: number;
}): Promise<void> {
  await waitFor(
    opts.what,
    async () => {
      const heard: string[] = [];
      const listener: SlotListener = (e) => heard.push(e.bookingId);
      opts.to.on('slot:changed', listener);
      try {
        const ack = await send(opts.from, 'booking:create', { resourceId: opts.resourceId, ...opts.slotAt() });
        if (!ack.ok) return false;
        const id = ack.data.booking.id;
        return await waitFor('the broadcast', () => heard.includes(id), 1000).catch(() => false);
      } finally {
        opts.to.off('slot:changed', listener);
      }
    },
    opts.timeoutMs ?? 20_000,
    100,
  );
}
