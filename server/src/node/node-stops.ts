/** How a node leaves: fail `/healthz`, keep serving for the drain delay, then close the sockets and HTTP. */
import type { Server as HttpServer } from 'node:http';
import type { Logger } from '../infra/logger';
import type { Lifecycle } from '../infra/process';
import { closeSocketServer } from '../transport/drain';
import type { InFlight } from '../transport/in-flight';
import type { IoServer } from '../transport/socket-types';

/** Set first thing on SIGTERM: /healthz answers 503 so the gateway takes the node out of rotation. */
export interface DrainSwitch {
  draining: boolean;
}

/** Registers the node's last two stops, once it listens (so they run first, in reverse). */
export function registerNodeStops(deps: {
  lifecycle: Lifecycle;
  io: IoServer;
  httpServer: HttpServer;
  inFlight: InFlight;
  drain: DrainSwitch;
  drainDelayMs: number;
  logger: Logger;
}): void {
  const { lifecycle, io, httpServer, inFlight } = deps;
  lifecycle.onStop('sockets and http', () =>
    closeSocketServer({ io, httpServer, namespaces: ['/', '/admin'], inFlight }),
  );
  // Registered last, so it runs first: fail /healthz, then keep serving for the drain delay while
  // the gateway's checks (HAProxy: every 1 s, fall 2) or a readiness probe take the node out.
  lifecycle.onStop('drain', async () => {
    deps.drain.draining = true;
    deps.logger.info({ drainDelayMs: deps.drainDelayMs }, 'draining: /healthz answers 503');
    await new Promise((r) => setTimeout(r, deps.drainDelayMs));
  });
}
