/**
 * `npm start` end to end: the real bootstrap → tsx → scripts/start.ts chain, with embedded MongoDB
 * and Redis in a temporary data folder. It must come up (healthz 200), and one SIGINT must stop
 * it with exit code 0 and leave none of the processes it started behind.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');

interface ProcessRecord {
  pid: number;
  pgid?: number;
  cmdline: string;
}

interface PidFile {
  self: ProcessRecord;
  processes: ProcessRecord[];
}

/** Polls `check` until it returns a value other than undefined; fails after the deadline. */
async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Whether `target` (a pid, or minus a process group id) still names a process. */
function alive(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Process state from /proc ('Z' = zombie: exited, only waiting to be collected), or null if gone. */
function procState(pid: number): { state: string; pgid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgid: Number(fields[2]) };
  } catch {
    return null;
  }
}

/** Still running: signal 0 does not fail with ESRCH, and it is not merely an uncollected zombie. */
function running(target: number): boolean {
  if (!alive(target)) return false;
  if (target > 0) return procState(target)?.state !== 'Z';
  // A process group: running while any member is not a zombie.
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .some((e) => {
      const st = procState(Number(e));
      return st !== null && st.pgid === -target && st.state !== 'Z';
    });
}

function readPidFile(path: string): PidFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as PidFile;
    return typeof parsed.self?.pid === 'number' && Array.isArray(parsed.processes) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  let dataDir = '';
  let proc: ChildProcess | null = null;
  let output = '';
  let pids: PidFile | undefined;

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

    const child = spawn(process.execPath, [join(root, 'scripts', 'bootstrap.mjs'), 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc = child;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | string>((resolveExit) => {
      child.once('exit', (code, signal) => resolveExit(code ?? signal ?? 'unknown'));
    });
    const exitedEarly = () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`npm start exited early (${child.exitCode ?? child.signalCode}):\n${tail()}`);
      }
    };

    const healthz = await waitFor('the printed healthz URL', 90_000, () => {
      exitedEarly();
      return /healthz\s+(http:\/\/127\.0\.0\.1:\d+\/healthz)/.exec(output)?.[1];
    }).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${tail()}`);
    });
    await waitFor(`${healthz} to answer 200`, 90_000, async () => {
      exitedEarly();
      return (await healthy(healthz)) ? true : undefined;
    });

    pids = await waitFor('pids.json', 10_000, () => readPidFile(join(dataDir, 'pids.json')));
    const started = pids.processes.map((p) => p.cmdline);
    expect(started.some((c) => c.includes('mongod'))).toBe(true);
    expect(started.some((c) => c.includes('redis-server'))).toBe(true);
    expect(started.filter((c) => c.includes('server/src/main.ts')).length).toBeGreaterThanOrEqual(2);

    child.kill('SIGINT');
    const code = await waitFor('npm start to exit after SIGINT', 60_000, () =>
      child.exitCode !== null || child.signalCode !== null ? exited : undefined,
    );
    expect({ code, output: code === 0 ? '' : tail() }).toEqual({ code: 0, output: '' });

    // Every process it started, and every process group it made, must be gone.
    const targets = [pids.self, ...pids.processes].flatMap((p) => [
      { target: p.pid, what: `pid ${p.pid} (${p.cmdline})` },
      ...(p.pgid !== undefined ? [{ target: -p.pgid, what: `process group ${p.pgid}` }] : []),
    ]);
    await waitFor('every started process to be gone', 20_000, () =>
      targets.every(({ target }) => !running(target)) ? true : undefined,
    ).catch(() => {
      const left = targets.filter(({ target }) => running(target)).map((t) => t.what);
      throw new Error(`still running after npm start exited:\n${left.join('\n')}`);
    });
  }, 180_000);
});
