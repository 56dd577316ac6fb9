/**
 * `npm start` end to end: the real bootstrap → tsx → scripts/start.ts chain, with embedded MongoDB
 * and Redis in a temporary data folder. It must come up (healthz 200), and one SIGINT must stop
 * it with exit code 0 and leave none of the processes it started behind.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { answers200, pollUntil } from '../scripts/lib/net';
import { isAlive } from '../scripts/lib/process-table';
import { readPidFile } from '../scripts/lib/state-dir';
import type { PidFile } from '../scripts/lib/state-dir';

const root = resolve(__dirname, '..');

/** Polls `check` until it returns a value (not undefined); fails after the deadline or as soon as `abort` says so. */
async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined> | T | undefined,
  abort?: () => Error | null,
): Promise<T> {
  let value: T | undefined;
  await pollUntil(async () => (value = await check()) !== undefined, { timeoutMs, what, ...(abort ? { abort } : {}) });
  if (value === undefined) throw new Error(`unreachable: ${what}`);
  return value;
}

describe('npm start', () => {
  let dataDir = '';
  let proc: ChildProcess | null = null;
  let output = '';
  let pids: PidFile | null = null;

  const tail = () => output.split('\n').slice(-40).join('\n');

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'booking-start-'));
  });

  afterAll(() => {
    // Only after a failure is anything left: kill it so the run does not hang.
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    for (const p of pids ? [pids.self, ...pids.processes] : []) {
      for (const target of p.pgid !== undefined ? [p.pid, -p.pgid] : [p.pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('starts the stack, answers /healthz, and stops everything on SIGINT with exit code 0', async () => {
    // The embedded defaults are under test: drop whatever points at outside services.
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v !== undefined && !['MONGO_URL', 'REDIS_URL', 'AUTH_SECRET', 'PORT', 'NODE_ID'].includes(k)) env[k] = v;
    }
    env.BOOKING_DATA_DIR = dataDir;
    env.LOG_LEVEL = 'warn';

    // --no-build: other suites serve web/dist and admin-desktop/dist/renderer (built once by
    // `npm test` before jest) while this one runs, and a rebuild empties them first.
    const child = spawn(
      process.execPath,
      [join(root, 'scripts', 'bootstrap.mjs'), 'node', '--import', 'tsx', 'scripts/start.ts', '--no-build'],
      {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    proc = child;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | string>((resolveExit) => {
      child.once('exit', (code, signal) => resolveExit(code ?? signal ?? 'unknown'));
    });
    const exitedEarly = (): Error | null =>
      child.exitCode !== null || child.signalCode !== null
        ? new Error(`npm start exited early (${child.exitCode ?? child.signalCode}):\n${tail()}`)
        : null;

    const healthz = await waitFor(
      'the printed healthz URL',
      90_000,
      () => /healthz\s+(http:\/\/127\.0\.0\.1:\d+\/healthz)/.exec(output)?.[1],
      exitedEarly,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${tail()}`);
    });
    await pollUntil(() => answers200(healthz), {
      timeoutMs: 90_000,
      what: `${healthz} to answer 200`,
      abort: exitedEarly,
    });
    expect(output).not.toMatch(/building the booking page/);

    const found = await waitFor('pids.json', 10_000, () => readPidFile(join(dataDir, 'pids.json')) ?? undefined);
    pids = found;
    const started = found.processes.map((p) => p.cmdline);
    expect(started.some((c) => c.includes('mongod'))).toBe(true);
    expect(started.some((c) => c.includes('redis-server'))).toBe(true);
    expect(started.filter((c) => c.includes('server/src/main.ts')).length).toBeGreaterThanOrEqual(2);

    child.kill('SIGINT');
    const code = await waitFor('npm start to exit after SIGINT', 60_000, () =>
      child.exitCode !== null || child.signalCode !== null ? exited : undefined,
    );
    expect({ code, output: code === 0 ? '' : tail() }).toEqual({ code: 0, output: '' });

    // Every process it started, and every process group it made, must be gone.
    const targets = [found.self, ...found.processes].flatMap((p) => [
      { target: p.pid, what: `pid ${p.pid} (${p.cmdline})` },
      ...(p.pgid !== undefined ? [{ target: -p.pgid, what: `process group ${p.pgid}` }] : []),
    ]);
    await waitFor('every started process to be gone', 20_000, () =>
      targets.every(({ target }) => !isAlive(target)) ? true : undefined,
    ).catch(() => {
      const left = targets.filter(({ target }) => isAlive(target)).map((t) => t.what);
      throw new Error(`still running after npm start exited:\n${left.join('\n')}`);
    });
  }, 180_000);
});
