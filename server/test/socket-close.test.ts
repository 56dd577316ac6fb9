/**
 * A stopping node's socket layer, in process: once `closeSocketServer` begins, a client with no
 * command in flight is told goodbye at once; one waiting for an answer gets it, and meanwhile a
 * new command of its own is answered BUSY (so the commands in flight can only run out), and is
 * told goodbye right after its answer.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { z } from 'zod';
import type { Ack } from '@booking/shared';
import { createLogger } from '../src/infra/logger';
import { createCommandLimits } from '../src/transport/command-budget';
import { commandRegistrar } from '../src/transport/command-registrar';
import { closeSocketServer } from '../src/transport/drain';
import { createInFlight } from '../src/transport/in-flight';
import type { IoServer } from '../src/transport/socket-types';

type ServerSocket = Parameters<typeof commandRegistrar>[0]['socket'];
import { waitFor } from '../../test/support/wait';

interface TestCommands {
  slow: (payload: { hold: 'a' | 'b' }, ack: (res: Ack<{ done: true }>) => void) => void;
  quick: (payload: Record<string, never>, ack: (res: Ack<{ done: true }>) => void) => void;
}

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

test('a stopping node says goodbye to idle clients at once, and to a busy one right after its answer', async () => {
  const httpServer = createServer();
  const io: IoServer = new Server(httpServer);
  const inFlight = createInFlight();
  const outcomes: string[] = [];
  const holds = { a: gate(), b: gate() };
  io.use((socket, next) => {
    socket.data.principal = { id: 'u1', name: 'One', role: 'user' };
    next();
  });
  const register = (socket: ServerSocket) => {
    const on = commandRegistrar<TestCommands>({
      socket,
      logger: createLogger({ level: 'silent', nodeId: 'socket-close' }),
      limiter: createCommandLimits(),
      count: (event, outcome) => outcomes.push(`${event}:${outcome}`),
      inFlight,
    });
    on('slow', z.object({ hold: z.enum(['a', 'b']) }).strict(), async ({ hold }) => {
      await holds[hold].opened;
      return { done: true as const };
    });
    on('quick', z.object({}).strict(), async () => ({ done: true as const }));
  };
  io.on('connection', register);
  // A second namespace, so one client connection can carry two sockets.
  io.of('/other').use((socket, next) => {
    socket.data.principal = { id: 'u1', name: 'One', role: 'user' };
    next();
  });
  io.of('/other').on('connection', register);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const open = () => connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false });
  const [a, b, idle] = [open(), open(), open()];
  // `b` also speaks on /other over the same connection, and that socket is idle: its goodbye would
  // close the connection, so it must wait for `b`'s answer too.
  const bOther = b.io.socket('/other');
  bOther.connect();
  const goodbye = (c: typeof a) => new Promise<string>((resolve) => c.once('disconnect', (reason) => resolve(reason)));
  try {
    await waitFor('the clients to connect', () => a.connected && b.connected && bOther.connected && idle.connected);
    const [aGone, bGone, idleGone] = [goodbye(a), goodbye(b), goodbye(idle)];
    // Answered before the stop: commands are served normally.
    expect(await a.timeout(2000).emitWithAck('quick', {})).toEqual({ ok: true, data: { done: true } });

    // Caught here so that, should the test fail before they are awaited, closing the clients does
    // not leave a rejection unhandled.
    const slowA = a
      .timeout(5000)
      .emitWithAck('slow', { hold: 'a' })
      .catch((err: unknown) => err);
    const slowB = b
      .timeout(5000)
      .emitWithAck('slow', { hold: 'b' })
      .catch((err: unknown) => err);
    await waitFor('both slow commands to be in flight', () => inFlight.count === 2);
    const closing = closeSocketServer({ io, httpServer, namespaces: ['/', '/other'], inFlight, graceMs: 5000 });

    expect(await idleGone).toBe('io server disconnect');
    expect(await a.timeout(2000).emitWithAck('quick', {})).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    expect(a.connected).toBe(true); // still waiting for its answer

    holds.a.open();
    expect(await slowA).toEqual({ ok: true, data: { done: true } });
    expect(await aGone).toBe('io server disconnect');
    expect(b.connected).toBe(true); // its command is still running: told nothing yet
    expect(bOther.connected).toBe(true); // same connection: not cut from under b's answer

    holds.b.open();
    expect(await slowB).toEqual({ ok: true, data: { done: true } });
    expect(await bGone).toBe('io server disconnect');
    await closing;
    expect(bOther.connected).toBe(false);
    expect(inFlight.count).toBe(0);
    expect(inFlight.byConnection.size).toBe(0);
    expect(outcomes).toEqual(['quick:ok', 'quick:BUSY', 'slow:ok', 'slow:ok']);
  } finally {
    for (const c of [a, b, bOther, idle]) c.close();
    holds.a.open();
    holds.b.open();
    io.close();
  }
});
