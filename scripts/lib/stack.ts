/**
 * The local multi-process stack behind `npm start`, reusable by the gateway and the benchmarks:
 * embedded MongoDB and Redis (or the ones given by URL), N server nodes and, when it exists, the
 * notification service, each a supervised child process whose output is prefixed with its name.
 *
 * Start order: MongoDB → Redis → server nodes + notifier (in parallel) → every node's /healthz
 * answers 200. Stop order is the reverse: children first (SIGTERM, SIGKILL after 10 s), then
 * Redis, then MongoDB, so no node loses its stores while it is still shutting down.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { startMongo } from './embedded-mongo';
import { freePort, startRedis } from './embedded-redis';
import { startGateway } from './gateway';
import { startMailCatcher } from './mail-catcher';

/** Where the stack's messages and its children's prefixed lines go. */
export interface StackOutput {
  out(line: string): void;
  err(line: string): void;
}

export interface StackOptions {
  /** Repository root: children run there and `node_modules/.bin/tsx` is found there. */
  root: string;
  /** Holds the embedded stores' data and `ports.json`, `secret`, `pids.json`. */
  dataDir: string;
  /** One server node per name (its NODE_ID). Default `node-a`, `node-b`. */
  nodeIds?: readonly string[];
  /** An external MongoDB replica set; when set no mongod is started. */
  mongoUrl?: string;
  /** An external Redis; when set no redis-server is started. */
  redisUrl?: string;
  /** Signs tokens; default: a random one kept in `<dataDir>/secret` so tokens survive restarts. */
  authSecret?: string;
  /** Staff account created at start (PROTOCOL.md STAFF_EMAIL / STAFF_PASSWORD). */
  staff?: { email: string; password: string };
  logLevel?: string;
  /** Where the notifier sends mail; when unset a local mail catcher is started and used. */
  smtpUrl?: string;
  /** Extra environment for every child (e.g. `BOOKING_LOCKS=off` for a benchmark). */
  env?: Record<string, string>;
  /** Front the nodes with the HAProxy gateway (default true); its URL becomes the booking page. */
  gateway?: boolean;
  /** Run the notification service (and its mail catcher) when it exists (default true). */
  notifier?: boolean;
  /** How long every node gets to answer /healthz 200 (default 90 s). */
  healthTimeoutMs?: number;
  /** When set, `pids.json`-style record of every process the stack runs is kept there. */
  pidFile?: string;
  output?: StackOutput;
  /** Aborting it during start stops what was started and rejects with an AbortError. */
  signal?: AbortSignal;
}

export interface NodeUrls {
  nodeId: string;
  port: number;
  /** The booking page. */
  url: string;
  admin: string;
  healthz: string;
}

export interface StackUrls {
  /** The booking page: the gateway's URL (the first node's when run without a gateway). */
  booking: string;
  /** The gateway in front of the nodes, when it runs. */
  gateway?: string;
  admin: string;
  nodes: NodeUrls[];
  mongo: string;
  redis: string;
  /** The local mail catcher's page (only when it runs: notifier present, no SMTP_URL given). */
  mail?: string;
}

export interface Stack {
  urls: StackUrls;
  /** The environment every child got (useful for seed scripts and benchmarks). */
  env: Record<string, string>;
  /** Settles when a child crashed too often to be restarted; the stack is then degraded. */
  failed: Promise<Error>;
  /** Everything the stack started that is still alive (Linux: the whole process tree). */
  processes(): ProcessRecord[];
  /** Stops children, then Redis, then MongoDB. Safe to call more than once. */
  stop(): Promise<void>;
  /** Last resort from a `process.on('exit')` handler: SIGKILL everything, synchronously. */
  killNow(): void;
}

export interface ProcessRecord {
  pid: number;
  /** Process group, when it differs from ours (the node children lead their own groups). */
  pgid?: number;
  cmdline: string;
}

export interface PidFile {
  /** The orchestrating process itself. */
  self: ProcessRecord;
  processes: ProcessRecord[];
}

const STOP_GRACE_MS = 10_000;
const RESTART_WINDOW_MS = 60_000;
const MAX_RESTARTS_PER_WINDOW = 5;
const DEFAULT_NODE_IDS = ['node-a', 'node-b'] as const;

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

/** Appends a database name to a MongoDB URL whose path names none (keeps hosts and options). */
export function withDatabase(url: string, db: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?(\?.*)?$/.exec(url);
  if (!match) throw new Error(`not a MongoDB URL: ${url}`);
  const [, base = '', path = '', query = ''] = match;
  return path === '' || path === '/' ? `${base}/${db}${query}` : url;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, path);
}

type Ports = Partial<Record<'mongo' | 'redis' | 'gateway', number>>;

function readPorts(path: string): Ports {
  const raw = readJson(path);
  const ports: Ports = {};
  if (typeof raw !== 'object' || raw === null) return ports;
  for (const key of ['mongo', 'redis', 'gateway'] as const) {
    const value: unknown = Reflect.get(raw, key);
    if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536) ports[key] = value;
  }
  return ports;
}

/** The random AUTH_SECRET kept in the data folder, created the first time. */
export function persistentSecret(path: string): string {
  if (existsSync(path)) {
    const secret = readFileSync(path, 'utf8').trim();
    if (secret.length >= 32) return secret;
  }
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping

interface ProcInfo {
  pid: number;
  /** One letter; `Z` for a zombie. */
  state: string;
  ppid: number;
  pgid: number;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0] ?? '', ppid: Number(fields[1]), pgid: Number(fields[2]) };
  } catch {
    return null;
  }
}

function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/** Every live descendant of `root` (Linux /proc; elsewhere an empty list). */
export function descendants(root: number): ProcessRecord[] {
  if (process.platform !== 'linux') return [];
  const byParent = new Map<number, ProcInfo[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProc(Number(entry));
    if (!info) continue;
    const siblings = byParent.get(info.ppid) ?? [];
    siblings.push(info);
    byParent.set(info.ppid, siblings);
  }
  const ownGroup = readProc(root)?.pgid;
  const found: ProcessRecord[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of byParent.get(pid) ?? []) {
      queue.push(child.pid);
      found.push({
        pid: child.pid,
        ...(child.pgid !== ownGroup ? { pgid: child.pgid } : {}),
        cmdline: cmdlineOf(child.pid),
      });
    }
  }
  return found;
}

/**
 * Whether `target` (a pid, or minus a process group id) names a running process. Zombies count
 * as gone: where PID 1 does not reap orphans they linger, holding no port or file.
 */
function isAlive(target: number): boolean {
  try {
    process.kill(target, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  if (target > 0) return readProc(target)?.state !== 'Z';
  return readdirSync('/proc').some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    const info = readProc(Number(entry));
    return info !== null && info.pgid === -target && info.state !== 'Z';
  });
}

function sendSignal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

function readPidFile(path: string): PidFile | null {
  const raw = readJson(path);
  const isRecord = (v: unknown): v is ProcessRecord =>
    typeof v === 'object' && v !== null && typeof Reflect.get(v, 'pid') === 'number' && typeof Reflect.get(v, 'cmdline') === 'string';
  if (typeof raw !== 'object' || raw === null) return null;
  const self: unknown = Reflect.get(raw, 'self');
  const processes: unknown = Reflect.get(raw, 'processes');
  if (!isRecord(self) || !Array.isArray(processes)) return null;
  return { self, processes: processes.filter(isRecord) };
}

/**
 * A previous run that died without cleaning up (SIGKILL, power cut of the terminal) leaves its
 * children running: redis-server and the node groups do not watch their parent. Stop those that
 * are still the very same command line; refuse when the previous orchestrator itself still runs.
 */
async function reapLeftovers(pidFile: string, log: (line: string) => void): Promise<void> {
  const previous = readPidFile(pidFile);
  if (!previous) return;
  if (previous.self.pid !== process.pid && isAlive(previous.self.pid) && cmdlineOf(previous.self.pid) === previous.self.cmdline) {
    throw new Error(`another stack (pid ${previous.self.pid}) is running on this data folder; stop it first`);
  }
  const leftovers = previous.processes.filter((p) => p.cmdline !== '' && cmdlineOf(p.pid) === p.cmdline);
  if (leftovers.length > 0) {
    log(`stopping ${leftovers.length} process(es) left over by a previous run`);
    for (const p of leftovers) sendSignal(p.pid, 'SIGTERM');
    try {
      await pollUntil(() => leftovers.every((p) => !isAlive(p.pid)), { timeoutMs: 10_000, what: 'leftovers to exit' });
    } catch {
      for (const p of leftovers) sendSignal(p.pid, 'SIGKILL');
    }
  }
  rmSync(pidFile, { force: true });
}

const RELAY_ENV = 'BOOKING_STACK_RELAYED';

/**
 * Makes the stack's process the leader of its own process group, by running this very script
 * again as a detached child and relaying signals and the exit code to it. Returns true in the
 * process that should go on and start the stack (it calls `onRelayGone` if the relay dies, e.g.
 * by SIGKILL, so the stack still stops), false in the relay.
 *
 * Why: a terminal's Ctrl-C signals the whole foreground process group at once. mongod and
 * redis-server are spawned into our group by their helpers, so they would start shutting down
 * while the nodes still use them, and a replica-set mongod interrupted that way hangs in its
 * step-down until it is killed. In a group of our own only our handler sees the signal and the
 * stop order holds.
 */
export function leadOwnProcessGroup(onRelayGone: () => void): boolean {
  if (process.platform !== 'linux' || readProc(process.pid)?.pgid === process.pid) {
    if (process.env[RELAY_ENV] === '1' && process.channel) {
      process.channel.unref();
      process.once('disconnect', onRelayGone);
    }
    delete process.env[RELAY_ENV]; // not for our children
    return true;
  }
  const script = process.argv[1];
  if (!script) return true;
  const child = spawn(process.execPath, [...process.execArgv, script, ...process.argv.slice(2)], {
    detached: true,
    // The IPC channel is only there to close when this relay dies.
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [RELAY_ENV]: '1' },
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    });
  }
  child.once('error', (err) => {
    process.stderr.write(`could not start ${script}: ${err.message}\n`);
    process.exit(1);
  });
  child.once('exit', (code, sig) => process.exit(code ?? 128 + (sig ? osConstants.signals[sig] : 1)));
  return false;
}

// ---------------------------------------------------------------------------------------------
// Supervised children

interface Supervised {
  name: string;
  pid(): number | undefined;
  stop(): Promise<void>;
  killNow(): void;
}

/** Own process groups (POSIX) so a stop reaches tsx's node child too, and a terminal's Ctrl-C does not. */
const OWN_GROUP = process.platform !== 'win32';

function pipeLines(stream: Readable | null, write: (line: string) => void): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', write);
}

/**
 * Runs `command args` and restarts it when it dies unexpectedly, at most 5 times a minute; after
 * that it gives up and calls `onGiveUp`.
 */
function supervise(spec: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Put before each line of the child's output. */
  prefix: string;
  output: StackOutput;
  /** The stack's own messages about this child. */
  log(line: string): void;
  onSpawn(): void;
  onGiveUp(err: Error): void;
}): Supervised {
  let child: ChildProcess | null = null;
  let stopping = false;
  const restarts: number[] = [];
  const say = spec.log;

  const target = (pid: number) => (OWN_GROUP ? -pid : pid);

  const launch = (): void => {
    const proc = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: OWN_GROUP,
    });
    child = proc;
    pipeLines(proc.stdout, (line) => spec.output.out(`${spec.prefix}${line}`));
    pipeLines(proc.stderr, (line) => spec.output.err(`${spec.prefix}${line}`));
    let ended = false;
    const onEnd = (why: string, retry: boolean): void => {
      if (ended) return;
      ended = true;
      if (child === proc) child = null;
      // tsx's node child normally exits before tsx itself; kill any straggler of the group.
      if (OWN_GROUP && proc.pid !== undefined) sendSignal(-proc.pid, 'SIGKILL');
      if (stopping) return;
      const now = Date.now();
      while (restarts.length > 0 && (restarts[0] ?? now) <= now - RESTART_WINDOW_MS) restarts.shift();
      if (!retry || restarts.length >= MAX_RESTARTS_PER_WINDOW) {
        const err = new Error(`${spec.name} ${why}; ${retry ? `restarted ${restarts.length} times within a minute, ` : ''}giving up`);
        say(err.message);
        spec.onGiveUp(err);
        return;
      }
      restarts.push(now);
      say(`${spec.name} ${why}; restarting it (${restarts.length}/${MAX_RESTARTS_PER_WINDOW} this minute)`);
      launch();
    };
    proc.once('error', (err) => onEnd(`could not run: ${err.message}`, false));
    proc.once('exit', (code, sig) => onEnd(`exited unexpectedly (${sig ?? `code ${code}`})`, true));
    spec.onSpawn();
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    const proc = child;
    if (!proc || proc.pid === undefined) return;
    const pid = proc.pid;
    const exited = new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.once('exit', () => resolve());
    });
    sendSignal(target(pid), 'SIGTERM');
    const killer = setTimeout(() => {
      say(`${spec.name} did not stop within ${STOP_GRACE_MS / 1000} s; killing it`);
      sendSignal(target(pid), 'SIGKILL');
    }, STOP_GRACE_MS);
    await exited;
    clearTimeout(killer);
    if (OWN_GROUP) {
      sendSignal(-pid, 'SIGKILL');
      try {
        await pollUntil(() => !isAlive(-pid), { timeoutMs: 5000, what: 'its process group to end', intervalMs: 50 });
      } catch {
        say(`${spec.name}: process group ${pid} still runs 5 s after SIGKILL`);
      }
    }
  };

  launch();
  return {
    name: spec.name,
    pid: () => child?.pid,
    stop,
    killNow() {
      stopping = true;
      const pid = child?.pid;
      if (pid !== undefined) sendSignal(target(pid), 'SIGKILL');
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The stack

function abortError(): Error {
  const err = new Error('start aborted');
  err.name = 'AbortError';
  return err;
}

const defaultOutput: StackOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export async function startStack(opts: StackOptions): Promise<Stack> {
  const output = opts.output ?? defaultOutput;
  const nodeIds = opts.nodeIds ?? DEFAULT_NODE_IDS;
  if (nodeIds.length === 0) throw new Error('a stack needs at least one server node');
  const notifierEntry = join(opts.root, 'server', 'src', 'notifier-main.ts');
  const withNotifier = (opts.notifier ?? true) && existsSync(notifierEntry);
  const width = Math.max('stack'.length, ...nodeIds.map((n) => n.length), withNotifier ? 'notifier'.length : 0);
  const prefixFor = (name: string) => `${name.padEnd(width)} | `;
  const log = (line: string) => output.out(`${prefixFor('stack')}${line}`);

  mkdirSync(opts.dataDir, { recursive: true });
  const portsFile = join(opts.dataDir, 'ports.json');
  const ports = readPorts(portsFile);

  // What was started so far. Stop order: children (in parallel), then the stores in reverse.
  const stores: Array<{ name: string; stop(): Promise<void> }> = [];
  const children: Supervised[] = [];
  let stopped: Promise<void> | null = null;

  const processes = (): ProcessRecord[] => {
    const tree = descendants(process.pid);
    const known = new Set(tree.map((p) => p.pid));
    // Off Linux the tree is unknown; at least name the children we spawned ourselves.
    for (const c of children) {
      const pid = c.pid();
      if (pid !== undefined && !known.has(pid)) tree.push({ pid, ...(OWN_GROUP ? { pgid: pid } : {}), cmdline: c.name });
    }
    return tree;
  };
  const recordPids = (): void => {
    if (!opts.pidFile) return;
    const file: PidFile = { self: { pid: process.pid, cmdline: cmdlineOf(process.pid) }, processes: processes() };
    writeJsonAtomic(opts.pidFile, file);
  };

  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      const errors: unknown[] = [];
      if (children.length > 0) log(`stopping ${children.map((c) => c.name).join(', ')}`);
      for (const r of await Promise.allSettled(children.map((c) => c.stop()))) {
        if (r.status === 'rejected') errors.push(r.reason);
      }
      for (const store of [...stores].reverse()) {
        log(`stopping ${store.name}`);
        try {
          await store.stop();
        } catch (err) {
          errors.push(err);
        }
      }
      if (opts.pidFile) {
        if (processes().length === 0) rmSync(opts.pidFile, { force: true });
        else recordPids();
      }
      if (errors.length > 0) throw new Error(`stop failed: ${errors.map(String).join('; ')}`);
    })();
    return stopped;
  };

  let giveUp: (err: Error) => void = () => {};
  const failed = new Promise<Error>((resolve) => {
    giveUp = resolve;
  });
  let fatal: Error | null = null;
  // Ends every wait of the start: on abort, on a child given up, and once stop() began.
  const abortReason = (): Error | null => (opts.signal?.aborted || stopped ? abortError() : fatal);
  const checkpoint = (): void => {
    const reason = abortReason();
    if (reason) throw reason;
  };

  try {
    if (opts.pidFile) await reapLeftovers(opts.pidFile, log);

    // MongoDB. The replica set config names host:port, so an embedded mongod keeps its port.
    let mongoBase = opts.mongoUrl;
    if (!mongoBase) {
      const port = ports.mongo ?? (await freePort());
      try {
        // A mongod of a run that just died may still be shutting down (its watchdog stops it).
        await pollUntil(() => portIsFree(port), { timeoutMs: 10_000, what: `port ${port}`, intervalMs: 250 });
      } catch {
        throw new Error(
          `port ${port} (MongoDB's, kept in ${portsFile}) is in use; stop what uses it, or delete ${opts.dataDir} to start afresh`,
        );
      }
      log(`starting MongoDB on port ${port}`);
      const mongo = await startMongo({ dbPath: join(opts.dataDir, 'mongo'), port });
      stores.push({ name: 'MongoDB', stop: () => mongo.stop() });
      ports.mongo = mongo.port;
      writeJsonAtomic(portsFile, ports);
      mongoBase = mongo.url;
    }
    checkpoint();

    // Redis. Its port is kept too, so clients of a previous run find it again.
    let redisUrl = opts.redisUrl;
    if (!redisUrl) {
      const port = ports.redis !== undefined && (await portIsFree(ports.redis)) ? ports.redis : await freePort();
      log(`starting Redis on port ${port}`);
      const redis = await startRedis({ port, dir: join(opts.dataDir, 'redis'), persist: true });
      stores.push({ name: 'Redis', stop: () => redis.stop() });
      ports.redis = redis.port;
      writeJsonAtomic(portsFile, ports);
      redisUrl = redis.url;
    }
    recordPids();
    checkpoint();

    const mongoUrl = withDatabase(mongoBase, 'booking');
    const env: Record<string, string> = {
      HOST: '127.0.0.1',
      MONGO_URL: mongoUrl,
      REDIS_URL: redisUrl,
      AUTH_SECRET: opts.authSecret ?? persistentSecret(join(opts.dataDir, 'secret')),
      STAFF_EMAIL: opts.staff?.email ?? 'staff@example.com',
      STAFF_PASSWORD: opts.staff?.password ?? 'staff-password',
      LOG_LEVEL: opts.logLevel ?? 'info',
      ...opts.env,
    };
    const baseEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) baseEnv[k] = v;

    const tsx = join(opts.root, 'node_modules', '.bin', 'tsx');
    const onGiveUp = (err: Error) => {
      fatal ??= err;
      giveUp(err);
    };
    const run = (name: string, entry: string, childEnv: Record<string, string>): void => {
      const child = supervise({
        name,
        command: tsx,
        args: [entry],
        cwd: opts.root,
        env: { ...baseEnv, ...env, ...childEnv },
        prefix: prefixFor(name),
        output,
        log,
        onSpawn: recordPids,
        onGiveUp,
      });
      children.push(child);
    };

    const used = new Set<number>([ports.mongo ?? 0, ports.redis ?? 0]);
    const pickPort = async (): Promise<number> => {
      for (;;) {
        const port = await freePort();
        if (!used.has(port)) {
          used.add(port);
          return port;
        }
      }
    };

    const nodes: NodeUrls[] = [];
    for (const nodeId of nodeIds) {
      const port = await pickPort();
      const url = `http://127.0.0.1:${port}`;
      nodes.push({ nodeId, port, url: `${url}/`, admin: `${url}/admin`, healthz: `${url}/healthz` });
      log(`starting ${nodeId} on port ${port}`);
      run(nodeId, join('server', 'src', 'main.ts'), { PORT: String(port), NODE_ID: nodeId });
    }
    let mailUrl: string | undefined;
    if (withNotifier) {
      let smtpUrl = opts.smtpUrl;
      if (!smtpUrl) {
        // No SMTP_URL: mail goes to a local catcher whose page shows it (stopped with the stores,
        // after the notifier).
        const catcher = await startMailCatcher({ httpPort: await pickPort() });
        stores.push({ name: 'the mail catcher', stop: () => catcher.stop() });
        log(`mail catcher: SMTP ${catcher.smtpUrl}, caught mail at ${catcher.httpUrl}`);
        smtpUrl = catcher.smtpUrl;
        mailUrl = catcher.httpUrl;
      }
      log('starting the notifier');
      run('notifier', join('server', 'src', 'notifier-main.ts'), {
        PORT: String(await pickPort()),
        NODE_ID: 'notifier',
        SMTP_URL: smtpUrl,
      });
    }

    const timeoutMs = opts.healthTimeoutMs ?? 90_000;
    await Promise.all(
      nodes.map((n) =>
        pollUntil(() => answers200(n.healthz), {
          timeoutMs,
          what: `${n.nodeId} to answer ${n.healthz} with 200`,
          intervalMs: 250,
          abort: abortReason,
        }),
      ),
    );
    checkpoint();

    // The gateway users open: HAProxy round-robins new clients over the nodes and pins each one
    // with a cookie. Its port is kept (3000 when free the first time) so bookmarks keep working.
    let front: { booking: string; admin: string; gateway?: string };
    const first = nodes[0];
    if (!first) throw new Error('unreachable: no server node');
    if (opts.gateway ?? true) {
      const wanted = ports.gateway ?? 3000;
      const port = !used.has(wanted) && (await portIsFree(wanted)) ? wanted : await pickPort();
      log(`starting the gateway (HAProxy) on port ${port}`);
      const gateway = await startGateway({
        dir: join(opts.dataDir, 'gateway'),
        port,
        servers: nodes.map((n) => ({ name: n.nodeId, host: '127.0.0.1', port: n.port })),
      });
      stores.push({ name: 'the gateway', stop: () => gateway.stop() });
      ports.gateway = gateway.port;
      writeJsonAtomic(portsFile, ports);
      await pollUntil(() => answers200(`${gateway.url}/healthz`), { timeoutMs: 20_000, what: 'the gateway to answer', intervalMs: 250, abort: abortReason });
      front = { booking: `${gateway.url}/`, admin: `${gateway.url}/admin`, gateway: gateway.url };
    } else {
      front = { booking: first.url, admin: first.admin };
    }
    recordPids();

    return {
      urls: { ...front, nodes, mongo: mongoUrl, redis: redisUrl, ...(mailUrl ? { mail: mailUrl } : {}) },
      env,
      failed,
      processes,
      stop,
      killNow() {
        for (const c of children) c.killNow();
        for (const p of descendants(process.pid)) sendSignal(p.pid, 'SIGKILL');
      },
    };
  } catch (err) {
    try {
      await stop();
    } catch (stopErr) {
      log(`cleanup after a failed start failed too: ${String(stopErr)}`);
    }
    throw err;
  }
}
