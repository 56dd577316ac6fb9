/**
 * The signed-in page: resources (with a type filter), the live grid of the chosen resource in
 * its own time zone, the selection panel (book / move / cancel), "find a free room", "my
 * bookings", toasts and the connection banner. The socket and its only listeners live in
 * `useConnection`, which hands each `slot:changed` to `useAvailability` (the shared version-aware
 * sync: applied when it is the next version, re-read on a gap, on reconnect and after
 * `SLOT_TAKEN`) and to `useMyBookings`, and each `resource:changed` to the resource list: the
 * grid is rebuilt from the new zone and policy at once and its availability read again. The
 * socket watches (`slots:watch`, `useSlotWatch`) only the resources whose changes those two use.
 *
 * The grid's open time comes from the shared `openStretches` on the resource's policy, and a
 * selection is checked with the shared `policyViolation` before it is sent: the same functions
 * the server decides with.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { describeCheckInError, describeError, localDate, localDayRange, openStretches, policyRuleSentence, policyViolation } from '@booking/shared';
import type { AuthResult, Booking, ClientError, CommandResult, PolicyRule, Resource } from '@booking/shared';
import { DEFAULT_POLICY, durationText, gridText } from '@booking/shared';
import { Toasts } from '../ui/toasts';
import type { Toast } from '../ui/toasts';
import { AvailabilityGrid } from './availability-grid';
import type { GridSelection, Unavailable } from './availability-grid';
import { selectionRange } from './cell-state';
import type { CellContext } from './cell-state';
import { FindFree } from './find-free';
import { addDays, buildGrid, formatRange, isDate, viewerZone, zoneLabel } from './local-grid';
import type { GridCell, ViewMode } from './local-grid';
import { AccountPanel } from '../auth/account-panel';
import { VerifyNotice } from '../auth/verify-notice';
import { CalendarSubscribe } from '../calendar/calendar-subscribe';
import { MyBookings } from './my-bookings';
import { randomKey } from './random-key';
import { RepeatPanel } from './repeat-panel';
import { TypeOptions } from './type-options';
import { useAvailability } from './use-availability';
import { useConnection } from './use-connection';
import { useMyBookings } from './use-my-bookings';
import { useSlotWatch } from './use-slot-watch';

interface Props {
  auth: AuthResult;
  /** A sentence from the app (password changed, email confirmed), shown under the header. */
  notice?: string | null;
  onSignOut(why: string | null): void;
  /** After a password change the page signs in again; the app swaps in the new session. */
  onSignedInAgain(auth: AuthResult, notice: string): void;
}

const UTC = 'UTC';

export function BookingPage({ auth, notice = null, onSignOut, onSignedInAgain }: Props) {
  const [resources, setResources] = useState<Resource[]>([]);
  const [typeFilter, setTypeFilter] = useState('');
  const [resourceId, setResourceId] = useState<string | null>(null);
  const [mode, setMode] = useState<ViewMode>('day');
  /** The first day shown, `YYYY-MM-DD` in the resource's zone (null: its today). */
  const [anchorDay, setAnchorDay] = useState<string | null>(null);
  const [selection, setSelection] = useState<GridSelection | null>(null);
  const [selectedBookingId, setSelectedBookingId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [toasts, setToasts] = useState<Toast[]>([]);
  // The reminder toast's button calls the latest check-in (the notification listener is set once).
  const checkInRef = useRef<(bookingId: string) => void>(() => undefined);
  const [now, setNow] = useState(() => Date.now());

  const resource = resources.find((r) => r.id === resourceId) ?? null;
  const zone = resource?.timeZone ?? UTC;
  const policy = resource?.policy ?? DEFAULT_POLICY;
  const viewer = viewerZone();
  const today = localDate(new Date(now), zone);
  const anchor = anchorDay ?? today;

  const toast = useCallback((text: string, action?: Toast['action']) => {
    setToasts((ts) => [...ts.slice(-3), { id: randomKey(), text, ...(action ? { action } : {}) }]);
  }, []);
  const dismiss = useCallback((id: string) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const showError = useCallback((e: ClientError) => setError(describeError(e)), []);

  const grid = useMemo(() => buildGrid({ anchor, mode, zone, slotMinutes: policy.slotMinutes }), [anchor, mode, zone, policy.slotMinutes]);
  const firstDay = grid.days[0];
  const lastDay = grid.days[grid.days.length - 1];
  const from = new Date(firstDay?.from ?? localDayRange(anchor, zone).from.getTime()).toISOString();
  const to = new Date(lastDay?.to ?? localDayRange(anchor, zone).to.getTime()).toISOString();
  const open = useMemo(
    () => openStretches(policy, zone, new Date(from), new Date(to)).map((o) => ({ start: o.start.getTime(), end: o.end.getTime() })),
    [policy, zone, from, to],
  );

  const connection = useConnection(auth.token, {
    onSlotChanged: (event) => {
      live.handleSlotChanged(event);
      my.handleSlotChanged(event);
    },
    onNotification: (n) => {
      // A reminder of a booking on a room with check-in offers the check-in right there.
      const strict = n.type === 'booking.reminder' && n.message.includes('Check in');
      toast(n.message, strict ? { label: 'Check in', run: () => checkInRef.current(n.bookingId) } : undefined);
      my.reload();
    },
    onResourceChanged: (changed) => {
      setResources((rs) => (rs.some((r) => r.id === changed.id) ? rs.map((r) => (r.id === changed.id ? changed : r)) : [...rs, changed]));
      if (changed.id === resourceId) {
        // The grid follows the new policy at once; busy and open time are read again.
        setSelection(null);
        live.refresh();
      }
    },
    onUnauthorized: (why) => onSignOut(why),
  });
  const { send, epoch } = connection;
  const my = useMyBookings(send, epoch);
  const mine = my.bookings;
  // The socket hears slot:changed of the resource on screen and of the resources of the person's
  // active bookings (my bookings reload on a change to one of them); every resource until one is shown.
  const watched = useMemo(
    () => (resourceId === null ? null : [resourceId, ...mine.filter((b) => b.status === 'active').map((b) => b.resourceId)]),
    [resourceId, mine],
  );
  const watch = useSlotWatch({ send, epoch, resourceIds: watched });
  const live = useAvailability({ send, epoch, resourceId, heard: resourceId !== null && watch.hears(resourceId), from, to, onError: showError });
  const availability = live.current;

  useEffect(() => {
    if (!send || epoch === 0) return;
    void send('resources:list', {}).then((answer) => {
      if (answer.ok) setResources(answer.data.resources);
      else showError(answer.error);
    });
  }, [send, epoch, showError]);

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(timer);
  }, []);

  const types = useMemo(() => [...new Set(resources.map((r) => r.type))].sort(), [resources]);
  const shown = resources.filter((r) => !typeFilter || r.type === typeFilter);

  useEffect(() => {
    if (!resourceId && shown[0]) setResourceId(shown[0].id);
  }, [resourceId, shown]);

  const myIds = useMemo(() => new Set(mine.filter((b) => b.status === 'active').map((b) => b.id)), [mine]);
  const context: CellContext = { busy: availability?.busy ?? [], open, myBookingIds: myIds, now, policy, zone };
  const selectedBooking = mine.find((b) => b.id === selectedBookingId && b.status === 'active') ?? null;
  const range = selection ? selectionRange(grid.days[selection.col], grid.rows, selection) : null;

  const clear = () => {
    setSelection(null);
    setSelectedBookingId(null);
  };
  const choose = (id: string | null) => {
    setResourceId(id);
    setAnchorDay(null);
    clear();
  };

  /** Runs a command; on failure says why, and refreshes what the failure shows to be stale. */
  const run = async <T,>(what: () => Promise<CommandResult<T>>, onOk: (data: T) => void) => {
    setError(null);
    setPending(true);
    const answer = await what();
    setPending(false);
    if (answer.ok) {
      onOk(answer.data);
      my.reload();
      return;
    }
    const e = answer.error;
    if (e.code === 'UNAUTHORIZED') {
      onSignOut(describeError(e));
      return;
    }
    setError(describeError(e, { resource }));
    if (e.code === 'SLOT_TAKEN' || e.code === 'NOT_FOUND' || e.code === 'INVALID_STATE' || e.code === 'POLICY_VIOLATION') {
      live.refresh();
      my.reload();
    }
  };

  /** The shared rules, before sending: the same sentence the server's answer would bring. */
  const checkRules = (start: number, end: number): boolean => {
    const rule: PolicyRule | null = policyViolation({ policy, timeZone: zone, start: new Date(start), end: new Date(end), now: new Date(), staff: false });
    if (rule) setError(policyRuleSentence(rule, resource));
    return rule === null;
  };

  const book = () => {
    if (!send || !resource || !range || !checkRules(range.start, range.end)) return;
    const start = new Date(range.start).toISOString();
    const end = new Date(range.end).toISOString();
    void run(
      () => send('booking:create', { resourceId: resource.id, start, end, idempotencyKey: randomKey() }),
      ({ booking }) => {
        clear();
        setSelectedBookingId(booking.id);
        toast(`Booked ${resource.name}, ${formatRange(booking.start, booking.end, zone)}.`);
      },
    );
  };

  const move = () => {
    if (!send || !selectedBooking || !range || !checkRules(range.start, range.end)) return;
    void run(
      () => send('booking:modify', { bookingId: selectedBooking.id, start: new Date(range.start).toISOString(), end: new Date(range.end).toISOString() }),
      ({ booking }) => {
        setSelection(null);
        toast(`Moved to ${formatRange(booking.start, booking.end, zone)}.`);
      },
    );
  };

  const cancel = (booking: Booking) => {
    if (!send) return;
    void run(
      () => send('booking:cancel', { bookingId: booking.id }),
      () => {
        if (selectedBookingId === booking.id) clear();
        toast(`Cancelled ${formatRange(booking.start, booking.end, resources.find((r) => r.id === booking.resourceId)?.timeZone ?? zone)}.`);
      },
    );
  };

  /** "I am here": keeps a booking on a room with check-in from being released. */
  const checkIn = (bookingId: string) => {
    if (!send) return;
    setError(null);
    setPending(true);
    void send('booking:checkIn', { bookingId }).then((answer) => {
      setPending(false);
      my.reload();
      if (answer.ok) toast('Checked in. The booking is yours until it ends.');
      else if (answer.error.code === 'UNAUTHORIZED') onSignOut(describeError(answer.error));
      else setError(describeCheckInError(answer.error));
    });
  };
  checkInRef.current = checkIn;

  /** Cancels this occurrence and every later one of its series. */
  const cancelSeries = (booking: Booking) => {
    if (!send || !booking.seriesId) return;
    const seriesId = booking.seriesId;
    void run(
      () => send('booking:cancelSeries', { seriesId, from: booking.start }),
      ({ bookings }) => {
        if (bookings.some((b) => b.id === selectedBookingId)) clear();
        toast(`Cancelled ${bookings.length} occurrence${bookings.length === 1 ? '' : 's'}.`);
      },
    );
  };

  const show = (booking: Booking) => {
    const owner = resources.find((r) => r.id === booking.resourceId);
    setTypeFilter('');
    setResourceId(booking.resourceId);
    setAnchorDay(localDate(new Date(booking.start), owner?.timeZone ?? UTC));
    setSelection(null);
    setSelectedBookingId(booking.id);
  };

  /** Why an unavailable cell cannot be chosen, in the resource's own terms. */
  const explain = (state: Unavailable, cell: GridCell) => {
    if (state === 'taken') return 'That time is already booked by someone else. Pick a free time.';
    if (state === 'past') return 'That time has already passed. Pick a later time.';
    if (state === 'closed') {
      const day = grid.days.find((d) => d.from <= cell.start && cell.start < d.to)?.date ?? '';
      return policyRuleSentence(policy.closures.some((c) => c.date === day) ? 'closure' : 'openingHours', resource);
    }
    return policyRuleSentence(cell.start < now + policy.minNoticeMinutes * 60_000 ? 'notice' : 'advance', resource);
  };

  const step = mode === 'day' ? 1 : 7;
  const stale = availability === null;
  const yours = (start: number, end: number) => (zone === viewer ? '' : ` (${formatRange(start, end, viewer)} your time)`);
  const limits = `Bookings last ${durationText(policy.minMinutes)} to ${durationText(policy.maxMinutes)} and start and end ${gridText(policy.slotMinutes)}.`;

  return (
    <div className="page">
      <header className="top">
        <h1>Bookings</h1>
        <span className="who">
          Signed in as <strong>{auth.user.name}</strong>
        </span>
        <button type="button" onClick={() => onSignOut(null)}>
          Sign out
        </button>
      </header>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {auth.user.emailVerified === false && <VerifyNotice token={auth.token} email={auth.user.email} />}
      {connection.state === 'disconnected' && (
        <div role="alert" className="banner">
          Connection lost. Reconnecting… The grid will catch up by itself once the connection is back.
        </div>
      )}
      <Toasts toasts={toasts} onDismiss={dismiss} />
      <div className="layout">
        <nav aria-labelledby="resources-heading" className="panel resources">
          <h2 id="resources-heading">Resources</h2>
          <label>
            Type
            <select
              value={typeFilter}
              onChange={(e) => {
                const type = e.target.value;
                setTypeFilter(type);
                // Keep the grid on a resource the filtered list still shows.
                if (type && resource?.type !== type) choose(resources.find((r) => r.type === type)?.id ?? null);
              }}
            >
              <TypeOptions types={types} anyLabel="All types" />
            </select>
          </label>
          {shown.length === 0 ? (
            <p className="muted">{resources.length === 0 ? 'No resources yet.' : 'No resources of that type.'}</p>
          ) : (
            <ul aria-label="Resources">
              {shown.map((r) => (
                <li key={r.id}>
                  <button
                    type="button"
                    aria-pressed={r.id === resourceId}
                    onClick={() => choose(r.id)}
                  >
                    <span className="name">{r.name}</span> <span className="muted">({r.type})</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <main className="panel main">
          <h2>{resource ? resource.name : 'Choose a resource'}</h2>
          {resource?.description && <p className="muted">{resource.description}</p>}
          <div className="toolbar" role="group" aria-label="Choose dates">
            <button type="button" aria-label={mode === 'day' ? 'Previous day' : 'Previous week'} onClick={() => setAnchorDay(addDays(anchor, -step))}>
              ‹
            </button>
            <label>
              Date
              <input
                type="date"
                value={anchor}
                onChange={(e) => {
                  if (isDate(e.target.value)) setAnchorDay(e.target.value);
                }}
              />
            </label>
            <button type="button" aria-label={mode === 'day' ? 'Next day' : 'Next week'} onClick={() => setAnchorDay(addDays(anchor, step))}>
              ›
            </button>
            <button type="button" onClick={() => setAnchorDay(null)}>
              Today
            </button>
            <span role="group" aria-label="View" className="tabs">
              <button type="button" aria-pressed={mode === 'day'} onClick={() => setMode('day')}>
                Day
              </button>
              <button type="button" aria-pressed={mode === 'week'} onClick={() => setMode('week')}>
                Week
              </button>
            </span>
          </div>
          {resource && (
            <p className="zone-note" data-testid="zone-note">
              Times are in <strong>{zoneLabel(zone)}</strong>, the resource’s time zone
              {zone === viewer ? '.' : <>; yours is <strong>{zoneLabel(viewer)}</strong>.</>}
            </p>
          )}
          <p className="muted small">
            {limits} Pick a free time: click or drag, or use the arrow keys and Enter (Shift extends). Hatched time is closed.
          </p>
          {resource && (
            <AvailabilityGrid
              key={`${resource.id}:${mode}:${zone}:${grid.cellMinutes}`}
              resourceName={resource.name}
              grid={grid}
              context={context}
              loading={stale}
              selection={selection}
              selectedBookingId={selectedBookingId}
              onSelectRange={(s) => {
                setError(null);
                setSelection(s);
              }}
              onSelectBooking={(id) => {
                setError(null);
                setSelection(null);
                setSelectedBookingId(id);
              }}
              onClear={clear}
              onUnavailable={(state, cell) => setError(explain(state, cell))}
            />
          )}
          <section className="actions" aria-label="Selection">
            {error && (
              <p role="alert" className="error">
                {error}
              </p>
            )}
            <p aria-live="polite" className="summary">
              {selectedBooking
                ? `Your booking: ${formatRange(selectedBooking.start, selectedBooking.end, zone)}${range ? `. Move it to ${formatRange(range.start, range.end, zone)}${yours(range.start, range.end)}?` : '. Pick a free time to move it, or cancel it.'}`
                : range
                  ? `Selected: ${formatRange(range.start, range.end, zone)}${yours(range.start, range.end)}`
                  : 'Nothing selected.'}
            </p>
            <div className="row-actions">
              {!selectedBooking && range && (
                <button type="button" className="primary" disabled={pending || connection.state !== 'connected'} onClick={book}>
                  Book {formatRange(range.start, range.end, zone)}
                </button>
              )}
              {selectedBooking && range && (
                <button type="button" className="primary" disabled={pending || connection.state !== 'connected'} onClick={move}>
                  Move booking here
                </button>
              )}
              {selectedBooking && (
                <button type="button" className="danger" disabled={pending || connection.state !== 'connected'} onClick={() => cancel(selectedBooking)}>
                  Cancel booking
                </button>
              )}
              {(selectedBooking || range) && (
                <button type="button" onClick={clear}>
                  Clear selection
                </button>
              )}
            </div>
            {!selectedBooking && range && resource && (
              <RepeatPanel
                key={`${resource.id}:${range.start}:${range.end}`}
                send={send}
                resource={resource}
                range={range}
                disabled={pending || connection.state !== 'connected'}
                onError={setError}
                onBooked={(result) => {
                  clear();
                  my.reload();
                  const skipped = result.skipped.length > 0 ? `, ${result.skipped.length} skipped` : '';
                  toast(`Booked ${result.bookings.length} occurrences of ${resource.name}${skipped}.`);
                }}
              />
            )}
          </section>
        </main>
        <div className="side">
          <FindFree
            send={send}
            resources={resources}
            types={types}
            disabled={connection.state !== 'connected'}
            onBooked={(booking, found) => {
              toast(`Booked ${found?.name ?? 'it'}, ${formatRange(booking.start, booking.end, found?.timeZone ?? viewer)}.`);
              my.reload();
              show(booking);
            }}
          />
          <MyBookings
            bookings={mine}
            resources={resources}
            now={now}
            pending={pending}
            onShow={show}
            onCancel={cancel}
            onCancelSeries={cancelSeries}
            onCheckIn={(b) => checkIn(b.id)}
          />
          <CalendarSubscribe token={auth.token} />
          <AccountPanel auth={auth} onSignOut={onSignOut} onSignedInAgain={onSignedInAgain} />
        </div>
      </div>
    </div>
  );
}
