/**
 * Commands about the caller's own session and profile, on both namespaces (`/` and `/admin`):
 *
 * - `session:refresh` (a contract addition): a new token for the connection's user, and this
 *   connection now lives until that token expires. The page and the dashboard call it a few
 *   minutes before their token expires, so an open tab is never cut off; a connection whose user
 *   was demoted, deleted or signed out everywhere gets UNAUTHORIZED (and is being disconnected
 *   anyway).
 * - (v3) `profile:update {name?, locale?}` → `{user}`: the caller's own name and language (on
 *   `/admin` a contract addition, so the dashboard can keep its language). An empty payload
 *   answers the user unchanged; unknown keys are refused by the strict schema. Neither field is
 *   part of a token, so no session ends. A new name reaches this node's open connections of the
 *   user at once (their principal names the actor of booking history); connections on other
 *   nodes take it at their next handshake. Mails read name and language when they are sent.
 */
import { Empty, ProfileUpdate } from '@booking/shared';
import type { AuthResult, User } from '@booking/shared';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { userRoom } from '../infra/channels';
import type { CommandContext, SocketData } from '../infra/contract';
import type { AuthService } from './auth.service';

/** What `commandRegistrar` returns on either namespace, for the commands registered here. */
interface On {
  <S extends z.ZodType>(
    event: 'session:refresh',
    schema: S,
    handler: (data: z.output<S>, ctx: CommandContext) => Promise<AuthResult>,
  ): void;
  <S extends z.ZodType>(
    event: 'profile:update',
    schema: S,
    handler: (data: z.output<S>, ctx: CommandContext) => Promise<{ user: User }>,
  ): void;
}

/** Every open connection of the user on this node, on `/` and `/admin`, now carries `name`. */
function renameLocally(socket: Socket, userId: string, name: string): void {
  for (const nsp of ['/', '/admin']) {
    const namespace = socket.nsp.server.of(nsp);
    for (const id of namespace.adapter.rooms.get(userRoom(userId)) ?? []) {
      const data = namespace.sockets.get(id)?.data as Partial<SocketData> | undefined;
      // In place: each command's context holds this very object (`commandRegistrar`).
      if (data?.principal?.id === userId) data.principal.name = name;
    }
  }
}

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
  on('profile:update', ProfileUpdate, async (profile, { socket, principal }) => {
    const user = await auth.updateProfile(principal.id, profile);
    if (profile.name !== undefined && profile.name !== principal.name) renameLocally(socket, principal.id, user.name);
    return { user };
  });
}
