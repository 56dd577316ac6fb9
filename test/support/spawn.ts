/**
 * The one way a test starts a real server process: a node (`server/src/main.ts`, what
 * `npm run server` runs) or the notifier (`server/src/notifier-main.ts`), in a process group of its
 * own, on the run's MongoDB and Redis with a database and a Redis prefix of its own. It runs the
 * bundle the global setup compiled from that source for the run (the production image's build:
 * scripts/lib/build-server.mjs), or, outside a jest run with that setup, the source under tsx's
 * loader as `npm start` runs it (scripts/lib/child-group.ts says why not the tsx CLI).
 *
 * No process outlives its test file: every one still running is stopped in an `afterAll` this
 * module registers, SIGKILLed on the worker's exit, and kills itself once the worker is gone
 * (test/support/exit-with-parent.cjs) for a worker ended by a signal.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnGroup, tsEntry } from '../../scripts/lib/child-group';
import type { ChildGroup, Exit } from '../../scripts/lib/child-group';
import { answers200, freePort, pollUntil } from '../../scripts/lib/net';
import { TEST_SECRET, testUrls, uniqueName, withDb } from './env';

export type { Exit } from '../../scripts/lib/child-group';

const ROOT = join(__dirname, '..', '..');
const ENTRIES = {
  node: join('server', 'src', 'main.ts'),
  notifier: join('server', 'src', 'notifier-main.ts'),
} as const;
const PRELOAD = join(__dirname, 'exit-with-parent.cjs');
const BUNDLED = { node: 'main.js', notifier: 'notifier-main.js' } as const;

/** How to run a server of this kind: the given compiled entry, the run's bundle, or the source under tsx. */
function command(kind: ServerKind, compiledEntry: string | undefined): { command: string; args: string[] } {
  const bundle = process.env.TEST_SERVER_BUNDLE;
  const entry = compiledEntry ?? (bundle ? join(bundle, 'bin', BUNDLED[kind]) : undefined);
  if (!entry) return tsEntry(ENTRIES[kind], { preload: [pathToFileURL(PRELOAD).href] });
  return { command: process.execPath, args: ['--enable-source-maps', '--require', PRELOAD, entry] };
}
/** Output lines kept per process (a notifier at `info` writes one per job). */
const KEEP_LINES = 5000;

export type ServerKind = keyof typeof ENTRIES;

export interface ServerProcessOptions {
  kind: ServerKind;
  /** Database name, and with `:` the Redis prefix; default a fresh unique name. */
  db?: string;
  /** NODE_ID (MongoDB's appName, the prefix of its Redis client names); default `<db>-<kind>`. */
  nodeId?: string;
  /** PORT; default a free one. */
  port?: number;
  /** Added to (and overriding) the test environment. */
  env?: Record<string, string>;
  /** Run with PATH and `env` only, for tests of the configuration itself. */
  bareEnv?: boolean;
  /** Resolve only once it is ready (see `ServerProcess.ready`); default true. */
  waitReady?: boolean;
  /**
   * Run this compiled JavaScript entry with plain `node` instead of the TypeScript source under
   * tsx (the production image's way; scripts/lib/build-server.mjs makes it).
   */
  compiledEntry?: string;
}

export interface ServerLine {
  stream: 'out' | 'err';
  line: string;
  /** ms since spawn. */
  at: number;
}

export interface ServerProcess {
  kind: ServerKind;
  db: string;
  nodeId: string;
  port: number;
  /** `http://127.0.0.1:<port>` (a node's; a notifier serves nothing there, only /healthz on its HEALTH_PORT when given one). */
  url: string;
  /** The REDIS_PREFIX it was given. */
  prefix: string;
  /** The environment it was given. */
  env: Record<string, string>;
  pid: number | undefined;
  /** `Date.now()` at the spawn; line times (`ServerLine.at`) count from it. */
  startedAt: number;
  /** Settles when it has exited (never rejects). */
  exited: Promise<Exit>;
  running(): boolean;
  /** Lines it wrote so far, oldest first (the last 5000). */
  lines(): ServerLine[];
  /**
   * The first line, already written or still to come, that `match` accepts. Rejects when the
   * process exits first or after `timeoutMs`.
   */
  waitForLine(what: string, match: (line: ServerLine) => boolean, timeoutMs?: number): Promise<ServerLine>;
  /** A node: /healthz answers 200. The notifier: it logged `notifier ready`. Rejects if it exits first. */
  ready(timeoutMs?: number): Promise<void>;
  /** Sends `sig` to its process group. */
  signal(sig: NodeJS.Signals): void;
  /** SIGCONT + SIGTERM to the group, SIGKILL after 10 s; resolves with how it ended. */
  stop(): Promise<Exit>;
}

/** The `msg` of a pino JSON log line, if it is one. */
export function logMessage(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    const msg: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'msg') : undefined;
    return typeof msg === 'string' ? msg : undefined;
  } catch {
    return undefined;
  }
}

const live = new Set<ChildGroup>();
process.once('exit', () => {
  for (const child of live) child.signal('SIGKILL');
});
// Registered when a test file imports this module: jest gives every file a module registry of its
// own, and hooks must be declared while the file is collected.
afterAll(async () => {
  await Promise.all([...live].map((child) => child.stop()));
}, 30_000);

export async function spawnServerProcess(opts: ServerProcessOptions): Promise<ServerProcess> {
  const db = opts.db ?? uniqueName(opts.kind);
  const nodeId = opts.nodeId ?? `${db}-${opts.kind}`;
  const port = opts.port ?? (await freePort());
  const env: Record<string, string> = opts.bareEnv
    ? { PATH: process.env.PATH ?? '', ...opts.env }
    : {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: String(port),
        MONGO_URL: withDb(testUrls().mongo, db),
        REDIS_URL: testUrls().redis,
        REDIS_PREFIX: `${db}:`,
        AUTH_SECRET: TEST_SECRET,
        NODE_ID: nodeId,
        STAFF_EMAIL: 'staff@example.com',
        STAFF_PASSWORD: 'staff-password',
        LOG_LEVEL: 'info',
        // Nothing routes by these nodes' health unless a test says so: stop without waiting.
        DRAIN_DELAY_MS: '0',
        ...opts.env,
      };

  const lines: ServerLine[] = [];
  const waiters = new Set<(line: ServerLine) => void>();
  const spawnedAt = Date.now();
  const child = spawnGroup({
    ...command(opts.kind, opts.compiledEntry),
    cwd: ROOT,
    env,
    onLine: (line, stream) => {
      const entry = { stream, line, at: Date.now() - spawnedAt };
      lines.push(entry);
      if (lines.length > KEEP_LINES) lines.shift();
      for (const waiter of waiters) waiter(entry);
    },
  });
  live.add(child);
  void child.exited.then(() => live.delete(child));

  const tail = (): string =>
    lines
      .slice(-20)
      .map((l) => `  ${l.line}`)
      .join('\n');
  const exitError = (what: string, exit: Exit): Error =>
    new Error(
      `${nodeId} (${opts.kind}) ended (${exit.error?.message ?? exit.signal ?? `code ${exit.code}`}) before ${what}; its last lines:\n${tail()}`,
    );

  const waitForLine = (what: string, match: (line: ServerLine) => boolean, timeoutMs = 60_000): Promise<ServerLine> => {
    const seen = lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<ServerLine>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(onLine);
      };
      const onLine = (line: ServerLine): void => {
        if (!match(line)) return;
        done();
        resolve(line);
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${nodeId} to write ${what}; its last lines:\n${tail()}`,
          ),
        );
      }, timeoutMs);
      waiters.add(onLine);
      void child.exited.then((exit) => {
        // Lines still in the pipe are read before 'exit' settles this, so a last line counts.
        if (!waiters.has(onLine)) return;
        done();
        reject(exitError(what, exit));
      });
    });
  };

  const url = `http://127.0.0.1:${port}`;
  let exit: Exit | null = null;
  void child.exited.then((e) => (exit = e));
  const ready = async (timeoutMs = 60_000): Promise<void> => {
    if (opts.kind === 'notifier') {
      await waitForLine('"notifier ready"', (l) => logMessage(l.line) === 'notifier ready', timeoutMs);
      return;
    }
    await pollUntil(() => answers200(`${url}/healthz`), {
      timeoutMs,
      what: `${nodeId} to answer ${url}/healthz with 200`,
      intervalMs: 100,
      abort: () => (exit ? exitError('answering /healthz', exit) : null),
    });
  };

  const proc: ServerProcess = {
    kind: opts.kind,
    db,
    nodeId,
    port,
    url,
    prefix: env.REDIS_PREFIX ?? '',
    env,
    pid: child.pid,
    startedAt: spawnedAt,
    exited: child.exited,
    running: () => child.running(),
    lines: () => [...lines],
    waitForLine,
    ready,
    signal: (sig) => child.signal(sig),
    stop: () => child.stop(),
  };
  if (opts.waitReady ?? true) await ready();
  return proc;
}
