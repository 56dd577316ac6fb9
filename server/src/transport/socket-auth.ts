import type { Socket } from 'socket.io';
import { ErrorCode } from '@booking/shared';
import type { AuthService } from '../auth/auth.service';
import type { ConnectionTracker } from './connection-cap';
import type { SocketData } from './socket-types';

/**
 * Handshake check: a missing, bad, expired or revoked token (or one whose user is gone) fails
 * with UNAUTHORIZED; a role mismatch with FORBIDDEN; a user at the connection cap with
 * RATE_LIMITED.
 */
export function authMiddleware(auth: AuthService, requiredRole: 'staff' | null, connections: ConnectionTracker) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    auth.authenticate(token).then(
      (session) => {
        if (requiredRole && session.principal.role !== requiredRole) return next(new Error(ErrorCode.FORBIDDEN));
        if (connections.full(session.principal.id)) return next(new Error(ErrorCode.RATE_LIMITED));
        const data = socket.data as SocketData;
        data.principal = session.principal;
        data.tokenVersion = session.tokenVersion;
        data.expiresAt = session.expiresAt;
        next();
      },
      () => next(new Error(ErrorCode.UNAUTHORIZED)),
    );
  };
}
