/** The page's typed Socket.IO connection and its command function (the shared one, bound). */
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { createCommander } from '@booking/shared';
import type { ClientToServerEvents, Commander, ServerToClientEvents } from '@booking/shared';

export type BookingSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type BookingCommands = Commander<ClientToServerEvents>;

/** Same origin as the page; websocket only, so no sticky sessions are needed behind a gateway. */
export function connectSocket(token: string): BookingSocket {
  return io({ auth: { token }, transports: ['websocket'] });
}

/**
 * Every command waits 10 s for its ack (then answers `TIMEOUT`) and retries `BUSY` with jittered
 * backoff, as the protocol allows, before reporting it.
 */
export function bookingCommands(socket: BookingSocket): BookingCommands {
  return createCommander<ClientToServerEvents>(socket, { timeoutMs: 10_000 });
}
