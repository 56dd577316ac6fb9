/**
 * What the edge hands a capability, as types: who is calling (`Principal`), what a socket carries
 * (`SocketData`), and how a capability registers its socket commands (`CommandOn`, with the
 * `CommandContext` each handler gets). The socket layer (`transport/`) implements it.
 *
 * The direction: capabilities (auth, booking, availability, resources, calendar, admin) may
 * depend on infra and on leaf type modules like this one; none of them imports `transport/`, and
 * nothing here imports a capability or the transport. The roots (`app.ts`, `node/`, `notifier.ts`)
 * compose the two.
 */
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { ApiScope, DataOf, Role } from '@booking/shared';
import type { Logger } from './logger';

/** Who is calling, as proven by a token. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
  /**
   * (v3) The person's group ids, which decide with each resource's `access` what they may view,
   * book and manage (`access/`). A change of groups bumps the token version, so the session check
   * closes the sockets that carry the old ones. Absent: no groups.
   */
  groups?: readonly string[];
  /**
   * When the token chain this principal came from began (the sign-in, epoch ms): a refresh keeps
   * it, and no token of the chain outlives it by more than `SESSION_MAX_HOURS`. Absent on a
   * principal that did not come from a token.
   */
  signedInAt?: number;
  /**
   * (v3) Present when the caller is an API key (HTTP only, `integrations/api-access.ts`): role
   * 'staff' limited to these scopes. `id` of the principal is then the key's id (an actor in history).
   */
  apiKey?: { id: string; scopes: readonly ApiScope[] };
}

/** What the auth middleware leaves on every socket. */
export interface SocketData {
  principal: Principal;
  /** The token's version: the session check (`session-check.ts`) re-checks it against the database on every namespace. */
  tokenVersion: number;
  /** When the token expires (epoch ms); the socket is disconnected then. */
  expiresAt: number;
}

export interface CommandContext {
  socket: Socket;
  principal: Principal;
  logger: Logger;
}

/**
 * What `commandRegistrar` returns for one socket: registers one command of the event map `M`
 * (`ClientToServerEvents` on `/`, `AdminClientToServerEvents` on `/admin`). The capabilities'
 * `register…Handlers` take it.
 */
export type CommandOn<M> = <E extends keyof M & string, S extends z.ZodType>(
  event: E,
  schema: S,
  handler: (data: z.output<S>, ctx: CommandContext) => Promise<DataOf<M, E>>,
) => void;
