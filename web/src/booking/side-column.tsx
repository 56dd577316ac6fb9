/** The page's side column: "Find a free room", "My bookings", the calendar feed and the account. */
import type { AuthResult, Booking, Resource } from '@booking/shared';
import { AccountPanel } from '../auth/account-panel';
import { CalendarSubscribe } from '../calendar/calendar-subscribe';
import type { BookingCommands } from '../connection/booking-client';
import { FindFree } from './find-free';
import { MyBookings } from './my-bookings';
import type { BookingActions } from './booking-actions';

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
  onShow(booking: Booking): void;
  /** "Find a free room" booked one. */
  onFoundBooked(booking: Booking, found: Resource | undefined): void;
  onSignOut(why: string | null): void;
  onSignedInAgain(auth: AuthResult, notice: string): void;
}

export function SideColumn(p: Props) {
  return (
    <div className="side">
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
      />
      <CalendarSubscribe token={p.auth.token} />
      <AccountPanel auth={p.auth} onSignOut={p.onSignOut} onSignedInAgain={p.onSignedInAgain} />
    </div>
  );
}
