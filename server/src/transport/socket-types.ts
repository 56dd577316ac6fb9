/** The types every part of the socket layer shares: what a socket carries and the typed server. */
import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@booking/shared';
import type { Principal } from '../auth/auth.service';

/** What the auth middleware leaves on every socket. */
export interface SocketData {
  principal: Principal;
  /** The token's version: the session check (`session-check.ts`) re-checks it against the database on every namespace. */
  tokenVersion: number;
  /** When the token expires (epoch ms); the socket is disconnected then. */
  expiresAt: number;
}

/** Events between the nodes themselves (through the Redis adapter). */
export interface InterServerEvents {
  /** A resource's settings changed on another node: re-read the directory. */
  'resources:changed': () => void;
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
