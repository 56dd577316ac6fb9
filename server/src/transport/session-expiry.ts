/**
 * A connected socket's session: counted against the user's cap, in the user's room, and
 * disconnected when its token expires (or when the user's sessions are revoked).
 */
import type { Socket } from 'socket.io';
import { userRoom } from '../infra/channels';
import type { ConnectionTracker } from './connection-cap';
import type { IoServer, SocketData } from './socket-types';

/**
 * On every new connection (both namespaces): count it against the user's cap, join the user's
 * room (the notifier and `revokeSessions` reach every node's sockets of a user through it), and
 * disconnect it when its token expires. `renewSession` moves that moment after a refresh.
 * Returns false when the socket was dropped (over the cap).
 */
export function attachSession(socket: Socket, connections: ConnectionTracker): boolean {
  const data = socket.data as SocketData;
  const userId = data.principal.id;
  if (!connections.add(userId, socket.id)) {
    socket.disconnect(true);
    return false;
  }
  void socket.join(userRoom(userId));
  armExpiry(socket);
  socket.once('disconnect', () => {
    clearTimeout(expiryTimers.get(socket));
    expiryTimers.delete(socket);
    connections.remove(userId, socket.id);
  });
  return true;
}

const expiryTimers = new WeakMap<Socket, NodeJS.Timeout>();
/** setTimeout's longest delay; a later expiry re-arms on the way. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * How long a connection's expiry timer waits: until `expiresAt`, rounded up to a whole second
 * (a token's `exp` is in seconds: the socket closes within a second after it, never before).
 *
 * Node keeps one list per distinct delay in milliseconds. A delay to the millisecond gave every
 * connection a list of its own, and an unreferenced timer's list outlives its clearTimeout until
 * its moment comes: a node whose clients reconnect kept one empty list per connection for the
 * token's hour (the soak's heap grew by ~400 of them every 12 minutes). Whole seconds bound the
 * lists to the seconds of a token's life, and the timers are referenced (their list goes with the
 * last of them; the process's stop closes every socket, which clears them).
 */
export function expiryDelayMs(expiresAt: number, now: number): number {
  return Math.min(Math.ceil(Math.max(0, expiresAt - now) / 1000) * 1000, MAX_TIMER_MS);
}

function armExpiry(socket: Socket): void {
  clearTimeout(expiryTimers.get(socket));
  // A refresh answered after its socket closed: nothing would clear a new timer.
  if (socket.disconnected) return;
  const { expiresAt } = socket.data as SocketData;
  const timer = setTimeout(
    () => {
      if (Date.now() >= (socket.data as SocketData).expiresAt) socket.disconnect(true);
      else armExpiry(socket);
    },
    expiryDelayMs(expiresAt, Date.now()),
  );
  expiryTimers.set(socket, timer);
}

/** After a refresh on this connection: the socket now lives until the new token expires. */
export function renewSession(socket: Socket, expiresAt: number): void {
  (socket.data as SocketData).expiresAt = expiresAt;
  armExpiry(socket);
}

/**
 * Disconnects every socket of one user, in every namespace, on every node (through the adapter):
 * after a role change, deletion or "sign out everywhere". Their reconnect is refused at the
 * handshake, since the token version moved on.
 */
export async function revokeSessions(io: IoServer, userId: string): Promise<void> {
  await Promise.all(['/', '/admin'].map((name) => io.of(name).in(userRoom(userId)).disconnectSockets(true)));
}
