/**
 * Who may do what, and who did what: `user:setRole` (a change revokes the user's tokens and
 * disconnects every socket of theirs on every node) and `booking:history` (the audit log).
 */
import { ErrorCode } from '@booking/shared';
import type { BookingEvent, Role, User } from '@booking/shared';
import type { AuthService } from '../auth/auth.service';
import type { BookingHistoryStore } from '../booking/booking-history.store';
import type { BookingStore } from '../booking/booking.store';
import { AppError } from '../infra/errors';
import type { Logger } from '../infra/logger';

const HISTORY_LIMIT = 1000;

export interface AccessAdmin {
  setRole(userId: string, role: Role): Promise<User>;
  history(bookingId: string): Promise<BookingEvent[]>;
}

export function createAccessAdmin(deps: {
  auth: Pick<AuthService, 'setRole'>;
  history: Pick<BookingHistoryStore, 'of'>;
  bookings: Pick<BookingStore, 'findById'>;
  /** Disconnects every socket of a user on every node (`revokeSessions`). */
  revoke: (userId: string) => Promise<void>;
  logger: Logger;
}): AccessAdmin {
  return {
    async setRole(userId, role) {
      const { user, changed } = await deps.auth.setRole(userId, role);
      if (changed) {
        // The new token version already refuses every old token; this cuts the open sockets now.
        // If the adapter's message is lost (a Redis blip), the /admin session check still
        // disconnects a demoted staff member's sockets within its period.
        await deps
          .revoke(userId)
          .catch((err: unknown) => deps.logger.warn({ err, userId }, 'disconnecting a revoked user failed'));
      }
      return user;
    },
    async history(bookingId) {
      if (!(await deps.bookings.findById(bookingId))) throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
      return deps.history.of(bookingId, HISTORY_LIMIT);
    },
  };
}
