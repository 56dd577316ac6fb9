/** The types every part of the socket layer shares: what a socket carries and the typed server. */
import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@booking/shared';
import type { SocketData } from '../infra/contract';

export type { SocketData } from '../infra/contract';

/** Events between the nodes themselves (through the Redis adapter). */
export interface InterServerEvents {
  /** A resource's settings changed on another node: re-read the directory. */
  'resources:changed': () => void;
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
