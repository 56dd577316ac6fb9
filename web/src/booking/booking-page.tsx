/**
 * The signed-in page: resources (with a type filter), the live grid of the chosen resource, the
 * selection panel (book / move / cancel), "my bookings", toasts and the connection banner.
 * The socket and its only `slot:changed` listener live in `useConnection`, which hands each event
 * to `useAvailability` (the shared version-aware sync: applied when it is the next version,
 * re-read on a gap, on reconnect and after `SLOT_TAKEN`) and to `useMyBookings`.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { bookingRuleViolation, describeError } from '@booking/shared';
import type { AuthResult, Booking, ClientError, CommandResult, Resource } from '@booking/shared';
import { Toasts } from '../ui/toasts';
import type { Toast } from '../ui/toasts';
import { AvailabilityGrid } from './availability-grid';
import type { GridSelection } from './availability-grid';
import { MyBookings } from './my-bookings';
import { addDays, cellEnd, cellStart, dateInputValue, daysOf, formatRange, localDay, parseDateInput, timeZone } from './slots';
import type { ViewMode } from './slots';
import { useAvailability } from './use-availability';
import { useConnection } from './use-connection';
import { useMyBookings } from './use-my-bookings';

interface Props {
  auth: AuthResult;
  onSignOut(why: string | null): void;
}

function randomKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function BookingPage({ auth, onSignOut }: Props) {
  const [resources, setResources] = useState<Resource[]>([]);
  const [typeFilter, setTypeFilter] = useState('');
  const [resourceId, setResourceId] = useState<string | null>(null);
  const [mode, setMode] = useState<ViewMode>('day');
  const [anchorDay, setAnchorDay] = useState(() => localDay(new Date()));
  const [selection, setSelection] = useState<GridSelection | null>(null);
  const [selectedBookingId, setSelectedBookingId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [now, setNow] = useState(() => Date.now());

  const toast = useCallback((text: string) => {
    setToasts((ts) => [...ts.slice(-3), { id: randomKey(), text }]);
  }, []);
  const dismiss = useCallback((id: string) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const showError = useCallback((e: ClientError) => setError(describeError(e)), []);

  const days = useMemo(() => daysOf(anchorDay, mode), [anchorDay, mode]);
  const from = new Date(days[0] ?? anchorDay).toISOString();
  const to = addDays(days[days.length - 1] ?? anchorDay, 1).toISOString();

  const connection = useConnection(auth.token, {
    onSlotChanged: (event) => {
      grid.handleSlotChanged(event);
      my.handleSlotChanged(event);
    },
    onNotification: (n) => {
      toast(n.message);
      my.reload();
    },
    onUnauthorized: (why) => onSignOut(why),
  });
  const { send, epoch } = connection;
  const grid = useAvailability({ send, epoch, resourceId, from, to, onError: showError });
  const my = useMyBookings(send, epoch);
  const mine = my.bookings;
  const availability = grid.current;

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
  const resource = resources.find((r) => r.id === resourceId) ?? null;

  useEffect(() => {
    if (!resourceId && shown[0]) setResourceId(shown[0].id);
  }, [resourceId, shown]);

  const myIds = useMemo(() => new Set(mine.filter((b) => b.status === 'active').map((b) => b.id)), [mine]);
  const selectedBooking = mine.find((b) => b.id === selectedBookingId && b.status === 'active') ?? null;
  const range =
    selection && days[selection.col]
      ? { start: cellStart(days[selection.col] ?? anchorDay, selection.from), end: cellEnd(days[selection.col] ?? anchorDay, selection.to) }
      : null;

  const clear = () => {
    setSelection(null);
    setSelectedBookingId(null);
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
    setError(describeError(e));
    if (e.code === 'SLOT_TAKEN' || e.code === 'NOT_FOUND' || e.code === 'INVALID_STATE') {
      grid.refresh();
      my.reload();
    }
  };

  const checkRules = (start: number, end: number): boolean => {
    const why = bookingRuleViolation({ start: new Date(start), end: new Date(end) }, new Date());
    if (why) setError(`That time cannot be booked: ${why}.`);
    return why === null;
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
        toast(`Booked ${resource.name}, ${formatRange(booking.start, booking.end)}.`);
      },
    );
  };

  const move = () => {
    if (!send || !selectedBooking || !range || !checkRules(range.start, range.end)) return;
    void run(
      () => send('booking:modify', { bookingId: selectedBooking.id, start: new Date(range.start).toISOString(), end: new Date(range.end).toISOString() }),
      ({ booking }) => {
        setSelection(null);
        toast(`Moved to ${formatRange(booking.start, booking.end)}.`);
      },
    );
  };

  const cancel = (booking: Booking) => {
    if (!send) return;
    void run(
      () => send('booking:cancel', { bookingId: booking.id }),
      () => {
        if (selectedBookingId === booking.id) clear();
        toast(`Cancelled ${formatRange(booking.start, booking.end)}.`);
      },
    );
  };

  const show = (booking: Booking) => {
    setTypeFilter('');
    setResourceId(booking.resourceId);
    setAnchorDay(localDay(new Date(booking.start)));
    setSelection(null);
    setSelectedBookingId(booking.id);
  };

  const step = mode === 'day' ? 1 : 7;
  const stale = availability === null;

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
                if (type && resource?.type !== type) {
                  setResourceId(resources.find((r) => r.type === type)?.id ?? null);
                  clear();
                }
              }}
            >
              <option value="">All types</option>
              {types.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
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
                    onClick={() => {
                      setResourceId(r.id);
                      clear();
                    }}
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
            <button type="button" aria-label={mode === 'day' ? 'Previous day' : 'Previous week'} onClick={() => setAnchorDay((d) => addDays(d, -step))}>
              ‹
            </button>
            <label>
              Date
              <input
                type="date"
                value={dateInputValue(anchorDay)}
                onChange={(e) => {
                  const d = parseDateInput(e.target.value);
                  if (d) setAnchorDay(d);
                }}
              />
            </label>
            <button type="button" aria-label={mode === 'day' ? 'Next day' : 'Next week'} onClick={() => setAnchorDay((d) => addDays(d, step))}>
              ›
            </button>
            <button type="button" onClick={() => setAnchorDay(localDay(new Date()))}>
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
          <p className="muted small">
            Times are in {timeZone()}. Pick a free time: click or drag, or use the arrow keys and Enter (Shift extends).
          </p>
          {resource && (
            <AvailabilityGrid
              key={`${resource.id}:${mode}`}
              resourceName={resource.name}
              days={days}
              busy={availability?.busy ?? []}
              loading={stale}
              myBookingIds={myIds}
              now={now}
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
              onUnavailable={setError}
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
                ? `Your booking: ${formatRange(selectedBooking.start, selectedBooking.end)}${range ? `. Move it to ${formatRange(range.start, range.end)}?` : '. Pick a free time to move it, or cancel it.'}`
                : range
                  ? `Selected: ${formatRange(range.start, range.end)}`
                  : 'Nothing selected.'}
            </p>
            <div className="row-actions">
              {!selectedBooking && range && (
                <button type="button" className="primary" disabled={pending || connection.state !== 'connected'} onClick={book}>
                  Book {formatRange(range.start, range.end)}
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
          </section>
        </main>
        <MyBookings bookings={mine} resources={resources} now={now} pending={pending} onShow={show} onCancel={cancel} />
      </div>
    </div>
  );
}
