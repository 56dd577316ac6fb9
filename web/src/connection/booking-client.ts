/** The page's typed Socket.IO connection and its command function (the shared one, bound). */
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { createCommander, keepSessionFresh } from '@booking/client';
import type { ClientToServerEvents, ServerToClientEvents } from '@booking/shared';
import type { Commander } from '@booking/client';
import { loadAuth, saveAuth } from '../auth/auth-api';

export type BookingSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type BookingCommands = Commander<ClientToServerEvents>;

/**
 * Same origin as the page; websocket only, so no sticky sessions are needed behind a gateway.
 * The token is renewed on this socket a few minutes before it expires and stored again, so an
 * open page (and a reload later) stays signed in without asking.
 */
export function connectSocket(token: string): BookingSocket {
  const socket: BookingSocket = io({ auth: { token }, transports: ['websocket'] });
  keepSessionFresh({
    socket,
    token,
    onToken: (fresh) => {
      const stored = loadAuth();
      if (stored && stored.user.id === fresh.user.id) saveAuth({ ...stored, token: fresh.token });
    },
  });
  return socket;
}

/**
 * Every command waits 10 s for its ack (then answers `TIMEOUT`) and retries `BUSY` with jittered
 * backoff, as the protocol allows, before reporting it.
 */
export function bookingCommands(socket: BookingSocket): BookingCommands {
  return createCommander<ClientToServerEvents>(socket, { timeoutMs: 10_000 });
}
