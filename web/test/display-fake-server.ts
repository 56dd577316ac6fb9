/**
 * A stand-in for OUR server's `/display` namespace, for the display page's rendering tests only:
 * it serves the built pages (web/dist, under the real security headers and CSP) and speaks the
 * contract of `DisplayClientToServerEvents` / `DisplayServerToClientEvents` with states and answers
 * the test chooses. It can stop and start again on the same port (offline, reconnection) and
 * revoke a key (disconnect, then `UNAUTHORIZED` at the handshake). The display against the real
 * server is tested in display-live.browser.test.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { Server } from 'socket.io';
import type { Socket } from 'socket.io';
import type { Ack, DisplayClientToServerEvents, DisplayServerToClientEvents, DisplayState } from '@booking/shared';
import { securityHeaders } from '../../server/src/transport/http';

type Namespace = ReturnType<Server<DisplayClientToServerEvents, DisplayServerToClientEvents>['of']>;

export interface ReceivedCommand {
  event: keyof DisplayClientToServerEvents;
  payload: unknown;
}

export interface FakeDisplayServer {
  readonly url: string;
  /** Keys that may connect. */
  readonly tokens: Set<string>;
  /** Every command a display sent, in order. */
  readonly commands: ReceivedCommand[];
  /** Handshakes tried so far (refused ones included). */
  handshakes: number;
  /** What the next commands are answered with (default: `{ok: true, data: {}}`). */
  answer: (command: ReceivedCommand) => Ack<unknown>;
  /** Sends `state` to every display now and to each that connects later. */
  setState(state: DisplayState): void;
  /** Closes everything (the page sees its connection drop); `start()` listens on the same port again. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Takes a key away: its displays are disconnected and refused from now on. */
  revoke(token: string): void;
}

const DIST = join(__dirname, '..', 'dist');
const EVENTS: Array<keyof DisplayClientToServerEvents> = [
  'display:checkIn',
  'display:bookNow',
  'display:extend',
  'display:endEarly',
];

export async function startFakeDisplayServer(initial: DisplayState): Promise<FakeDisplayServer> {
  let state = initial;
  let port = 0;
  let io: Server<DisplayClientToServerEvents, DisplayServerToClientEvents> | null = null;
  let ns: Namespace | null = null;
  const app = express();
  app.use(securityHeaders());
  app.use(express.static(DIST, { index: 'index.html' }));

  const fake: FakeDisplayServer = {
    url: '',
    tokens: new Set(),
    commands: [],
    handshakes: 0,
    answer: () => ({ ok: true, data: {} }),
    setState(next) {
      state = next;
      ns?.emit('display:state', next);
    },
    async stop() {
      const closing = io;
      io = null;
      ns = null;
      if (closing) await new Promise<void>((resolve) => void closing.close(() => resolve()));
    },
    async start() {
      const http = createServer(app);
      io = new Server(http, { transports: ['websocket'] });
      ns = io.of('/display');
      ns.use((socket, next) => {
        fake.handshakes += 1;
        const token: unknown = socket.handshake.auth.displayToken;
        if (typeof token === 'string' && fake.tokens.has(token)) next();
        else next(new Error('UNAUTHORIZED'));
      });
      ns.on('connection', (socket) => {
        socket.emit('display:state', state);
        // Listened to untyped: the fake answers whatever the test chose, not what the map says.
        const raw = socket as unknown as Socket;
        for (const event of EVENTS)
          raw.on(event, (payload: unknown, ack: (res: Ack<unknown>) => void) => {
            const command = { event, payload };
            fake.commands.push(command);
            ack(fake.answer(command));
          });
      });
      await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
      port = (http.address() as AddressInfo).port;
      Object.assign(fake, { url: `http://127.0.0.1:${port}` });
    },
    revoke(token) {
      fake.tokens.delete(token);
      for (const socket of ns?.sockets.values() ?? [])
        if (socket.handshake.auth.displayToken === token) socket.disconnect(true);
    },
  };
  await fake.start();
  return fake;
}
