/**
 * `EMAIL_VERIFICATION=required`: the commands that book (`booking:create`, `booking:modify`,
 * `booking:createSeries`) answer FORBIDDEN with `details: {reason: "unverified"}` while the
 * caller has not followed their link. Cancelling, checking in and reading stay open: they only
 * give up or use what was booked. The check reads the user (one indexed lookup by id) at every
 * such command, so a link followed in another tab counts at once, with no reconnect.
 */
import { ErrorCode } from '@booking/shared';
import type { BookingCommands } from '../booking/booking.effects';
import { AppError } from '../infra/errors';
import type { Principal } from './auth.service';
import type { EmailVerificationStore } from './email-verification.store';
import type { WaitlistService } from '../waitlist/waitlist.service';

/** The FORBIDDEN of an unverified account (its `details.reason` is what clients decide by). */
export const unverifiedError = (): AppError =>
  new AppError(ErrorCode.FORBIDDEN, 'confirm your email address first: follow the link mailed to you', {
    details: { reason: 'unverified' },
  });

export function requireVerifiedToBook(
  bookings: BookingCommands,
  opts: { mode: 'off' | 'required'; verification: Pick<EmailVerificationStore, 'isVerified'> },
): BookingCommands {
  if (opts.mode === 'off') return bookings;
  const check = async (principal: Principal) => {
    if (!(await opts.verification.isVerified(principal.id))) throw unverifiedError();
  };
  return {
    ...bookings,
    async create(input) {
      await check(input.principal);
      return bookings.create(input);
    },
    async modify(input) {
      await check(input.principal);
      return bookings.modify(input);
    },
    async createSeries(input) {
      await check(input.principal);
      return bookings.createSeries(input);
    },
    // (v3) A waitlist offer is made to a person who joined; confirming it books, as create does.
    async confirm(input) {
      await check(input.principal);
      return bookings.confirm(input);
    },
  };
}

/** (v3) `waitlist:join` asks for a booking later: an unverified account may not join either. */
export function requireVerifiedToWait(
  waitlist: WaitlistService,
  opts: { mode: 'off' | 'required'; verification: Pick<EmailVerificationStore, 'isVerified'> },
): WaitlistService {
  if (opts.mode === 'off') return waitlist;
  return {
    ...waitlist,
    async join(input) {
      if (!(await opts.verification.isVerified(input.principal.id))) throw unverifiedError();
      return waitlist.join(input);
    },
  };
}
