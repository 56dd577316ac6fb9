/**
 * (v3) The `/display` namespace: a room display connects with `auth: {displayToken}` (a missing,
 * unknown or revoked token fails with UNAUTHORIZED), joins its own room and its resource's, gets
 * `display:state` (display.live.ts) and sends the four display commands through the transport's
 * command registrar (ack envelope, payload validation, the per-socket and per-account budgets).
 * A revoked display is disconnected on every node at once (the adapter's `disconnectSockets` on its
 * room) and, should that message be lost, by this node's check every `checkMs` (default 2 s).
 */
import { DisplayBookNow, DisplayBookingRef, DisplayExtend, ErrorCode } from '@booking/shared';
import type { Booking, DisplayClientToServerEvents } from '@booking/shared';
import type { Socket } from 'socket.io';
import type { AfterCommit } from '../booking/booking.effects';
import type { Committed } from '../booking/booking.types';
import type { Logger } from '../infra/logger';
import type { CommandLimits } from '../transport/command-budget';
import { commandRegistrar } from '../transport/command-registrar';
import type { CommandCounter } from '../transport/command-registrar';
import type { InFlight } from '../transport/in-flight';
import { displayNamespace } from '../transport/namespaces';
import type { DisplayNamespace } from '../transport/namespaces';
import type { IoServer, SocketData } from '../transport/socket-types';
import type { DisplayBookingOps } from './display.bookings';
import { displayResourceRoom } from './display.live';
import type { DisplayLive } from './display.live';
import type { DisplayIdentity, DisplayService } from './display.service';

/** The room of one display on `/display` (its revocation disconnects it on every node). */
export const displayRoom = (displayId: string): string => `display:${displayId}`;

/** Period of the revocation check (the contract asks for at most 5 s). */
export const DISPLAY_CHECK_MS = 2000;

type DisplaySocketData = SocketData & { display?: DisplayIdentity };

/** Disconnects displays on every node, through the adapter. */
export function disconnectDisplays(io: IoServer, displayIds: readonly string[]): void {
  if (displayIds.length === 0) return;
  displayNamespace(io).in(displayIds.map(displayRoom)).disconnectSockets(true);
}

function identityOf(socket: { data: unknown }): DisplayIdentity | undefined {
  return (socket.data as DisplaySocketData).display;
}

export interface DisplayNamespaceHandle {
  stop(): void;
}

export function registerDisplayNamespace(opts: {
  io: IoServer;
  displays: DisplayService;
  live: (nsp: DisplayNamespace) => DisplayLive;
  ops: DisplayBookingOps;
  afterCommit: AfterCommit;
  logger: Logger;
  limiter: CommandLimits;
  count: CommandCounter;
  inFlight: InFlight;
  checkMs?: number;
}): DisplayNamespaceHandle {
  const nsp = displayNamespace(opts.io);
  const log = opts.logger.child({ nsp: '/display' });
  const live = opts.live(nsp);

  nsp.use((socket, next) => {
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.displayToken;
    opts.displays.authenticate(token).then(
      (identity) => {
        if (!identity) return next(new Error(ErrorCode.UNAUTHORIZED));
        const data = socket.data as DisplaySocketData;
        data.principal = identity.principal;
        data.display = identity;
        next();
      },
      (err: unknown) => {
        log.warn({ err }, 'display handshake could not be checked');
        next(new Error(ErrorCode.INTERNAL));
      },
    );
  });

  /** A command's answer after its effects (broadcast, cache, relay), and this node's displays told at once. */
  const applied = async (resourceId: string, committed: Committed<Booking>): Promise<{ booking: Booking }> => {
    await opts.afterCommit(committed.changes);
    live.refresh(resourceId);
    return { booking: committed.result };
  };

  nsp.on('connection', (socket) => {
    const identity = identityOf(socket);
    if (!identity) return void socket.disconnect(true);
    const { displayId, resourceId, principal } = identity;
    void socket.join([displayRoom(displayId), displayResourceRoom(resourceId)]);
    void opts.displays.touch(displayId).catch((err: unknown) => log.warn({ err }, 'lastSeenAt not stamped'));
    void live.watch(resourceId).then(() => live.sendNow(resourceId));
    socket.on('disconnect', () => live.unwatch(resourceId));
    const on = commandRegistrar<DisplayClientToServerEvents>({
      socket: socket as unknown as Socket,
      logger: log,
      limiter: opts.limiter,
      count: opts.count,
      inFlight: opts.inFlight,
    });
    const ref = { principal, resourceId };
    on('display:checkIn', DisplayBookingRef, async (d) =>
      applied(resourceId, await opts.ops.checkIn({ ...ref, bookingId: d.bookingId })),
    );
    on('display:bookNow', DisplayBookNow, async (d) =>
      applied(resourceId, await opts.ops.walkIn({ ...ref, minutes: d.minutes })),
    );
    on('display:extend', DisplayExtend, async (d) =>
      applied(resourceId, await opts.ops.extend({ ...ref, bookingId: d.bookingId, minutes: d.minutes })),
    );
    on('display:endEarly', DisplayBookingRef, async (d) =>
      applied(resourceId, await opts.ops.endEarly({ ...ref, bookingId: d.bookingId })),
    );
  });

  // The revocation check: this node's display sockets against the store.
  let checking = false;
  const check = async (): Promise<void> => {
    if (checking || nsp.sockets.size === 0) return;
    checking = true;
    try {
      const sockets = [...nsp.sockets.values()];
      const ids = [...new Set(sockets.flatMap((s) => identityOf(s)?.displayId ?? []))];
      const revoked = await opts.displays.revokedAmong(ids);
      for (const s of sockets) {
        const id = identityOf(s)?.displayId;
        if (id && revoked.has(id)) {
          log.info({ displayId: id }, 'display revoked; disconnecting');
          s.disconnect(true);
        }
      }
    } catch (err) {
      log.warn({ err }, 'display check failed; the next pass retries');
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), opts.checkMs ?? DISPLAY_CHECK_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      live.stop();
    },
  };
}
