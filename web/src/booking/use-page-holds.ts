/**
 * The booking page's part of holds and the waitlist (protocol v3): the hold on the selection
 * (`use-hold.ts`; none while a booking is selected to move, or while the selection is being
 * repeated: a series is booked directly with `booking:createSeries`, not held), the time the person
 * may wait for (a taken cell they chose, or a hold refused with `SLOT_TAKEN`), their waitlist
 * entries, and the offer to focus: the one a `#offer=<bookingId>` link opened the page on (the
 * offer email's link), or the one a notification with `action: "confirm"` just brought.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeApprovable } from '@booking/client';
import type { Booking, Resource } from '@booking/shared';
import type { BookingCommands } from '../connection/booking-client';
import type { WaitTarget } from './hold-actions';
import { formatRange } from './local-grid';
import { describeAccessError } from './resource-access';
import { useHold } from './use-hold';
import type { HoldState, HoldTarget } from './use-hold';
import { useWaitlist } from './use-waitlist';
import { translate } from '../i18n';

/** The booking id of an offer link (`#offer=<id>`), or null. */
function offerInLink(): string | null {
  return /^#offer=([A-Za-z0-9_-]{1,64})$/.exec(window.location.hash)?.[1] ?? null;
}

export interface PageHoldsInput {
  send: BookingCommands | null;
  epoch: number;
  resource: Resource | null;
  range: { start: number; end: number } | null;
  quantity: number;
  /** A booking of the person's is selected (a free time moves it: nothing is held). */
  moving: boolean;
  /** The selection is being repeated as a series (booked directly, not held). */
  repeating: boolean;
  mine: Booking[];
  resources: Resource[];
  /** Whether the person's bookings have been read once. */
  mineLoaded: boolean;
  reloadMine(): void;
  refreshGrid(): void;
  show(booking: Booking): void;
}

export function usePageHolds(i: PageHoldsInput) {
  const { resource, range } = i;
  const target: HoldTarget | null =
    resource && range && !i.moving && !i.repeating
      ? {
          resourceId: resource.id,
          start: range.start,
          end: range.end,
          quantity: i.quantity,
          sendQuantity: resource.capacity > 1,
        }
      : null;
  const hold = useHold(i.send, target);
  const waitlist = useWaitlist(i.send, i.epoch);
  /** A taken time the person chose (they may wait for it). */
  const [waitFor, setWaitFor] = useState<WaitTarget | null>(null);
  /** The last time joined from here (its offer to join is not shown again). */
  const [joinedKey, setJoinedKey] = useState<string | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [offerNote, setOfferNote] = useState<string | null>(null);
  const linked = useRef(offerInLink());
  const onFocused = useCallback(() => setFocusId(null), []);

  const { reloadMine, refreshGrid } = i;
  // The held booking is one of the person's now (listed under My bookings with its countdown);
  // a refusal that shows the grid to be stale reads it again.
  const holdKind = hold.state.kind;
  const heldId = hold.state.kind === 'held' ? hold.state.booking.id : null;
  useEffect(() => {
    if (holdKind === 'held' || holdKind === 'expired') reloadMine();
  }, [holdKind, heldId, reloadMine]);
  // (Once per failure: the grid's refresh is a new function on every render.)
  const refresh = useRef(refreshGrid);
  refresh.current = refreshGrid;
  const holdState = hold.state;
  useEffect(() => {
    const code = holdState.kind === 'failed' ? holdState.error.code : null;
    if (code === 'SLOT_TAKEN' || code === 'INVALID_STATE') refresh.current();
  }, [holdState]);

  // The offer link: once the person's bookings are read, the offer is focused, or why it is not.
  const { mine, mineLoaded, show, resources } = i;
  useEffect(() => {
    const id = linked.current;
    if (!id || !mineLoaded || resources.length === 0) return;
    linked.current = null;
    const offer = mine.find((b) => b.id === id);
    if (offer && offer.status === 'held' && Date.parse(offer.expiresAt ?? '') > Date.now()) {
      const zone = resources.find((r) => r.id === offer.resourceId)?.timeZone ?? 'UTC';
      setOfferNote(translate('offer.held', { range: formatRange(offer.start, offer.end, zone) }));
      setFocusId(offer.id);
      show(offer);
    } else if (offer && offer.status === 'active') setOfferNote(translate('offer.booked'));
    else setOfferNote(translate('offer.gone'));
  }, [mine, mineLoaded, show, resources]);

  const targetKey = (t: WaitTarget) => `${t.resourceId}|${t.start}|${t.end}|${t.quantity}`;
  /** What "Join the waitlist" would join: a taken time chosen, or the selection a hold was refused for. */
  const waitTarget: WaitTarget | null =
    waitFor ??
    (hold.state.kind === 'failed' && hold.state.error.code === 'SLOT_TAKEN' && target
      ? { resourceId: target.resourceId, start: target.start, end: target.end, quantity: target.quantity }
      : null);
  const canJoin = waitTarget !== null && joinedKey !== targetKey(waitTarget);
  const holdFailure =
    hold.state.kind === 'failed'
      ? (describeAccessError(hold.state.error) ?? describeApprovable(hold.state.error, { resource }))
      : null;

  return {
    hold,
    waitlist,
    waitTarget: canJoin ? waitTarget : null,
    holdFailure,
    setWaitFor,
    joined: (t: WaitTarget) => {
      setJoinedKey(targetKey(t));
      setWaitFor(null);
    },
    offer: { focusId, note: offerNote, onFocused },
    /** A notification offers something to confirm: list it again and focus it. */
    offered: (bookingId: string) => {
      reloadMine();
      waitlist.reload();
      setFocusId(bookingId);
    },
  };
}

/**
 * Book pressed while the selection's hold is still being taken: it books once the hold is in (it
 * confirms it), or, when the hold failed other than by the time being taken, books directly.
 * Nothing happens if the selection went away meanwhile.
 */
export function useBookWhenHeld(
  state: HoldState,
  canWait: boolean,
  book: () => void,
  setPending: (on: boolean) => void,
): () => void {
  const [waiting, setWaiting] = useState(false);
  const latest = useRef(book);
  latest.current = book;
  const kind = state.kind;
  useEffect(() => {
    if (!waiting || kind === 'holding') return;
    setWaiting(false);
    setPending(false);
    if (kind === 'held' || (kind === 'failed' && !canWait)) latest.current();
  }, [waiting, kind, canWait, setPending]);
  return () => {
    if (kind !== 'holding') return book();
    setPending(true);
    setWaiting(true);
  };
}
