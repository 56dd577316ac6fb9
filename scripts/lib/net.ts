/**
 * Network helpers shared by the stack, the gateway, the embedded stores and the tests: free ports
 * (get-port), "is this port free / listening" checks, and polling a condition with a deadline.
 */
import { createConnection, createServer } from 'node:net';
import getPort from 'get-port';

const HOST = '127.0.0.1';

/**
 * A port free on 127.0.0.1: `preferred` when it is free, any other otherwise. get-port keeps
 * every port it hands out locked for 15-30 s, so two calls in one process (two nodes of a stack,
 * say) never get the same port even before either listens.
 */
export function freePort(preferred?: number): Promise<number> {
  return getPort({ host: HOST, ...(preferred === undefined ? {} : { port: preferred }) });
}

/** Whether nothing listens on `port` (127.0.0.1) right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, HOST, () => srv.close(() => resolve(true)));
  });
}

/** Whether something accepts TCP connections on `port` (127.0.0.1) right now. */
export function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ port, host: HOST });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/** Polls `check` until it returns true; throws after the deadline or as soon as `abort` says so. */
export async function pollUntil(
  check: () => Promise<boolean> | boolean,
  opts: { timeoutMs: number; what: string; intervalMs?: number; abort?: () => Error | null },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const reason = opts.abort?.();
    if (reason) throw reason;
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 200));
  }
}

/** Waits until something accepts TCP connections on the port; `gaveUp` ends the wait early. */
export function waitForPort(port: number, timeoutMs: number, gaveUp: () => boolean = () => false): Promise<void> {
  return pollUntil(() => portAccepts(port), {
    timeoutMs,
    what: `something to listen on ${HOST}:${port}`,
    intervalMs: 50,
    abort: () => (gaveUp() ? new Error(`the process meant to listen on ${port} exited`) : null),
  });
}

/** True when GET `url` answers 200 within 2 s. */
export async function answers200(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}
