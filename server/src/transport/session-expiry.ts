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

function armExpiry(socket: Socket): void {
  clearTimeout(expiryTimers.get(socket));
  const { expiresAt } = socket.data as SocketData;
  const wait = Math.min(Math.max(0, expiresAt - Date.now()), MAX_TIMER_MS);
  const timer = setTimeout(() => {
    if (Date.now() >= (socket.data as SocketData).expiresAt) socket.disconnect(true);
    else armExpiry(socket);
  }, wait);
  timer.unref();
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
