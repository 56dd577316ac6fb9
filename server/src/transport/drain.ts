import type { Server as HttpServer } from 'node:http';
import type { InFlight } from './in-flight';
import { stopSessionCheck } from './socket-server';
import type { IoServer } from './socket-types';
import { TUNABLES } from '../infra/tunables';

/**
 * Stops the Socket.IO server and its HTTP server. First it stops accepting (the listener closes,
 * new handshakes are refused) and tells goodbye to every client of the named namespaces that has
 * no command in flight (they see "io server disconnect" and reconnect elsewhere); each other
 * client is told as soon as its commands are answered (`InFlight`), so no client loses an ack it
 * could have had, for up to `graceMs`; then the rest are told too. The server then waits, up to
 * `graceMs`, for those connections to close: `io.close()` cuts the ones still open without
 * flushing, which would lose the goodbye still in their write buffers. HTTP connections still
 * open after another `graceMs` are cut.
 */
export async function closeSocketServer(opts: {
  io: IoServer;
  httpServer: HttpServer;
  namespaces: string[];
  graceMs?: number;
  inFlight?: InFlight;
}): Promise<void> {
  const graceMs = opts.graceMs ?? TUNABLES.drainGraceMs;
  stopSessionCheck(opts.io);
  opts.httpServer.close();
  opts.io.engine.opts.allowRequest = (_req, callback) => callback('server is stopping', false);
  const inFlight = opts.inFlight;
  if (inFlight) {
    inFlight.stopping = true;
    for (const name of opts.namespaces) {
      for (const socket of [...opts.io.of(name).sockets.values()])
        if (!inFlight.byConnection.has(socket.client)) socket.disconnect(true);
    }
  }
  const answered = Date.now() + graceMs;
  while ((inFlight?.count ?? 0) > 0 && Date.now() < answered) await new Promise((r) => setTimeout(r, 10));
  for (const name of opts.namespaces) opts.io.of(name).local.disconnectSockets(true);
  const deadline = Date.now() + graceMs;
  while (opts.io.engine.clientsCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const cut = setTimeout(() => opts.httpServer.closeAllConnections(), graceMs);
  await new Promise<void>((resolve) => {
    opts.io.close(() => resolve());
    opts.httpServer.closeIdleConnections();
  });
  clearTimeout(cut);
}
