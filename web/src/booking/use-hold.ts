/**
 * The hold on what the person has selected (protocol v3 "Holds"): selecting a free time holds it
 * (`booking:hold`) so nobody takes it while they decide, and Book confirms that hold. Changing the
 * selection cancels the last hold before holding the new one; clearing it, switching the resource
 * or leaving the page (unmount, `pagehide`) cancels it too. A hold that runs out is said to have
 * run out (the server frees it at `expiresAt`, whatever its timer does) and can be held again.
 *
 * The commands run one after another on one chain, so a cancel never overtakes the hold it undoes;
 * a hold answered after the selection moved on is cancelled at once. A short pause lets a drag
 * over several cells settle before anything is held.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Booking } from '@booking/shared';
import type { ClientError } from '@booking/client';
import type { BookingCommands } from '../connection/booking-client';
import { useSecondTick } from './countdown';
import { randomKey } from './random-key';

/** What to hold: an interval of a resource and the units wanted. */
export interface HoldTarget {
  resourceId: string;
  start: number;
  end: number;
  quantity: number;
  /** Send `quantity` (a resource of several units); a unit resource sends none, as before. */
  sendQuantity: boolean;
}

export type HoldState =
  | { kind: 'none' }
  | { kind: 'holding'; key: string }
  | { kind: 'held'; key: string; booking: Booking }
  | { kind: 'expired'; key: string; booking: Booking }
  | { kind: 'failed'; key: string; error: ClientError };

export interface Hold {
  state: HoldState;
  /** The held booking while it is held and has not run out (null otherwise). */
  held: Booking | null;
  /** No hold or cancel is queued or under way (what the server holds for us is settled). */
  quiet: boolean;
  /**
   * The interval being held while its `booking:hold` is on its way (null otherwise): its `held`
   * broadcast can reach the page before the answer that names the hold, and until then the page
   * must not draw its own hold as someone else's (a Shift-click extending over it was refused).
   */
  pending: HoldTarget | null;
  /** Holds the current target again (after it ran out, or after a failure). */
  holdAgain(): void;
  /** The hold became a booking (confirmed): it is no longer ours to cancel. */
  settled(bookingId: string): void;
  /** Cancels the hold now, on this socket (the page is going away); answers when the cancel is answered. */
  releaseNow(emitCancel: (bookingId: string) => Promise<void>): Promise<void> | undefined;
}

/** Lets a drag or Shift+arrows over several cells settle before a hold is sent. */
const SETTLE_MS = 300;

const keyOf = (t: HoldTarget | null): string | null =>
  t === null ? null : `${t.resourceId}|${t.start}|${t.end}|${t.quantity}`;

export function useHold(send: BookingCommands | null, target: HoldTarget | null): Hold {
  const [state, setState] = useState<HoldState>({ kind: 'none' });
  const now = useSecondTick(state.kind === 'held');
  const [attempt, setAttempt] = useState(0);
  /** The hold the server holds for us now (to cancel), if any. */
  const current = useRef<Booking | null>(null);
  /** What should be held: the key of the latest target (null: nothing). */
  const wanted = useRef<string | null>(null);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const key = keyOf(target);
  const targetRef = useRef(target);
  targetRef.current = target;

  /** Commands queued or under way on the chain (0: the server holds what `current` says). */
  const [steps, setSteps] = useState(0);
  const enqueue = useCallback((step: () => Promise<void>) => {
    setSteps((n) => n + 1);
    const run = () => step().finally(() => setSteps((n) => n - 1));
    chain.current = chain.current.then(run, run);
  }, []);

  const release = useCallback(async () => {
    const hold = current.current;
    current.current = null;
    if (hold && send && Date.parse(hold.expiresAt ?? '') > Date.now())
      await send('booking:cancel', { bookingId: hold.id });
  }, [send]);

  useEffect(() => {
    wanted.current = key;
    const t = targetRef.current;
    if (key === null || t === null || !send) {
      setState({ kind: 'none' });
      enqueue(release);
      return;
    }
    setState({ kind: 'holding', key });
    const timer = window.setTimeout(() => {
      enqueue(async () => {
        if (wanted.current !== key) return;
        await release();
        if (wanted.current !== key) return;
        const answer = await send('booking:hold', {
          resourceId: t.resourceId,
          start: new Date(t.start).toISOString(),
          end: new Date(t.end).toISOString(),
          ...(t.sendQuantity ? { quantity: t.quantity } : {}),
          idempotencyKey: randomKey(),
        });
        if (!answer.ok) {
          if (wanted.current === key) setState({ kind: 'failed', key, error: answer.error });
          return;
        }
        const booking = answer.data.booking;
        current.current = booking;
        // The selection moved on while this was under way: let it go at once.
        if (wanted.current !== key) await release();
        else setState({ kind: 'held', key, booking });
      });
    }, SETTLE_MS);
    return () => window.clearTimeout(timer);
  }, [key, send, attempt, enqueue, release]);

  // Leaving the page (closing the tab, reloading) lets the hold go rather than keep it to its end.
  useEffect(() => {
    const onHide = () => {
      const hold = current.current;
      current.current = null;
      if (hold && send) void send('booking:cancel', { bookingId: hold.id });
    };
    window.addEventListener('pagehide', onHide);
    return () => window.removeEventListener('pagehide', onHide);
  }, [send]);

  // Ran out: the server counts it free from `expiresAt` on; so does the page.
  const expiresAt = state.kind === 'held' ? Date.parse(state.booking.expiresAt ?? '') : NaN;
  useEffect(() => {
    if (state.kind !== 'held' || !(now >= expiresAt)) return;
    if (current.current?.id === state.booking.id) current.current = null;
    setState({ kind: 'expired', key: state.key, booking: state.booking });
  }, [state, now, expiresAt]);

  // Between a new selection's render and the effect above, `state` still speaks of the previous
  // target: answer for the current one, so Book never confirms the hold of a selection that moved
  // on (a fresh-clone run booked 09:00-10:00 after the selection grew to 11:00).
  const stale = state.kind !== 'none' && state.key !== key;
  const shown: HoldState = !stale ? state : key === null ? { kind: 'none' } : { kind: 'holding', key };
  return {
    state: shown,
    held: shown.kind === 'held' && !(now >= expiresAt) ? shown.booking : null,
    quiet: steps === 0,
    pending: shown.kind === 'holding' ? target : null,
    holdAgain: () => setAttempt((n) => n + 1),
    settled: (bookingId) => {
      if (current.current?.id === bookingId) current.current = null;
      setState((s) => (s.kind === 'held' && s.booking.id === bookingId ? { kind: 'none' } : s));
    },
    releaseNow: (emitCancel) => {
      const hold = current.current;
      current.current = null;
      wanted.current = null;
      return hold ? emitCancel(hold.id) : undefined;
    },
  };
}
