/** A real HTTP receiver on 127.0.0.1 for the webhook tests and bench: records every request, answers as told. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** performance.now() when the body had arrived. */
  at: number;
  /** Date.now() at the same moment (to compare with the event's `timestamp`). */
  wall: number;
  status: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** How to answer a request (default 200). */
  answer: (req: Omit<Received, 'status' | 'at' | 'wall'>) => number | Promise<number>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const r: Receiver = { url: '', received, answer: () => 200, close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const seen = { path: req.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8') };
      void Promise.resolve(r.answer(seen)).then((status) => {
        received.push({ ...seen, at: performance.now(), wall: Date.now(), status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
      });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return r;
}

/** The parsed body of a delivery. */
export function eventOf(r: Received): {
  type: string;
  timestamp: string;
  data: { booking?: { id: string; resourceId: string } };
} {
  return JSON.parse(r.body) as {
    type: string;
    timestamp: string;
    data: { booking?: { id: string; resourceId: string } };
  };
}
