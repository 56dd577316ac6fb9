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
import type { AuthResult, SeriesResult } from '@booking/shared';
import { Toasts } from '../ui/toasts';
import { AvailabilityGrid } from './availability-grid';
import { DateToolbar } from './date-toolbar';
import { formatRange } from './local-grid';
import { PageHeader } from './page-header';
import { QuantityPicker } from './quantity-picker';
import { ResourceList } from './resource-list';
import { SelectionPanel } from './selection-panel';
import { SideColumn } from './side-column';
import { explainUnavailable } from './unavailable';
import { useBookingPage } from './use-booking-page';
import { mayOnResource } from './resource-access';
import { VIEW_ONLY_NOTE_ID, ViewOnlyNote } from './view-only-note';
import { waitlistRange } from './waitlist-range';
import { ZoneNote } from './zone-note';
import { translate } from '../i18n';

interface Props {
  auth: AuthResult;
  /** A sentence from the app (password changed, email confirmed), shown under the header. */
  notice?: string | null;
  onSignOut(why: string | null): void;
  /** After a password change the page signs in again; the app swaps in the new session. */
  onSignedInAgain(auth: AuthResult, notice: string): void;
}

export function BookingPage({ auth, notice = null, onSignOut, onSignedInAgain }: Props) {
  const page = useBookingPage({ auth, onSignOut });
  // (v3) A resource the person may view but not book: its grid shows busy and free, nothing books.
  const viewOnly = !mayOnResource(auth.user, page.resource, 'book');
  return (
    <div className="page">
      <PageHeader
        auth={auth}
        notice={notice}
        connection={page.connection.state}
        send={page.send}
        onSignOut={() => onSignOut(null)}
      />
      <Toasts toasts={page.toasts} onDismiss={page.dismiss} />
      <div className="layout">
        <ResourceList
          resources={page.resources}
          types={page.types}
          typeFilter={page.typeFilter}
          resourceId={page.resourceId}
          onTypeFilter={(type) => {
            page.setTypeFilter(type);
            // Keep the grid on a resource the filtered list still shows.
            if (type && page.resource?.type !== type)
              page.choose(page.resources.find((r) => r.type === type)?.id ?? null);
          }}
          onChoose={page.choose}
        />
        <main className="panel main">
          <h2>{page.resource ? page.resource.name : translate('page.chooseResource')}</h2>
          {page.resource?.description && <p className="muted">{page.resource.description}</p>}
          <DateToolbar anchor={page.anchor} mode={page.mode} onAnchor={page.setAnchorDay} onMode={page.setMode} />
          <ZoneNote zone={page.zone} viewer={page.viewer} policy={page.policy} showZone={page.resource !== null} />
          {page.resource && page.capacity > 1 && !viewOnly && (
            <QuantityPicker capacity={page.capacity} quantity={page.quantity} onQuantity={page.setQuantity} />
          )}
          {page.resource && (
            <AvailabilityGrid
              key={`${page.resource.id}:${page.mode}:${page.zone}:${page.grid.cellMinutes}`}
              resourceName={page.resource.name}
              grid={page.grid}
              context={page.context}
              loading={page.availability === null}
              selection={page.selection}
              selectedBookingId={page.selectedBookingId}
              readOnly={viewOnly ? { describedBy: VIEW_ONLY_NOTE_ID } : undefined}
              onSelectRange={(s) => {
                page.setError(null);
                page.holds.setWaitFor(null);
                page.setSelection(s);
              }}
              onSelectBooking={(id) => {
                page.setError(null);
                page.holds.setWaitFor(null);
                page.setSelection(null);
                page.setSelectedBookingId(id);
              }}
              onClear={() => {
                page.holds.setWaitFor(null);
                page.clear();
              }}
              onUnavailable={(state, cell, extending) => explainAndOfferWait(page, state, cell, extending)}
            />
          )}
          {viewOnly ? (
            <ViewOnlyNote error={page.error} />
          ) : (
            <SelectionPanel
              send={page.send}
              resource={page.resource}
              zone={page.zone}
              viewer={page.viewer}
              error={page.error}
              selectedBooking={page.selectedBooking}
              range={page.range}
              quantity={page.quantity}
              title={page.title}
              onTitle={page.setTitle}
              disabled={!page.sendable}
              onBook={page.actions.book}
              onMove={page.actions.move}
              onCancel={page.actions.cancel}
              onClear={() => {
                page.holds.setWaitFor(null);
                page.clear();
              }}
              onError={page.setError}
              hold={page.holds.hold.state}
              holdFailure={page.holds.holdFailure}
              canWait={page.holds.waitTarget !== null}
              holdQuiet={page.holds.hold.quiet}
              onHoldAgain={page.holds.hold.holdAgain}
              onJoinWaitlist={() => {
                if (page.holds.waitTarget) page.holdActs.joinWaitlist(page.holds.waitTarget);
              }}
              onRepeating={page.setRepeating}
              approval={{
                needed: page.approval.needsApproval,
                offered: page.approval.offer !== null,
                onRequest: page.approval.requestApproval,
              }}
              onSeriesBooked={(result) => seriesBooked(page, result)}
            />
          )}
        </main>
        <SideColumn
          auth={auth}
          send={page.send}
          connected={page.connection.state === 'connected'}
          resources={page.resources}
          types={page.types}
          mine={page.mine}
          now={page.now}
          pending={page.pending}
          actions={{
            ...page.actions,
            // Letting go of the selection's own hold clears the selection (which lets it go).
            cancel: (b) => (b.id === page.holds.hold.held?.id ? page.clear() : page.actions.cancel(b)),
          }}
          waitlist={page.holds.waitlist.entries}
          holdActions={page.holdActs}
          offer={page.holds.offer}
          onShow={page.show}
          approvals={page.approvals}
          onFoundBooked={(booking, found) => {
            page.toast(
              translate('toast.booked', {
                name: found?.name ?? '',
                quantity: '',
                range: formatRange(booking.start, booking.end, found?.timeZone ?? page.viewer),
              }),
            );
            page.my.reload();
            page.show(booking);
          }}
          onSignOut={onSignOut}
          onSignedInAgain={onSignedInAgain}
        />
      </div>
    </div>
  );
}

type Page = ReturnType<typeof useBookingPage>;

/** A click on a time that cannot be booked: why, and (a taken time) the offer to wait for it. */
function explainAndOfferWait(
  page: Page,
  state: Parameters<typeof explainUnavailable>[0],
  cell: Parameters<typeof explainUnavailable>[1],
  extending: boolean,
): void {
  page.setError(
    explainUnavailable(state, cell, {
      grid: page.grid,
      policy: page.policy,
      resource: page.resource,
      now: page.now,
      context: page.context,
    }),
  );
  if (extending) return;
  // A taken time can be waited for: the time a click would select there, the units chosen
  // (and the last selection, with its hold, is let go: this is the time wanted now).
  const wanted = state === 'taken' ? waitlistRange(page.grid, cell, page.context) : null;
  if (wanted) page.clear();
  page.holds.setWaitFor(
    wanted && page.resource ? { resourceId: page.resource.id, quantity: page.quantity, ...wanted } : null,
  );
}

/** A series booked from the Repeat panel: the page's toast and the refreshed list. */
function seriesBooked(page: Page, result: SeriesResult): void {
  page.clear();
  page.my.reload();
  // (v3) Under approval 'always' the occurrences come back as requests awaiting approval.
  const requested = result.bookings.some((b) => b.status === 'pending');
  const values = { count: result.bookings.length, name: page.resource?.name ?? '', skipped: result.skipped.length };
  page.toast(requested ? translate('toast.seriesRequested', values) : translate('toast.seriesBooked', values));
}
