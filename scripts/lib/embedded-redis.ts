/** Embedded Redis for `npm start` and the tests: the system `redis-server` on a port of our own. */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';

export interface EmbeddedRedis {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
  /** Starts it again on the same port (tests use this to simulate an outage). */
  restart(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function redisServerPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (!found) {
    throw new Error(
      'redis-server is not installed: on Debian/Ubuntu `apt-get install redis-server`, on macOS `brew install redis`; or set REDIS_URL',
    );
  }
  return found;
}

export async function startRedis(opts: { port?: number; dir?: string; persist?: boolean } = {}): Promise<EmbeddedRedis> {
  const bin = redisServerPath();
  const port = opts.port ?? (await freePort());
  const dir = opts.dir;
  if (dir) mkdirSync(dir, { recursive: true });
  let child: ChildProcess | null = null;

  const launch = async (): Promise<void> => {
    const args = [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--save', '',
      '--appendonly', opts.persist ? 'yes' : 'no',
      '--maxmemory-policy', 'noeviction',
      '--daemonize', 'no',
      ...(dir ? ['--dir', dir] : []),
    ];
    const proc = spawn(bin, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child = proc;
    await waitForPort(port, 15_000, () => proc.exitCode !== null);
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const killer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      proc.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  };

  await launch();
  return { url: `redis://127.0.0.1:${port}`, port, stop, restart: launch };
}

/** Waits until something accepts TCP connections on the port. */
export async function waitForPort(port: number, timeoutMs: number, gaveUp: () => boolean = () => false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = createConnection({ port, host: '127.0.0.1' });
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (gaveUp()) throw new Error(`the process meant to listen on ${port} exited`);
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
