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
import type { AuthResult } from '@booking/shared';
import { Toasts } from '../ui/toasts';
import { AvailabilityGrid } from './availability-grid';
import { DateToolbar } from './date-toolbar';
import { formatRange } from './local-grid';
import { PageHeader } from './page-header';
import { ResourceList } from './resource-list';
import { SelectionPanel } from './selection-panel';
import { SideColumn } from './side-column';
import { explainUnavailable } from './unavailable';
import { useBookingPage } from './use-booking-page';
import { ZoneNote } from './zone-note';

interface Props {
  auth: AuthResult;
  /** A sentence from the app (password changed, email confirmed), shown under the header. */
  notice?: string | null;
  onSignOut(why: string | null): void;
  /** After a password change the page signs in again; the app swaps in the new session. */
  onSignedInAgain(auth: AuthResult, notice: string): void;
}

export function BookingPage({ auth, notice = null, onSignOut, onSignedInAgain }: Props) {
  const {
    connection,
    toasts,
    dismiss,
    resources,
    types,
    typeFilter,
    resourceId,
    resource,
    setTypeFilter,
    choose,
    mode,
    setMode,
    anchor,
    setAnchorDay,
    zone,
    viewer,
    policy,
    grid,
    context,
    availability,
    selection,
    selectedBookingId,
    setError,
    setSelection,
    setSelectedBookingId,
    clear,
    now,
    send,
    error,
    selectedBooking,
    range,
    sendable,
    actions,
    my,
    toast,
    pending,
    show,
    mine,
  } = useBookingPage({ auth, onSignOut });
  return (
    <div className="page">
      <PageHeader auth={auth} notice={notice} connection={connection.state} onSignOut={() => onSignOut(null)} />
      <Toasts toasts={toasts} onDismiss={dismiss} />
      <div className="layout">
        <ResourceList
          resources={resources}
          types={types}
          typeFilter={typeFilter}
          resourceId={resourceId}
          onTypeFilter={(type) => {
            setTypeFilter(type);
            // Keep the grid on a resource the filtered list still shows.
            if (type && resource?.type !== type) choose(resources.find((r) => r.type === type)?.id ?? null);
          }}
          onChoose={choose}
        />
        <main className="panel main">
          <h2>{resource ? resource.name : 'Choose a resource'}</h2>
          {resource?.description && <p className="muted">{resource.description}</p>}
          <DateToolbar anchor={anchor} mode={mode} onAnchor={setAnchorDay} onMode={setMode} />
          <ZoneNote zone={zone} viewer={viewer} policy={policy} showZone={resource !== null} />
          {resource && (
            <AvailabilityGrid
              key={`${resource.id}:${mode}:${zone}:${grid.cellMinutes}`}
              resourceName={resource.name}
              grid={grid}
              context={context}
              loading={availability === null}
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
              onUnavailable={(state, cell) =>
                setError(explainUnavailable(state, cell, { grid, policy, resource, now }))
              }
            />
          )}
          <SelectionPanel
            send={send}
            resource={resource}
            zone={zone}
            viewer={viewer}
            error={error}
            selectedBooking={selectedBooking}
            range={range}
            disabled={!sendable}
            onBook={actions.book}
            onMove={actions.move}
            onCancel={actions.cancel}
            onClear={clear}
            onError={setError}
            onSeriesBooked={(result) => {
              clear();
              my.reload();
              const skipped = result.skipped.length > 0 ? `, ${result.skipped.length} skipped` : '';
              toast(`Booked ${result.bookings.length} occurrences of ${resource?.name ?? ''}${skipped}.`);
            }}
          />
        </main>
        <SideColumn
          auth={auth}
          send={send}
          connected={connection.state === 'connected'}
          resources={resources}
          types={types}
          mine={mine}
          now={now}
          pending={pending}
          actions={actions}
          onShow={show}
          onFoundBooked={(booking, found) => {
            toast(
              `Booked ${found?.name ?? 'it'}, ${formatRange(booking.start, booking.end, found?.timeZone ?? viewer)}.`,
            );
            my.reload();
            show(booking);
          }}
          onSignOut={onSignOut}
          onSignedInAgain={onSignedInAgain}
        />
      </div>
    </div>
  );
}
