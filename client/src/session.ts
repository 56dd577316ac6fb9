/**
 * Silent token refresh for the page and the dashboard. Tokens live one hour and the server
 * disconnects a socket when its token expires, so a client renews a few minutes before: it sends
 * `session:refresh` on its own socket (which also moves that connection's expiry), keeps the new
 * token for reconnects (`socket.auth`) and hands it to `onToken` to store. A failed attempt is
 * retried every 30 s until the token expires; after that the server disconnects the socket and
 * the client signs in again, as before.
 */
import type { AuthResult } from '@booking/shared';
import { sendCommand } from './command';
import type { AckSocket } from './command';

/** Renew this long before expiry (or at 80% of a shorter remaining lifetime). */
const RENEW_BEFORE_MS = 5 * 60_000;
const RETRY_MS = 30_000;

/** The `exp` of a JWT, in epoch ms; null when it cannot be read (the client then never renews). */
export function tokenExpiry(token: string): number | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json: unknown = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof json === 'object' && json !== null && 'exp' in json && typeof json.exp === 'number'
      ? json.exp * 1000
      : null;
  } catch {
    return null;
  }
}

/** When to renew a token expiring at `expiresAt`, seen at `now`. */
export function renewDelay(expiresAt: number, now: number): number {
  const left = expiresAt - now;
  return Math.max(1000, left > RENEW_BEFORE_MS * 2 ? left - RENEW_BEFORE_MS : left * 0.8);
}

/** The socket as the refresh needs it: commands, its reconnect credentials, and its events. */
export interface RefreshableSocket extends AckSocket {
  auth: unknown;
  connected: boolean;
  on(event: 'disconnect', listener: (reason: string) => void): unknown;
}

/** Map of the one command used here, for the shared typed sender. */
interface RefreshCommand {
  'session:refresh': (payload: Record<string, never>, ack: (res: { ok: true; data: AuthResult }) => void) => void;
}

/**
 * Keeps `socket`'s token fresh until the client closes the socket or `stop()` is called. Returns
 * the stop function.
 */
export function keepSessionFresh(opts: {
  socket: RefreshableSocket;
  token: string;
  onToken?: (auth: AuthResult) => void;
  now?: () => number;
}): () => void {
  const now = opts.now ?? Date.now;
  let expiresAt = tokenExpiry(opts.token);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void renew(), ms);
  };
  const renew = async () => {
    if (stopped || expiresAt === null) return;
    if (opts.socket.connected) {
      const res = await sendCommand<RefreshCommand, 'session:refresh'>(
        opts.socket,
        'session:refresh',
        {},
        { timeoutMs: 10_000, busyRetry: false },
      );
      if (res.ok) {
        opts.socket.auth = { token: res.data.token };
        expiresAt = tokenExpiry(res.data.token);
        opts.onToken?.(res.data);
        if (expiresAt !== null) schedule(renewDelay(expiresAt, now()));
        return;
      }
    }
    if (expiresAt > now()) schedule(Math.min(RETRY_MS, Math.max(1000, expiresAt - now())));
  };

  if (expiresAt !== null) schedule(renewDelay(expiresAt, now()));
  opts.socket.on('disconnect', (reason) => {
    // The client closed it on purpose (sign-out, page teardown): nothing left to renew.
    if (reason === 'io client disconnect') stop();
  });
  function stop() {
    stopped = true;
    clearTimeout(timer);
  }
  return stop;
}
