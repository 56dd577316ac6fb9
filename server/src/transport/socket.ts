/**
 * The socket layer's public face for the capabilities' handler files, which import from here:
 * each concern lives in its own module (new code imports those directly).
 *
 * - `socket-types.ts`: `SocketData`, `InterServerEvents`, `IoServer`
 * - `socket-server.ts`: `createSocketServer` (adapter, limits, handshake and session checks)
 * - `connection-cap.ts`: the per-user connection cap
 * - `socket-auth.ts`: the handshake check
 * - `session-expiry.ts`: a connected socket's session (cap, room, expiry, revocation)
 * - `command-registrar.ts`: validated commands and their `CommandOn` type
 * - `command-budget.ts`: the command budgets
 * - `in-flight.ts` and `drain.ts`: commands in flight and the stop that waits for them
 * - `listen.ts`: binding the port
 */
export type { InterServerEvents, IoServer, SocketData } from './socket-types';
export { createSocketServer, stopSessionCheck } from './socket-server';
export type { SocketLayerOptions } from './socket-server';
export { CONNECTIONS_PER_USER, createConnectionTracker } from './connection-cap';
export type { ConnectionTracker } from './connection-cap';
export { authMiddleware } from './socket-auth';
export { attachSession, renewSession, revokeSessions } from './session-expiry';
export { commandRegistrar } from './command-registrar';
export type { CommandContext, CommandCounter, CommandOn } from './command-registrar';
export { createCommandLimits, REDIS_BUDGET_TIMEOUT_MS } from './command-budget';
export type { Budget, CommandLimits } from './command-budget';
export { createInFlight } from './in-flight';
export type { InFlight } from './in-flight';
export { closeSocketServer } from './drain';
export { listen } from './listen';
