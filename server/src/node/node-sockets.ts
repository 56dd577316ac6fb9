/** The main namespace (`/`) of a node: what every connection gets, and the other nodes' notices. */
import type { ClientToServerEvents } from '@booking/shared';
import type { AuthService } from '../auth/auth.service';
import { registerSessionHandlers } from '../auth/session.handlers';
import { registerAvailabilityHandlers } from '../availability/availability.handlers';
import type { AvailabilityService } from '../availability/availability.service';
import type { SlotFinder } from '../availability/slot-finder';
import type { BookingCommands } from '../booking/booking.effects';
import { registerBookingHandlers } from '../booking/booking.handlers';
import { registerWaitlistHandlers } from '../waitlist/waitlist.handlers';
import type { WaitlistService } from '../waitlist/waitlist.service';
import type { Logger } from '../infra/logger';
import type { ResourceDirectory } from '../resources/resource.directory';
import { registerResourceHandlers } from '../resources/resource.handlers';
import type { ResourceService } from '../resources/resource.service';
import type { CommandLimits } from '../transport/command-budget';
import { commandRegistrar } from '../transport/command-registrar';
import type { CommandCounter } from '../transport/command-registrar';
import type { ConnectionTracker } from '../transport/connection-cap';
import type { InFlight } from '../transport/in-flight';
import { attachSession, renewSession } from '../transport/session-expiry';
import { hearEveryResource, recheckWatchRooms, registerSlotWatchHandlers } from '../transport/slot-watch.handlers';
import type { IoServer, SocketData } from '../transport/socket-types';
import type { AccessGate } from '../access/resource-access';

export function serveMainNamespace(deps: {
  io: IoServer;
  connections: ConnectionTracker;
  logger: Logger;
  limiter: CommandLimits;
  count: CommandCounter;
  inFlight: InFlight;
  auth: AuthService;
  directory: ResourceDirectory;
  resources: ResourceService;
  availability: AvailabilityService;
  slots: SlotFinder;
  /** The booking commands as `/` offers them (an unverified account may not book there). */
  bookings: BookingCommands;
  waitlist: WaitlistService;
  /** (v3) Who may view and book what. */
  access: AccessGate;
}): void {
  const { io, logger, limiter, count, inFlight } = deps;
  io.on('resources:changed', () => {
    deps.directory.invalidate();
    // (v3) Another node changed a resource, maybe its access: this node's watchers re-checked.
    void recheckWatchRooms(
      () => io.of('/').sockets.values(),
      () => deps.directory.all(),
    ).catch((err: unknown) => logger.warn({ err }, 're-checking watched rooms failed'));
  });
  io.on('connection', (socket) => {
    // Joins the user's room (the notifier reaches a user's sockets on every node through it),
    // arms the token-expiry disconnect and counts the connection against the user's cap.
    if (!attachSession(socket, deps.connections)) return;
    // Every resource's slot:changed until the client sends slots:watch.
    hearEveryResource(socket, (socket.data as SocketData).principal);
    const on = commandRegistrar<ClientToServerEvents>({ socket, logger, limiter, count, inFlight });
    registerSessionHandlers(on, deps.auth, renewSession);
    registerResourceHandlers(on, deps.resources);
    registerAvailabilityHandlers(on, { availability: deps.availability, slots: deps.slots, access: deps.access });
    registerBookingHandlers(on, deps.bookings);
    registerWaitlistHandlers(on, deps.waitlist);
    registerSlotWatchHandlers(on, deps.access);
  });
}
