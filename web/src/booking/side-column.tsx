/**
 * The page's side column: (v3) "Approvals" for approvers, "Find a free room", "My bookings" (v3: with what is held for the person
 * and their waitlist), the calendar feed and the account.
 */
import type { AuthResult, Booking, Resource, WaitlistEntry } from '@booking/shared';
import { AccountPanel } from '../auth/account-panel';
import { CalendarSubscribe } from '../calendar/calendar-subscribe';
import type { BookingCommands } from '../connection/booking-client';
import { ApprovalsPanel } from './approvals';
import { FindFree } from './find-free';
import { HeldAndWaiting } from './held-and-waiting';
import type { HoldActions } from './hold-actions';
import { MyBookings } from './my-bookings';
import type { BookingActions } from './booking-actions';
import { MyRequests } from './my-requests';
import type { Approvals } from './use-approvals';

interface Props {
  auth: AuthResult;
  send: BookingCommands | null;
  connected: boolean;
  resources: Resource[];
  types: string[];
  mine: Booking[];
  now: number;
  pending: boolean;
  actions: Pick<BookingActions, 'cancel' | 'cancelSeries' | 'checkIn'>;
  /** (v3) The person's waitlist entries, and what they do about holds and the waitlist. */
  waitlist: WaitlistEntry[];
  holdActions: Pick<HoldActions, 'confirm' | 'leaveWaitlist'>;
  /** The offer to focus (from the email's link or a notification) and the sentence about it. */
  offer: { focusId: string | null; note: string | null; onFocused(): void };
  onShow(booking: Booking): void;
  /** (v3) The requests the person may decide (the section shows for approvers). */
  approvals: Approvals;
  /** "Find a free room" booked one. */
  onFoundBooked(booking: Booking, found: Resource | undefined): void;
  onSignOut(why: string | null): void;
  onSignedInAgain(auth: AuthResult, notice: string): void;
}

export function SideColumn(p: Props) {
  return (
    <div className="side">
      <ApprovalsPanel approvals={p.approvals} resources={p.resources} disabled={!p.connected} />
      <FindFree
        send={p.send}
        resources={p.resources}
        types={p.types}
        disabled={!p.connected}
        onBooked={p.onFoundBooked}
      />
      <MyBookings
        bookings={p.mine}
        resources={p.resources}
        now={p.now}
        pending={p.pending}
        onShow={p.onShow}
        onCancel={p.actions.cancel}
        onCancelSeries={p.actions.cancelSeries}
        onCheckIn={(b) => p.actions.checkIn(b.id)}
      >
        <MyRequests
          bookings={p.mine}
          resources={p.resources}
          now={p.now}
          pending={p.pending}
          onShow={p.onShow}
          onCancel={p.actions.cancel}
        />
        <HeldAndWaiting
          bookings={p.mine}
          entries={p.waitlist}
          resources={p.resources}
          pending={p.pending}
          now={p.now}
          focusId={p.offer.focusId}
          offerNote={p.offer.note}
          onFocused={p.offer.onFocused}
          onConfirm={p.holdActions.confirm}
          onRelease={p.actions.cancel}
          onShow={p.onShow}
          onLeave={p.holdActions.leaveWaitlist}
        />
      </MyBookings>
      <CalendarSubscribe token={p.auth.token} />
      <AccountPanel auth={p.auth} onSignOut={p.onSignOut} onSignedInAgain={p.onSignedInAgain} />
    </div>
  );
}
