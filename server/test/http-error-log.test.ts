/**
 * A failed request is logged with its route pattern, never its path (issue 22, item 9): a calendar
 * feed's path holds the feed's token, its only key. The real HTTP app and calendar routes, a feed
 * service that fails unexpectedly, and a logger whose lines the test reads.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { AuthService } from '../src/auth/auth.service';
import { calendarRouter } from '../src/calendar/calendar.routes';
import type { CalendarService } from '../src/calendar/calendar.service';
import { createHttpApp } from '../src/transport/http';

const lines: string[] = [];
let server: Server;
let base = '';

const failing = (): never => {
  throw new Error('store exploded');
};

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const calendar: CalendarService = {
    create: async () => failing(),
    revokeAll: async () => failing(),
    serve: async () => failing(),
    bookingChanged: async () => undefined,
    settingsChanged: async () => undefined,
  };
  const auth = {} as AuthService;
  const app = createHttpApp({
    logger,
    nodeId: 'log-test',
    healthy: async () => true,
    trustProxy: [],
    routers: [calendarRouter({ auth, calendar })],
  });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('an unexpected failure of a feed poll logs the route pattern, not the token', async () => {
  const token = 'Sx7Kq2Vb9Lm4Np8Rt1Wy5Za3Cd6Fg0Hj2Kl4Mn6Pq8R';
  const res = await fetch(`${base}/api/calendar/feeds/${token}.ics`);
  expect(res.status).toBe(500);
  expect(await res.text()).not.toContain(token);
  const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request failed');
  expect(logged).toMatchObject({ method: 'GET', route: '/api/calendar/feeds/:file' });
  expect(lines.join('\n')).not.toContain(token);
});
