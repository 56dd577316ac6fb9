/**
 * The `/admin` Socket.IO namespace: a handshake for staff and (v3) managers of at least one
 * resource, the admin commands, and the periodic `stats` push. Each node pushes stats only to its
 * *own* sockets, so each gets one `stats` per period however many nodes there are; the figures
 * cover every node, whole for staff, restricted to their resources for a manager.
 */
import type { AdminClientToServerEvents, Stats } from '@booking/shared';
import type { Principal } from '../infra/contract';
import type { AuthService } from '../auth/auth.service';
import type { BookingCommands } from '../booking/booking.effects';
import type { Clock } from '../infra/clock';
import type { Logger } from '../infra/logger';
import type { ResourceService } from '../resources/resource.service';
import { registerSessionHandlers } from '../auth/session.handlers';
import type { CommandLimits } from '../transport/command-budget';
import { commandRegistrar } from '../transport/command-registrar';
import type { CommandCounter } from '../transport/command-registrar';
import type { ConnectionTracker } from '../transport/connection-cap';
import type { InFlight } from '../transport/in-flight';
import { attachSession, renewSession } from '../transport/session-expiry';
import { authMiddleware } from '../transport/socket-auth';
import { adminNamespace } from '../transport/namespaces';
import type { IoServer, SocketData } from '../transport/socket-types';
import { ADMIN_STAFF_ROOM, adminGroupRoom } from '../infra/channels';
import type { AccessAdmin } from './admin.access';
import { registerAdminHandlers } from './admin.handlers';
import type { AdminScope } from './admin.scope';
import type { AdminService } from './admin.service';
import type { AdminCommandSet } from './admin.handlers';
import { TUNABLES } from '../infra/tunables';

export interface AdminNamespaceHandle {
  /** Stops the stats timer (the namespace itself closes with the server). */
  stop(): void;
}

export function registerAdminNamespace(opts: {
  io: IoServer;
  auth: AuthService;
  admin: AdminService;
  access: AccessAdmin;
  bookings: BookingCommands;
  resources: ResourceService;
  clock: Clock;
  logger: Logger;
  limiter: CommandLimits;
  connections: ConnectionTracker;
  count: CommandCounter;
  inFlight: InFlight;
  /** (v3) Who may open the namespace and what a manager's commands and figures reach. */
  scope: AdminScope;
  /** (v3) Commands of other capabilities (integrations). */
  commandSets?: readonly AdminCommandSet[];
  /** Period of the `stats` push (default 3 s; the contract asks for at most 5 s). */
  statsIntervalMs?: number;
}): AdminNamespaceHandle {
  const nsp = adminNamespace(opts.io);
  const log = opts.logger.child({ nsp: '/admin' });
  const { scope } = opts;
  // (v3) Staff, or a manager of at least one resource now.
  nsp.use(authMiddleware(opts.auth, (principal) => scope.admits(principal), opts.connections));
  /** Stats as each socket may see them: whole for staff, a manager's computed once per set of managed resources. */
  const scopedStats = async (principals: readonly Principal[]): Promise<Stats[]> => {
    const full = await opts.admin.stats();
    const keys = await Promise.all(principals.map((p) => scope.managed(p)));
    const byKey = new Map<string, Promise<Stats>>();
    return Promise.all(
      keys.map((ids) => {
        if (ids === null) return full;
        const key = [...ids].sort().join(',');
        let stats = byKey.get(key);
        if (!stats) byKey.set(key, (stats = opts.admin.restrict(full, ids)));
        return stats;
      }),
    );
  };
  nsp.on('connection', (socket) => {
    if (!attachSession(socket, opts.connections)) return;
    // (v3) Where `slot:changed` reaches it: staff hear every resource, a manager their groups'.
    const { principal } = socket.data as SocketData;
    void socket.join(principal.role === 'staff' ? [ADMIN_STAFF_ROOM] : (principal.groups ?? []).map(adminGroupRoom));
    const on = commandRegistrar<AdminClientToServerEvents>({
      socket,
      logger: log,
      limiter: opts.limiter,
      count: opts.count,
      inFlight: opts.inFlight,
    });
    registerSessionHandlers(on, opts.auth, renewSession);
    registerAdminHandlers(on, {
      auth: opts.auth,
      admin: opts.admin,
      access: opts.access,
      bookings: opts.bookings,
      resources: opts.resources,
      clock: opts.clock,
      scope,
      ...(opts.commandSets ? { commandSets: opts.commandSets } : {}),
    });
    // A fresh dashboard should not wait a whole period for its first figures.
    scopedStats([principal]).then(
      ([stats]) => {
        if (stats) socket.emit('stats', stats);
      },
      (err: unknown) => log.warn({ err }, 'stats for a new staff socket failed'),
    );
  });

  let running = false;
  const push = async () => {
    // Skip a tick rather than pile up when a computation is slower than the period.
    if (running || nsp.sockets.size === 0) return;
    running = true;
    try {
      // This node's own sockets only (`nsp.sockets` is local): each gets the figures it may see.
      const sockets = [...nsp.sockets.values()];
      const stats = await scopedStats(sockets.map((s) => (s.data as SocketData).principal));
      sockets.forEach((s, i) => {
        const figures = stats[i];
        if (figures) s.emit('stats', figures);
      });
    } catch (err) {
      log.warn({ err }, 'stats push failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void push(), opts.statsIntervalMs ?? TUNABLES.statsIntervalMs);
  timer.unref();

  // Staff powers end within seconds of the role: the socket layer's session check
  // (`transport/session-check.ts`) runs on every namespace, this one included.
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
