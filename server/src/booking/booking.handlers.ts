import {
  BookingApprove,
  BookingDecline,
  BookingCancel,
  BookingCheckIn,
  BookingConfirm,
  BookingHold,
  BookingCancelSeries,
  BookingCreate,
  BookingCreateSeries,
  BookingHistory,
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
      ...(d.title ? { title: d.title } : {}),
      ...(d.idempotencyKey ? { idempotencyKey: d.idempotencyKey } : {}),
      ...(d.requestApproval ? { requestApproval: true } : {}),
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
      ...(d.title ? { title: d.title } : {}),
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
      // (v3) Omitted keeps the title; null or '' (which the schema reads as undefined) clears it.
      ...('title' in d ? { title: d.title ?? null } : {}),
      ...(d.requestApproval ? { requestApproval: true } : {}),
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
      ...(d.title ? { title: d.title } : {}),
      ...(d.idempotencyKey ? { idempotencyKey: d.idempotencyKey } : {}),
      ...(d.requestApproval ? { requestApproval: true } : {}),
    }),
  );
  on('booking:cancelSeries', BookingCancelSeries, async (d, { principal }) => ({
    bookings: await bookings.cancelSeries({ principal, seriesId: d.seriesId, ...(d.from ? { from: d.from } : {}) }),
  }));
  on('booking:checkIn', BookingCheckIn, async (d, { principal }) => ({
    booking: await bookings.checkIn({ principal, bookingId: d.bookingId }),
  }));
  registerApprovalHandlers(on, bookings);
  on('bookings:mine', Empty, async (_d, { principal }) => ({ bookings: await bookings.mine(principal) }));
  on('booking:history', BookingHistory, async (d, { principal }) => ({
    events: await bookings.history(principal, d.bookingId),
  }));
}

/** (v3) The approvers' commands, the same on `/` and `/admin` (staff approve every resource). */
export function registerApprovalHandlers(
  on: CommandOn<Pick<ClientToServerEvents, 'approvals:list' | 'booking:approve' | 'booking:decline'>>,
  bookings: Pick<BookingCommands, 'approvals' | 'approve' | 'decline'>,
): void {
  on('approvals:list', Empty, async (_d, { principal }) => ({ bookings: await bookings.approvals(principal) }));
  on('booking:approve', BookingApprove, async (d, { principal }) => ({
    booking: await bookings.approve({ principal, bookingId: d.bookingId }),
  }));
  on('booking:decline', BookingDecline, async (d, { principal }) => ({
    booking: await bookings.decline({
      principal,
      bookingId: d.bookingId,
      ...(d.reason ? { reason: d.reason } : {}),
    }),
  }));
}
