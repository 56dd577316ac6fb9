/**
 * Coming back after the server hung up on purpose. Socket.IO clients reconnect by themselves after
 * a lost connection, but not after the server's own `disconnect` ("io server disconnect"), which
 * is what a draining node says to every socket before it exits (a rolling restart, a scale-down).
 * Then the client connects again, through the gateway, to whichever node is in rotation; its
 * 'connect' handlers resync what it shows (availability re-read on reconnect, version gaps).
 *
 * A short random delay spreads the reconnects of every socket a node drained at once. A socket
 * whose handshake is then refused (a revoked token: UNAUTHORIZED) sees `connect_error` as usual.
 */

/** The part of a Socket.IO client socket this needs (any typed `Socket` fits). */
export interface ReconnectableSocket {
  readonly connected: boolean;
  connect(): unknown;
  on(event: 'disconnect', listener: (reason: string) => void): unknown;
  off(event: 'disconnect', listener: (reason: string) => void): unknown;
  listeners(event: 'disconnect'): unknown[];
}

export interface ReconnectOptions {
  /** Least wait before reconnecting (default 100 ms). */
  minDelayMs?: number;
  /** Most wait before reconnecting; the wait is uniform in between (default 1000 ms). */
  maxDelayMs?: number;
  /** Random numbers in [0, 1) (default `Math.random`; tests pass a seeded one). */
  random?: () => number;
}

/**
 * Reconnects `socket` after every "io server disconnect", following a random wait in
 * [minDelayMs, maxDelayMs]. Stops when the returned function is called, or once its listener is
 * removed from the socket (`removeAllListeners()` before `close()`): a socket its owner gave up
 * on is never opened again.
 */
export function reconnectAfterServerDisconnect(socket: ReconnectableSocket, opts: ReconnectOptions = {}): () => void {
  const min = opts.minDelayMs ?? 100;
  const max = Math.max(min, opts.maxDelayMs ?? 1000);
  const random = opts.random ?? Math.random;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onDisconnect = (reason: string): void => {
    if (reason !== 'io server disconnect') return;
    clearTimeout(timer);
    timer = setTimeout(
      () => {
        timer = undefined;
        if (socket.connected || !socket.listeners('disconnect').includes(onDisconnect)) return;
        socket.connect();
      },
      min + Math.floor(random() * (max - min)),
    );
  };
  socket.on('disconnect', onDisconnect);
  return () => {
    clearTimeout(timer);
    socket.off('disconnect', onDisconnect);
  };
}
