/**
 * The booking page's state and behaviour (the page itself only lays it out): the socket and its
 * live handlers, the resources, the shown days, the selection, and the person's actions.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { localDate } from '@booking/shared';
import { describeError } from '@booking/client';
import type { MutableRefObject } from 'react';
import type { AuthResult, Booking, Resource } from '@booking/shared';
import type { ClientError } from '@booking/client';
import { DEFAULT_POLICY } from '@booking/shared';
import type { GridSelection } from './availability-grid';
import { bookingActions } from './booking-actions';
import { clampQuantity } from './capacity';
import { selectionRange } from './cell-state';
import type { CellContext } from './cell-state';
import { viewerZone } from './local-grid';
import type { ViewMode } from './local-grid';
import { useAvailability } from './use-availability';
import { useConnection } from './use-connection';
import { useGridWindow } from './use-grid-window';
import { useMyBookings } from './use-my-bookings';
import { useNow, useResources } from './use-resources';
import { useSlotWatch } from './use-slot-watch';
import { useBookWhenHeld, usePageHolds } from './use-page-holds';
import { useShownAvailability } from './shown-availability';
import { holdActions } from './hold-actions';
import type { BookingSocket } from '../connection/booking-client';
import { useToasts } from './use-toasts';
import { requestLabel } from './approvals';
import { useApprovals } from './use-approvals';
import { usePageApproval } from './use-page-approval';
import { mayOnResource } from './resource-access';
import { translate } from '../i18n';

const UTC = 'UTC';

/** A booking that occupies its units for the person: active, or held for them, or requested (v3). */
const holding = (b: Booking) => b.status === 'active' || b.status === 'held' || b.status === 'pending';

export interface PageSession {
  auth: AuthResult;
  onSignOut(why: string | null): void;
}

/** What the person has chosen on the page: the resource, the days shown, the selection, and what is being sent. */
function usePageChoices() {
  const [typeFilter, setTypeFilter] = useState('');
  const [resourceId, setResourceId] = useState<string | null>(null);
  const [mode, setMode] = useState<ViewMode>('day');
  /** The first day shown, `YYYY-MM-DD` in the resource's zone (null: its today). */
  const [anchorDay, setAnchorDay] = useState<string | null>(null);
  const [selection, setSelection] = useState<GridSelection | null>(null);
  const [selectedBookingId, setSelectedBookingId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  /** Units to book of a resource of several units (kept within its capacity where it is used). */
  const [quantity, setQuantity] = useState(1);
  /** The selection is being repeated as a series (not held: a series is booked directly). */
  const [repeating, setRepeating] = useState(false);
  /** (v3) The title typed for the selection (sent when not empty; cleared with the selection). */
  const [title, setTitle] = useState('');
  const clear = () => {
    setSelection(null);
    setSelectedBookingId(null);
    setTitle('');
  };
  const choose = (id: string | null) => {
    setResourceId(id);
    setAnchorDay(null);
    setQuantity(1);
    clear();
  };
  return {
    typeFilter,
    setTypeFilter,
    resourceId,
    setResourceId,
    mode,
    setMode,
    anchorDay,
    setAnchorDay,
    selection,
    setSelection,
    selectedBookingId,
    setSelectedBookingId,
    error,
    setError,
    pending,
    setPending,
    quantity,
    setQuantity,
    repeating,
    setRepeating,
    title,
    setTitle,
    clear,
    choose,
  };
}
type PageChoices = ReturnType<typeof usePageChoices>;

interface LiveDeps extends PageSession {
  choices: PageChoices;
  now: number;
  toast: ReturnType<typeof useToasts>['toast'];
  /** The latest check-in, for the reminder toast's button. */
  checkInRef: MutableRefObject<(bookingId: string) => void>;
  /** (v3) The page's latest handlers of an offer to confirm, and of the socket closing (a hold let go). */
  holdRef: MutableRefObject<{
    offered(bookingId: string): void;
    confirm(bookingId: string): void;
    closing(socket: BookingSocket): Promise<void> | undefined;
  }>;
  showError(e: ClientError): void;
}

/**
 * The socket and what it keeps live: the resources, the grid of the chosen one in its zone with
 * its availability, and the person's bookings; `slot:changed` goes to both of the latter.
 */
function useLiveData({ auth, onSignOut, choices, now, toast, checkInRef, holdRef, showError }: LiveDeps) {
  const { resourceId, mode, anchorDay, setSelection } = choices;
  const connection = useConnection(auth.token, {
    onSlotChanged: (event) => {
      live.handleSlotChanged(event);
      my.handleSlotChanged(event);
      approvals.handleSlotChanged(event);
    },
    onNotification: (n) => {
      // The notification says what the person can do about it (`action`); the sentence is only shown.
      const action =
        n.action === 'checkIn'
          ? { label: translate('notification.checkIn'), run: () => checkInRef.current(n.bookingId) }
          : n.action === 'confirm'
            ? { label: translate('notification.confirm'), run: () => holdRef.current.confirm(n.bookingId) }
            : n.action === 'decide'
              ? {
                  label: translate('notification.review'),
                  run: () => document.getElementById('approvals')?.scrollIntoView(),
                }
              : undefined;
      toast(n.message, action);
      // (v3) A request to decide lists it under Approvals; the owner's approved / declined / expired reloads theirs.
      approvals.handleNotification(n);
      my.reload();
      // Something to confirm (a waitlist offer): listed again and focused.
      if (n.action === 'confirm') holdRef.current.offered(n.bookingId);
    },
    onClosing: (socket) => holdRef.current.closing(socket),
    onResourceChanged: (changed) => {
      catalog.applyChanged(changed, mayOnResource(auth.user, changed, 'view'));
      if (changed.id === resourceId) {
        // The grid follows the new policy at once; busy and open time are read again.
        setSelection(null);
        live.refresh();
      }
    },
    onUnauthorized: (why) => onSignOut(why),
  });
  const { send, epoch } = connection;
  const catalog = useResources(send, epoch, showError);
  const { resources } = catalog;
  const resource = resources.find((r) => r.id === resourceId) ?? null;
  const zone = resource?.timeZone ?? UTC;
  const policy = resource?.policy ?? DEFAULT_POLICY;
  const anchor = anchorDay ?? localDate(new Date(now), zone);
  const { grid, from, to, open } = useGridWindow({ anchor, mode, zone, policy });

  const my = useMyBookings(send, epoch);
  const mine = my.bookings;
  const approvals = useApprovals(send, epoch, auth.user.role === 'staff', (r) => requestLabel(r, resources));
  // The socket hears slot:changed of the resource on screen and of the resources of the person's
  // active, held and requested bookings (my bookings reload on a change to one of them), and (v3) of the
  // requests the person may decide; every resource until one is shown.
  const requests = approvals.requests;
  const watched = useMemo(
    () =>
      resourceId === null
        ? null
        : [resourceId, ...mine.filter(holding).map((b) => b.resourceId), ...requests.map((r) => r.resourceId)],
    [resourceId, mine, requests],
  );
  const watch = useSlotWatch({ send, epoch, resourceIds: watched });
  const live = useAvailability({
    send,
    epoch,
    resourceId,
    heard: resourceId !== null && watch.hears(resourceId),
    from,
    to,
    onError: showError,
  });
  return { connection, send, resources, resource, zone, policy, anchor, grid, open, my, mine, live, approvals };
}

/** The resource types for the filter; the first resource shown is chosen while none is. */
function useFirstShown(resources: Resource[], c: ReturnType<typeof usePageChoices>): string[] {
  const { typeFilter, resourceId, setResourceId } = c;
  const types = useMemo(() => [...new Set(resources.map((r) => r.type))].sort(), [resources]);
  const firstShown = resources.find((r) => !typeFilter || r.type === typeFilter)?.id;
  useEffect(() => {
    if (!resourceId && firstShown) setResourceId(firstShown);
  }, [resourceId, firstShown, setResourceId]);
  return types;
}

/** Shows one booking: its resource, on its local day, selected. */
function showBooking(resources: Resource[], c: ReturnType<typeof usePageChoices>): (booking: Booking) => void {
  return (booking) => {
    const owner = resources.find((r) => r.id === booking.resourceId);
    c.setTypeFilter('');
    c.setResourceId(booking.resourceId);
    c.setAnchorDay(localDate(new Date(booking.start), owner?.timeZone ?? UTC));
    c.setSelection(null);
    c.setSelectedBookingId(booking.id);
  };
}

export function useBookingPage({ auth, onSignOut }: PageSession) {
  const choices = usePageChoices();
  const { selection, setSelection } = choices;
  const { selectedBookingId, setSelectedBookingId, setError, setPending, clear } = choices;
  const { toasts, toast, dismiss } = useToasts();
  // The reminder toast's button calls the latest check-in (the notification listener is set once).
  const checkInRef = useRef<(bookingId: string) => void>(() => undefined);
  const holdRef = useRef<LiveDeps['holdRef']['current']>({
    offered: () => undefined,
    confirm: () => undefined,
    closing: () => undefined,
  });
  const now = useNow(30_000);
  const showError = useCallback((e: ClientError) => setError(describeError(e)), [setError]);
  const data = useLiveData({ auth, onSignOut, choices, now, toast, checkInRef, holdRef, showError });
  const { connection, send, resources, resource, zone, policy, grid, open, my, mine, live } = data;
  const viewer = viewerZone();

  const types = useFirstShown(resources, choices);

  const myIds = useMemo(() => new Set(mine.filter(holding).map((b) => b.id)), [mine]);
  // Units as the availability read says (its occupancy goes with it), else as the resource list says.
  const capacity = live.current?.capacity ?? resource?.capacity ?? 1;
  const quantity = clampQuantity(choices.quantity, capacity);
  const range = selection ? selectionRange(grid.days[selection.col], grid.rows, selection) : null;
  const show = showBooking(resources, choices);
  const holds = usePageHolds({
    send,
    epoch: connection.epoch,
    resource,
    range,
    quantity,
    moving: selectedBookingId !== null && mine.some((b) => b.id === selectedBookingId && b.status === 'active'),
    repeating: choices.repeating,
    mine,
    resources,
    mineLoaded: my.loaded,
    reloadMine: my.reload,
    refreshGrid: live.refresh,
    show,
  });
  // The person's own hold on the selection is, to them, the selection: not a taken time.
  const availability = useShownAvailability(live.current, holds.hold.held?.id ?? null, holds.hold.pending);
  const approval = usePageApproval({
    auth,
    send,
    resource,
    resources,
    range,
    quantity,
    hold: holds.hold,
    clear,
    setError,
    setPending,
    toast,
    reloadMine: my.reload,
    refreshGrid: live.refresh,
    onSignOut: (why) => onSignOut(why),
  });
  const context: CellContext = {
    busy: availability?.busy ?? [],
    open,
    myBookingIds: myIds,
    now,
    // (v3) A selection may outgrow the longest booking where approval may be asked for it.
    policy: approval.mayExceed ? { ...policy, maxMinutes: Math.max(policy.maxMinutes, 1440) } : policy,
    zone,
    capacity,
    occupancy: availability?.occupancy ?? [],
    quantity,
  };
  const selectedBooking = mine.find((b) => b.id === selectedBookingId && b.status === 'active') ?? null;

  const actions = bookingActions({
    send,
    resource,
    resources,
    zone,
    policy,
    range,
    quantity,
    title: choices.title,
    selectedBooking,
    selectedBookingId,
    clear,
    toast,
    setError,
    setPending,
    clearRange: () => setSelection(null),
    selectBooking: setSelectedBookingId,
    reloadMine: my.reload,
    refreshGrid: live.refresh,
    onSignOut: (why) => onSignOut(why),
    hold: holds.hold.held,
    onConfirmed: holds.hold.settled,
    approver: approval.approver,
    offerApproval: approval.offerApproval,
  });
  checkInRef.current = actions.checkIn;
  const holdActs = holdActions({
    send,
    resource,
    resources,
    zone,
    setError,
    setPending,
    toast,
    reloadMine: my.reload,
    refreshGrid: live.refresh,
    onSignOut: (why) => onSignOut(why),
    onConfirmed: holds.hold.settled,
    reloadWaitlist: holds.waitlist.reload,
    onJoined: () => {
      if (holds.waitTarget) holds.joined(holds.waitTarget);
    },
  });
  holdRef.current = {
    offered: holds.offered,
    confirm: (bookingId) => holdActs.confirm({ id: bookingId }),
    closing: (socket) =>
      holds.hold.releaseNow(
        (bookingId) => new Promise((resolve) => socket.emit('booking:cancel', { bookingId }, () => resolve())),
      ),
  };
  const book = useBookWhenHeld(holds.hold.state, holds.waitTarget !== null, actions.book, setPending);
  const sendable = !choices.pending && connection.state === 'connected';

  return {
    ...choices,
    ...data,
    toasts,
    dismiss,
    toast,
    types,
    viewer,
    context,
    availability,
    now,
    capacity,
    quantity,
    selectedBooking,
    range,
    sendable,
    actions: { ...actions, book },
    show,
    holds,
    holdActs,
    approval,
  };
}
