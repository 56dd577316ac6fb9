import type { Socket } from 'socket.io';
import { ErrorCode } from '@booking/shared';
import type { AuthService } from '../auth/auth.service';
import type { Principal } from '../infra/contract';
import type { ConnectionTracker } from './connection-cap';
import type { SocketData } from './socket-types';

/** Who a namespace admits: anyone signed in (null), staff, or whom a check says (v3: `/admin` admits managers too). */
export type Admission = 'staff' | null | ((principal: Principal) => Promise<boolean>);

/**
 * Handshake check: a missing, bad, expired or revoked token (or one whose user is gone) fails
 * with UNAUTHORIZED; someone the namespace does not admit with FORBIDDEN; a user at the
 * connection cap with RATE_LIMITED.
 */
export function authMiddleware(auth: AuthService, requiredRole: Admission, connections: ConnectionTracker) {
  const admitted = async (principal: Principal): Promise<boolean> => {
    if (requiredRole === null) return true;
    if (requiredRole === 'staff') return principal.role === 'staff';
    return requiredRole(principal);
  };
  return (socket: Socket, next: (err?: Error) => void): void => {
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    auth.authenticate(token).then(
      (session) =>
        admitted(session.principal).then(
          (ok) => {
            if (!ok) return next(new Error(ErrorCode.FORBIDDEN));
            if (connections.full(session.principal.id)) return next(new Error(ErrorCode.RATE_LIMITED));
            const data = socket.data as SocketData;
            data.principal = session.principal;
            data.tokenVersion = session.tokenVersion;
            data.expiresAt = session.expiresAt;
            next();
          },
          // The check could not be read (the directory's store): refused, the client retries.
          () => next(new Error(ErrorCode.INTERNAL)),
        ),
      () => next(new Error(ErrorCode.UNAUTHORIZED)),
    );
  };
}
