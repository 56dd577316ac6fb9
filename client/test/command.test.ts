/**
 * The shared command function against a real Socket.IO server on port 0 (no booking logic:
 * each event answers what the test scripts), through a real socket.io-client socket.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { ErrorCode } from '@booking/shared';
import { ClientErrorCode, createCommander, describeError, emitRaw, errorSentences, sendCommand } from '@booking/client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '@booking/shared';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const booking = {
  id: 'b1',
  resourceId: 'r1',
  userId: 'u1',
  start: '2030-01-01T10:00:00.000Z',
  end: '2030-01-01T11:00:00.000Z',
  status: 'active' as const,
  createdAt: '2029-12-31T00:00:00.000Z',
  updatedAt: '2029-12-31T00:00:00.000Z',
};

let server: Server;
let url: string;
let socket: ClientSocket;
/** Commands the server received, by event. */
let received: Record<string, number>;
/** How many `booking:create`s answer BUSY before one succeeds. */
let busyFor: number;

beforeAll(async () => {
  const http = createServer();
  server = new Server(http);
  server.on('connection', (s) => {
    s.onAny((event: string) => {
      received[event] = (received[event] ?? 0) + 1;
    });
    s.on('booking:create', (_payload: unknown, ack: (res: Ack<{ booking: typeof booking }>) => void) => {
      if ((received['booking:create'] ?? 0) <= busyFor)
        ack({ ok: false, error: { code: 'BUSY', message: 'lock taken' } });
      else ack({ ok: true, data: { booking } });
    });
    s.on('booking:cancel', (_payload: unknown, ack: (res: Ack<never>) => void) => {
      ack({ ok: false, error: { code: 'INVALID_STATE', message: 'already cancelled' } });
    });
    s.on('bookings:mine', () => {
      // Never acked: the client's timeout has to answer.
    });
    s.on('garbage', (...args: unknown[]) => {
      const ack = args.pop();
      if (typeof ack === 'function') ack({ got: args });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await server.close();
});

beforeEach(async () => {
  received = {};
  busyFor = 0;
  socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
});

afterEach(() => {
  socket.close();
});

/** A sleep that records its delay and returns at once. */
function recordingSleep(into: number[]): (ms: number) => Promise<void> {
  return async (ms) => {
    into.push(ms);
  };
}

describe('sendCommand', () => {
  it('resolves with the ack envelope, success or error, typed by the event map', async () => {
    const ok = await sendCommand<ClientToServerEvents, 'booking:create'>(socket, 'booking:create', {
      resourceId: 'r1',
      start: booking.start,
      end: booking.end,
    });
    expect(ok).toEqual({ ok: true, data: { booking } });
    const refused = await sendCommand<ClientToServerEvents, 'booking:cancel'>(socket, 'booking:cancel', {
      bookingId: 'b1',
    });
    expect(refused).toEqual({ ok: false, error: { code: 'INVALID_STATE', message: 'already cancelled' } });
  });

  it('answers the client-side TIMEOUT, not a server code, when no ack comes in time, and does not retry it', async () => {
    const started = Date.now();
    const res = await sendCommand<ClientToServerEvents, 'bookings:mine'>(
      socket,
      'bookings:mine',
      {},
      { timeoutMs: 150, busyRetry: { sleep: async () => {} } },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(res).toMatchObject({ ok: false, error: { code: ClientErrorCode.TIMEOUT } });
    expect(Object.values<string>(ErrorCode)).not.toContain(ClientErrorCode.TIMEOUT);
    expect(received['bookings:mine']).toBe(1);
    // The socket is still fine afterwards.
    expect(
      (
        await sendCommand<ClientToServerEvents, 'booking:create'>(socket, 'booking:create', {
          resourceId: 'r1',
          start: booking.start,
          end: booking.end,
        })
      ).ok,
    ).toBe(true);
  });

  it('retries BUSY with doubling delays, each jittered within ±50%, until an answer that is not BUSY', async () => {
    const send = createCommander<ClientToServerEvents>(socket);
    const payload = { resourceId: 'r1', start: booking.start, end: booking.end };
    // The ends of the jitter: random() = 0 halves each delay, random() → 1 makes it 1.5×.
    for (const [random, expected] of [
      [0, [50, 100, 200]],
      [0.999, [150, 300, 600]],
    ] as const) {
      received = {};
      busyFor = 3;
      const delays: number[] = [];
      const res = await send('booking:create', payload, {
        busyRetry: { random: () => random, sleep: recordingSleep(delays) },
      });
      expect(res).toEqual({ ok: true, data: { booking } });
      expect(received['booking:create']).toBe(4);
      expect(delays).toEqual(expected);
    }

    // With the real Math.random every delay stays within its bounds, and they are not all alike.
    const firsts: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      received = {};
      busyFor = 2;
      const delays: number[] = [];
      const res = await send('booking:create', payload, {
        busyRetry: { baseDelayMs: 40, sleep: recordingSleep(delays) },
      });
      expect(res.ok).toBe(true);
      expect(delays).toHaveLength(2);
      const [first = -1, second = -1] = delays;
      expect(first).toBeGreaterThanOrEqual(20);
      expect(first).toBeLessThanOrEqual(60);
      expect(second).toBeGreaterThanOrEqual(40);
      expect(second).toBeLessThanOrEqual(120);
      firsts.push(first);
    }
    expect(new Set(firsts).size).toBeGreaterThan(1);
  });

  it('gives up after the attempts with the last BUSY, and sends once when retrying is off', async () => {
    busyFor = 100;
    const delays: number[] = [];
    const payload = { resourceId: 'r1', start: booking.start, end: booking.end };
    const res = await sendCommand<ClientToServerEvents, 'booking:create'>(socket, 'booking:create', payload, {
      busyRetry: { attempts: 3, sleep: recordingSleep(delays) },
    });
    expect(res).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    expect(received['booking:create']).toBe(3);
    expect(delays).toHaveLength(2);

    received = {};
    const once = await sendCommand<ClientToServerEvents, 'booking:create'>(socket, 'booking:create', payload, {
      busyRetry: false,
    });
    expect(once).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    expect(received['booking:create']).toBe(1);
  });

  it('does not retry other error codes', async () => {
    const delays: number[] = [];
    const res = await sendCommand<ClientToServerEvents, 'booking:cancel'>(
      socket,
      'booking:cancel',
      { bookingId: 'b1' },
      { busyRetry: { sleep: recordingSleep(delays) } },
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(received['booking:cancel']).toBe(1);
    expect(delays).toEqual([]);
  });
});

describe('emitRaw', () => {
  it('sends any arguments and reports whether an ack came', async () => {
    expect(await emitRaw(socket, 'garbage', [1, 'two', { three: 3 }], 1000)).toEqual({
      answered: true,
      value: { got: [1, 'two', { three: 3 }] },
    });
    expect(await emitRaw(socket, 'bookings:mine', [{}], 100)).toEqual({ answered: false });
  });
});

describe('errorSentences', () => {
  it('has a sentence for every server code and the client TIMEOUT', () => {
    for (const code of [...Object.values(ErrorCode), ClientErrorCode.TIMEOUT]) {
      expect(errorSentences[code]).toMatch(/\w+/);
      expect(describeError({ code, message: 'detail' })).toContain(errorSentences[code]);
    }
    expect(describeError({ code: 'VALIDATION_ERROR', message: 'end: must be after start' })).toBe(
      'That request was not accepted: end: must be after start',
    );
  });
});
