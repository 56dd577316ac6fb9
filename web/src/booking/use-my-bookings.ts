/**
 * The signed-in person's bookings: read on every (re)connect, after each of their own commands,
 * on a notification, and when `slot:changed` names one of them (a change made in another tab or
 * by staff; the page watches the resources of the active ones for this, see `useSlotWatch`).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Booking, SlotChanged } from '@booking/shared';
import type { BookingCommands } from '../connection/booking-client';

export interface MyBookings {
  bookings: Booking[];
  /** The bookings have been read at least once. */
  loaded: boolean;
  reload(): void;
  handleSlotChanged(event: SlotChanged): void;
}

export function useMyBookings(send: BookingCommands | null, epoch: number): MyBookings {
  const [bookings, setBookings] = useState<Booking[]>([]);
  const [loaded, setLoaded] = useState(false);
  const ids = useRef(new Set<string>());
  ids.current = useMemo(() => new Set(bookings.map((b) => b.id)), [bookings]);

  const reload = useCallback(() => {
    if (!send) return;
    void send('bookings:mine', {}).then((answer) => {
      if (!answer.ok) return;
      setBookings(answer.data.bookings);
      setLoaded(true);
    });
  }, [send]);

  useEffect(() => {
    if (epoch > 0) reload();
  }, [reload, epoch]);

  return {
    bookings,
    loaded,
    reload,
    handleSlotChanged: (event) => {
      if (ids.current.has(event.bookingId)) reload();
    },
  };
}
