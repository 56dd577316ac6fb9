/**
 * The periodic session check, on every namespace of this node (docs/protocol.md v3: a socket is
 * disconnected within 5 seconds of its user losing the staff role or of its tokens being revoked,
 * on every namespace). A role change or a revocation already disconnects the user's sockets on
 * every node through the adapter; this check is what still holds when the role was changed
 * straight in the database or that message was lost: a demoted staff member's `/` socket would
 * otherwise keep the staff powers its handshake gave it (staff-only fields, acting for others)
 * until its token expired.
 *
 * Every period, every socket of this node that carries a signed-in session is checked against its
 * user (batched queries of at most `BATCH` users); a socket whose token version or role no longer
 * matches is disconnected. Sockets without a session (a room display's) are skipped.
 */
import type { Namespace } from 'socket.io';
import type { AuthService, Session } from '../auth/auth.service';
import type { Logger } from '../infra/logger';
import type { IoServer, SocketData } from './socket-types';

/** Period of the check (the contract asks for at most 5 s). */
export const SESSION_CHECK_MS = 2000;
/** Users per database query of one pass. */
const BATCH = 1000;

export interface SessionCheck {
  stop(): void;
  /** One pass now (the timer's work; for tests). */
  runOnce(): Promise<void>;
}

type AnyNamespace = Pick<Namespace, 'name' | 'sockets'>;

function sessionOf(data: unknown): Pick<Session, 'principal' | 'tokenVersion'> | null {
  if (!data || typeof data !== 'object') return null;
  const d = data as Partial<SocketData>;
  return d.principal && typeof d.tokenVersion === 'number'
    ? { principal: d.principal, tokenVersion: d.tokenVersion }
    : null;
}

export function startSessionCheck(opts: {
  io: IoServer;
  auth: Pick<AuthService, 'revoked'>;
  logger: Logger;
  intervalMs?: number;
}): SessionCheck {
  const log = opts.logger.child({ part: 'session-check' });
  // The main namespace exists from the start; the others as they are created.
  const namespaces = new Set<AnyNamespace>([opts.io.of('/')]);
  opts.io.on('new_namespace', (nsp) => namespaces.add(nsp));

  let checking = false;
  const runOnce = async (): Promise<void> => {
    // Skip a tick rather than pile up when a pass is slower than the period.
    if (checking) return;
    checking = true;
    try {
      const sockets = [...namespaces].flatMap((nsp) => [...nsp.sockets.values()]);
      // One session per user and token version: a user's sockets share their answer.
      const distinct = new Map<string, Pick<Session, 'principal' | 'tokenVersion'>>();
      for (const socket of sockets) {
        const s = sessionOf(socket.data);
        if (s) distinct.set(`${s.principal.id}:${s.tokenVersion}:${s.principal.role}`, s);
      }
      const sessions = [...distinct.values()];
      const revoked = new Set<string>();
      for (let i = 0; i < sessions.length; i += BATCH) {
        for (const id of await opts.auth.revoked(sessions.slice(i, i + BATCH))) revoked.add(id);
      }
      if (revoked.size === 0) return;
      for (const socket of sockets) {
        const s = sessionOf(socket.data);
        if (!s || !revoked.has(s.principal.id)) continue;
        log.info({ userId: s.principal.id, nsp: socket.nsp.name }, 'session no longer valid; disconnecting');
        socket.disconnect(true);
      }
    } catch (err) {
      log.warn({ err }, 'session check failed; the next pass retries');
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void runOnce(), opts.intervalMs ?? SESSION_CHECK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer), runOnce };
}
