/** Embedded Redis for `npm start` and the tests: the system `redis-server` on a port of our own. */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { freePort, waitForPort } from './net';

export interface EmbeddedRedis {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
  /** Starts it again on the same port (tests use this to simulate an outage). */
  restart(): Promise<void>;
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

export async function startRedis(
  opts: { port?: number; dir?: string; persist?: boolean; args?: string[] } = {},
): Promise<EmbeddedRedis> {
  const bin = redisServerPath();
  const port = opts.port ?? (await freePort());
  const dir = opts.dir;
  if (dir) mkdirSync(dir, { recursive: true });
  let child: ChildProcess | null = null;

  const launch = async (): Promise<void> => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      opts.persist ? 'yes' : 'no',
      '--maxmemory-policy',
      'noeviction',
      '--daemonize',
      'no',
      ...(dir ? ['--dir', dir] : []),
      ...(opts.args ?? []),
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
