/**
 * `session:refresh` on both namespaces (a contract addition): a new token for the connection's
 * user, and this connection now lives until that token expires. The page and the dashboard call
 * it a few minutes before their token expires, so an open tab is never cut off; a connection
 * whose user was demoted, deleted or signed out everywhere gets UNAUTHORIZED (and is being
 * disconnected anyway).
 */
import { Empty } from '@booking/shared';
import type { AuthResult } from '@booking/shared';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { CommandContext, SocketData } from '../infra/contract';
import type { AuthService } from './auth.service';

type On = <S extends z.ZodType>(
  event: 'session:refresh',
  schema: S,
  handler: (data: z.output<S>, ctx: CommandContext) => Promise<AuthResult>,
) => void;

/** `renew`: the socket layer's re-arming of the connection's expiry (`renewSession`), handed in by the root. */
export function registerSessionHandlers(
  on: On,
  auth: AuthService,
  renew: (socket: Socket, expiresAt: number) => void,
): void {
  on('session:refresh', Empty, async (_d, { socket, principal }) => {
    const data = socket.data as SocketData;
    const fresh = await auth.reissue({ principal, tokenVersion: data.tokenVersion });
    renew(socket, fresh.expiresAt);
    return { token: fresh.token, user: fresh.user };
  });
}
