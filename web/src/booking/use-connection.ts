/**
 * The page's one socket: connection state, the command function, and the only listeners on the
 * socket. `slot:changed`, `resource:changed` and `notification` each have exactly one listener, which hands the event
 * to the page's current handler (kept in a ref, so the listeners never need re-registering).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { describeError, reconnectAfterServerDisconnect } from '@booking/client';
import type { Notification, Resource, SlotChanged } from '@booking/shared';
import { bookingCommands, connectSocket } from '../connection/booking-client';
import type { BookingCommands, BookingSocket } from '../connection/booking-client';

/** How long a closing page waits for the answer to its last words. */
const LAST_WORDS_MS = 2000;

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface LiveHandlers {
  onSlotChanged(event: SlotChanged): void;
  onNotification(notification: Notification): void;
  /** A resource was created or its settings (zone, policy, name) changed. */
  onResourceChanged(resource: Resource): void;
  /** The server refused the token: the page signs out with this sentence. */
  onUnauthorized(why: string): void;
  /**
   * The page is going away: last words on the socket before it closes (a hold let go); the socket
   * closes once the promise answered settles (at most `LAST_WORDS_MS` later).
   */
  onClosing?(socket: BookingSocket): Promise<void> | void;
}

export interface Connection {
  /** Null until the socket exists. */
  send: BookingCommands | null;
  state: ConnectionState;
  /**
   * Grows by one on every (re)connect. Whatever was read before may have missed broadcasts while
   * away, so readers depend on it and read again.
   */
  epoch: number;
}

export function useConnection(token: string, handlers: LiveHandlers): Connection {
  const [socket, setSocket] = useState<BookingSocket | null>(null);
  const [state, setState] = useState<ConnectionState>('connecting');
  const [epoch, setEpoch] = useState(0);
  const live = useRef(handlers);
  live.current = handlers;

  // The socket lives as long as the page; socket.io reconnects on its own.
  useEffect(() => {
    const s = connectSocket(token);
    reconnectAfterServerDisconnect(s); // stops with removeAllListeners() in the cleanup
    setSocket(s);
    const onConnect = () => {
      setState('connected');
      setEpoch((n) => n + 1);
    };
    const onDisconnect = () => {
      setState('disconnected');
      // socket.io reconnects by itself except when the server hung up on purpose (a node
      // shutting down, say): reconnectAfterServerDisconnect (above) tries again through the gateway.
    };
    const onConnectError = (err: Error) => {
      if (err.message === 'UNAUTHORIZED')
        live.current.onUnauthorized(describeError({ code: 'UNAUTHORIZED', message: err.message }));
      else setState('disconnected');
    };
    s.on('connect', onConnect);
    s.on('disconnect', onDisconnect);
    s.on('connect_error', onConnectError);
    s.on('slot:changed', (event) => live.current.onSlotChanged(event));
    s.on('notification', (n) => live.current.onNotification(n));
    s.on('resource:changed', ({ resource }) => live.current.onResourceChanged(resource));
    return () => {
      const last = live.current.onClosing?.(s);
      s.removeAllListeners();
      // A server ignores a command that arrives with the goodbye: the last words are answered first
      // (or given up on after a while), then the socket closes.
      if (!last) s.close();
      else
        void Promise.race([last, new Promise((resolve) => window.setTimeout(resolve, LAST_WORDS_MS))]).then(() =>
          s.close(),
        );
    };
  }, [token]);

  const send = useMemo(() => (socket ? bookingCommands(socket) : null), [socket]);
  return { send, state, epoch };
}
