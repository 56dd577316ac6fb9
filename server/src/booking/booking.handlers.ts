import {
  BookingCancel,
  BookingCheckIn,
  BookingConfirm,
  BookingHold,
  BookingCancelSeries,
  BookingCreate,
  BookingCreateSeries,
  BookingModify,
  Empty,
} from '@booking/shared';
import type { ClientToServerEvents } from '@booking/shared';
import type { CommandOn } from '../infra/contract';
import type { BookingCommands } from './booking.effects';

type On = CommandOn<ClientToServerEvents>;

export function registerBookingHandlers(on: On, bookings: BookingCommands): void {
  on('booking:create', BookingCreate, async (d, { principal }) => ({
    booking: await bookings.create({
      principal,
      resourceId: d.resourceId,
      start: d.start,
      end: d.end,
      ...(d.quantity ? { quantity: d.quantity } : {}),
      ...(d.idempotencyKey ? { idempotencyKey: d.idempotencyKey } : {}),
    }),
  }));
  on('booking:hold', BookingHold, async (d, { principal }) => ({
    booking: await bookings.create({
      principal,
      resourceId: d.resourceId,
      start: d.start,
      end: d.end,
      hold: true,
      ...(d.quantity ? { quantity: d.quantity } : {}),
      ...(d.idempotencyKey ? { idempotencyKey: d.idempotencyKey } : {}),
    }),
  }));
  on('booking:confirm', BookingConfirm, async (d, { principal }) => ({
    booking: await bookings.confirm({ principal, bookingId: d.bookingId }),
  }));
  on('booking:cancel', BookingCancel, async (d, { principal }) => ({
    booking: await bookings.cancel({ principal, bookingId: d.bookingId }),
  }));
  on('booking:modify', BookingModify, async (d, { principal }) => ({
    booking: await bookings.modify({
      principal,
      bookingId: d.bookingId,
      start: d.start,
      end: d.end,
      ...(d.quantity ? { quantity: d.quantity } : {}),
    }),
  }));
  on('booking:createSeries', BookingCreateSeries, async (d, { principal }) =>
    bookings.createSeries({
      principal,
      resourceId: d.resourceId,
      start: d.start,
      end: d.end,
      repeat: d.repeat,
      onConflict: d.onConflict,
      ...(d.quantity ? { quantity: d.quantity } : {}),
      ...(d.idempotencyKey ? { idempotencyKey: d.idempotencyKey } : {}),
    }),
  );
  on('booking:cancelSeries', BookingCancelSeries, async (d, { principal }) => ({
    bookings: await bookings.cancelSeries({ principal, seriesId: d.seriesId, ...(d.from ? { from: d.from } : {}) }),
  }));
  on('booking:checkIn', BookingCheckIn, async (d, { principal }) => ({
    booking: await bookings.checkIn({ principal, bookingId: d.bookingId }),
  }));
  on('bookings:mine', Empty, async (_d, { principal }) => ({ bookings: await bookings.mine(principal) }));
}
