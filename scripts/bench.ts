/**
 * `npm run bench`: measured speed of the booking server against the raw primitives, on the
 * targets in shared/docs/design.md ("Performance targets"). Prints a table and writes
 * artifacts/bench.json.
 *
 * Default: starts the embedded stack (MongoDB replica set, Redis, two server nodes; no gateway,
 * no notifier) in a fresh temporary data folder, and two bare Socket.IO processes on the same
 * Redis for the baseline; stops everything at the end.
 *
 * Environment: BENCH_URLS=comma-separated node URLs (use running nodes instead; MONGO_URL and
 * REDIS_URL then name their replica set and Redis, REDIS_URL only for the bare baseline, an
 * embedded Redis otherwise); BENCH_SIZE=tiny for a quick run; STAFF_EMAIL / STAFF_PASSWORD;
 * METRICS_TOKEN when the given nodes require it for /metrics (their event-loop delay);
 * BENCH_CPU_PROF=<dir> makes the embedded nodes write V8 CPU profiles (.cpuprofile) there;
 * BENCH_ONLY=recovery runs scenario 8 alone (kill -9 of node-a under a storm, three times; the
 * embedded stack only) and writes artifacts/bench-recovery.json instead; BENCH_ONLY=holds runs
 * scenario 10 alone (its own embedded stores) and writes artifacts/bench-holds.json.
 *
 * Single scenarios for A/B runs (the full run's own steps, rows and ratio targets, in its table's
 * columns; BENCH_CPU_PROF and BENCH_SIZE=tiny work with them): BENCH_ONLY=bookings runs the raw
 * MongoDB transaction baseline, then scenario 1 (max, then paced), with the CPU per operation and
 * event-loop delay lines, and writes artifacts/bench-bookings.json; BENCH_ONLY=find runs scenario
 * 3's paced phase (availability:get, the baseline of 6's row), then scenario 6 (slots:find over 200
 * resources for a week at 100/s), and writes artifacts/bench-find.json.
 *
 * Scenario 10 (holds and the waitlist) needs holds that run out in a second and a notifier: it
 * starts two nodes and a notifier of its own (HOLD_MINUTES=0.02) on the embedded stack's MongoDB
 * (a database of their own) and Redis (a key prefix of their own), and stops them after it, so the
 * other scenarios run as before, without a notifier. With BENCH_URLS it is not run. The webhooks
 * figure (a node and a notifier in this process, REDIS_URL or the embedded Redis) and the reports
 * figure (the bookings CSV against a raw cursor) run after it, before 8, as rows of the table.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { FULL_SIZES, TINY_SIZES, renderTable, runBench, runRecoveryOnly, writeReport } from './bench/run';
import type { BenchTargets, CrashControl } from './bench/run';
import { raceProblem } from './bench/capacity';
import type { HoldsNodes } from './bench/holds';
import { holdsOnly, holdsStarter } from './bench/holds-stack';
import { renderRecoveryTable, writeRecoveryReport } from './bench/report';
import { isSingle, renderSingle, runSingle, writeSingleReport } from './bench/single';
import type { SingleName, SingleTargets } from './bench/single';
import { cpuMs, pidListeningOn, rssBytes } from './bench/proc-memory';
import type { MemoryProbe } from './bench/scenarios';
import { startRedis } from './lib/embedded-redis';
import { answers200, pollUntil } from './lib/net';
import { runScript } from './lib/own-group';
import { startStack } from './lib/stack';
import type { Stack } from './lib/stack';

const root = resolve(__dirname, '..');
const env = (name: string): string | undefined => process.env[name] || undefined;
const say = (line: string) => process.stdout.write(`${line}\n`);

/** RSS of whatever listens on each port (the real node process behind tsx). */
function portsMemory(named: Array<{ name: string; port: number }>): MemoryProbe {
  return async () =>
    named.map(({ name, port }) => {
      const pid = pidListeningOn(port);
      const rss = pid === null ? null : rssBytes(pid);
      if (rss === null) throw new Error(`cannot read the memory of the process on port ${port}`);
      return { name, rssBytes: rss };
    });
}

function startBareChild(redisUrl: string, name: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join('scripts', 'bench', 'bare-io-child.ts')], {
    cwd: root,
    env: { ...process.env, REDIS_URL: redisUrl, BARE_PREFIX: 'bench-bare:' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
    if (!child.stdout) return reject(new Error('no stdout'));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const parsed = JSON.parse(line) as { port: number };
      resolvePort({ child, port: parsed.port });
    });
  });
}

/**
 * Scenario 8's `kill -9` of an embedded node: the real node process listening on its port; the
 * stack's supervisor starts it again at once (at most 5 times a minute, so 3 kills are fine).
 */
function crashControl(victim: { nodeId: string; port: number }, survivor: { port: number }): CrashControl {
  let killed: number | null = null;
  return {
    victimUrl: `http://127.0.0.1:${victim.port}`,
    survivorUrl: `http://127.0.0.1:${survivor.port}`,
    async kill() {
      const pid = pidListeningOn(victim.port);
      if (pid === null) throw new Error(`nothing listens on ${victim.nodeId}'s port ${victim.port}`);
      killed = pid;
      process.kill(pid, 'SIGKILL');
      await pollUntil(() => pidListeningOn(victim.port) !== pid, {
        timeoutMs: 10_000,
        what: `${victim.nodeId} (pid ${pid}) to be gone`,
        intervalMs: 20,
      });
    },
    async restarted() {
      await pollUntil(
        async () => {
          const pid = pidListeningOn(victim.port);
          return pid !== null && pid !== killed && (await answers200(`http://127.0.0.1:${victim.port}/healthz`));
        },
        { timeoutMs: 90_000, what: `${victim.nodeId} to run again after the kill`, intervalMs: 100 },
      );
    },
  };
}

type Named = { name: string; port: number };
type Cleanups = Array<() => Promise<void>>;

/** Where the nodes run, and what the bench may measure and do to them. */
interface Nodes {
  nodeUrls: string[];
  mongoUrl: string;
  redisUrl: string;
  nodeMemory: MemoryProbe | null;
  /** Processes whose CPU is read, by name. */
  cpuPorts: Named[];
  /** The names in cpuPorts that are booking nodes (not MongoDB or Redis). */
  nodeProcesses: string[];
  /** The embedded nodes (none with BENCH_URLS): their CPU profiles, with BENCH_CPU_PROF. */
  nodePorts: Named[];
  /** Scenario 8's kill -9: only of nodes this run started. */
  crash?: CrashControl;
  /** Scenario 10's nodes, started when it runs: only beside the embedded stack. */
  holds?: () => Promise<HoldsNodes>;
}

/** BENCH_URLS: nodes that run already, on MONGO_URL; REDIS_URL (or an embedded Redis) for the bare baseline. */
async function givenNodes(given: string, cleanups: Cleanups): Promise<Nodes> {
  const nodeUrls = given
    .split(',')
    .map((u) => u.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  const mongoUrl = env('MONGO_URL');
  if (!mongoUrl) throw new Error('BENCH_URLS needs MONGO_URL (the replica set the nodes use) for the raw baseline');
  let redisUrl = env('REDIS_URL');
  if (!redisUrl) {
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    redisUrl = redis.url;
  }
  const local = nodeUrls.map((u) => new URL(u)).filter((u) => ['127.0.0.1', 'localhost'].includes(u.hostname));
  const allLocal = local.length === nodeUrls.length;
  const cpuPorts = allLocal ? local.map((u) => ({ name: u.host, port: Number(u.port) })) : [];
  return {
    nodeUrls,
    mongoUrl,
    redisUrl,
    nodeMemory: allLocal ? portsMemory(local.map((u) => ({ name: u.host, port: Number(u.port) }))) : null,
    cpuPorts,
    nodeProcesses: cpuPorts.map((p) => p.name),
    nodePorts: [],
  };
}

/** The embedded stack (MongoDB, Redis, node-a, node-b) in a fresh temporary folder. */
async function embeddedNodes(
  staff: { email: string; password: string },
  profDir: string | undefined,
  cleanups: Cleanups,
): Promise<Nodes> {
  const dataDir = mkdtempSync(join(tmpdir(), 'booking-bench-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  say(`starting the embedded stack (MongoDB, Redis, node-a, node-b) in ${dataDir}`);
  const stack: Stack = await startStack({
    root,
    dataDir,
    nodeIds: ['node-a', 'node-b'],
    gateway: false,
    notifier: false,
    staff,
    logLevel: env('LOG_LEVEL') ?? 'warn',
    env: {
      // The load books thousands per user: the per-user quota would be what is measured.
      MAX_ACTIVE_BOOKINGS_PER_USER: '1000000',
      // BENCH_CPU_PROF=<dir>: each node writes a V8 CPU profile there when it stops.
      ...(profDir
        ? {
            NODE_OPTIONS: `--require ${join(root, 'scripts', 'bench', 'cpu-profile-preload.cjs')}`,
            BENCH_CPU_PROF_DIR: profDir,
          }
        : {}),
    },
  });
  cleanups.push(() => stack.stop());
  process.on('exit', () => stack.killNow());
  const nodePorts = stack.urls.nodes.map((n) => ({ name: n.nodeId, port: n.port }));
  const [victim, survivor] = stack.urls.nodes;
  return {
    nodeUrls: stack.urls.nodes.map((n) => `http://127.0.0.1:${n.port}`),
    mongoUrl: stack.urls.mongo,
    redisUrl: stack.urls.redis,
    nodeMemory: portsMemory(nodePorts),
    cpuPorts: [
      ...nodePorts,
      { name: 'mongod', port: Number(new URL(stack.urls.mongo).port) },
      { name: 'redis', port: Number(new URL(stack.urls.redis).port) },
    ],
    nodeProcesses: nodePorts.map((p) => p.name),
    nodePorts,
    ...(victim && survivor ? { crash: crashControl(victim, survivor) } : {}),
    holds: holdsStarter({
      root,
      staff,
      stores: { mongoUrl: stack.urls.mongo, redisUrl: stack.urls.redis },
      logLevel: env('LOG_LEVEL') ?? 'warn',
      cleanups,
    }),
  };
}

/** The two bare Socket.IO processes of the baseline, stopped by a cleanup. */
async function startBare(redisUrl: string, cleanups: Cleanups): Promise<Array<{ child: ChildProcess; port: number }>> {
  const bare = await Promise.all([startBareChild(redisUrl, 'bare-io-a'), startBareChild(redisUrl, 'bare-io-b')]);
  cleanups.push(async () => {
    await Promise.all(
      bare.map(
        ({ child }) =>
          new Promise<void>((r) => {
            if (child.exitCode !== null || child.signalCode !== null) return r();
            child.removeAllListeners('exit');
            child.once('exit', () => r());
            child.kill('SIGTERM');
          }),
      ),
    );
  });
  return bare;
}

/** Cumulative CPU ms of every process in `cpuPorts` that runs, and of this one. */
function cpuReader(cpuPorts: Named[]): () => Record<string, number> {
  return () => {
    const out: Record<string, number> = {};
    for (const { name, port } of cpuPorts) {
      const pid = pidListeningOn(port);
      const ms = pid === null ? null : cpuMs(pid);
      if (ms !== null) out[name] = ms;
    }
    const self = process.cpuUsage();
    out['bench client'] = Math.round((self.user + self.system) / 1000);
    return out;
  };
}

/** Each node dumps the profile of the phase that just ended; renamed after the phase. */
function profileHook(profDir: string, nodePorts: Named[]): (phase: string) => Promise<void> {
  return async (phase) => {
    for (const { name, port } of nodePorts) {
      const pid = pidListeningOn(port);
      if (pid === null) continue;
      const before = new Set(readdirSync(profDir));
      process.kill(pid, 'SIGUSR2');
      await pollUntil(() => readdirSync(profDir).some((f) => !before.has(f)), {
        timeoutMs: 10_000,
        what: `${name}'s profile`,
        intervalMs: 100,
      });
      const fresh = readdirSync(profDir).find((f) => !before.has(f));
      if (fresh) renameSync(join(profDir, fresh), join(profDir, `${name}-${phase}.cpuprofile`));
    }
  };
}

const BARE_LAYOUT =
  'two plain Socket.IO 4 server processes with @socket.io/redis-adapter on the same Redis, clients split evenly, ' +
  'emitted from one (no auth, no rate limit, no validation)';

/** What the run measures with, bare Socket.IO aside: the nodes, their CPU, the profile hook. */
function baseTargets(nodes: Nodes, staff: BenchTargets['staff'], profDir: string | undefined): SingleTargets {
  const metricsToken = env('METRICS_TOKEN');
  return {
    nodeUrls: nodes.nodeUrls,
    mongoUrl: nodes.mongoUrl,
    staff,
    log: (line) => say(`bench: ${line}`),
    nodeProcesses: nodes.nodeProcesses,
    ...(metricsToken ? { metricsToken } : {}),
    cpu: cpuReader(nodes.cpuPorts),
    ...(profDir ? { phaseEnded: profileHook(profDir, nodes.nodePorts) } : {}),
  };
}

/** `BENCH_ONLY=bookings` / `BENCH_ONLY=find`: one scenario and its baseline; writes artifacts/bench-<name>.json. */
async function singleRun(only: SingleName, nodes: Nodes, staff: BenchTargets['staff'], profDir: string | undefined) {
  const report = await runSingle(only, baseTargets(nodes, staff, profDir), sizes());
  say('');
  say(renderSingle(report));
  const out = join(root, 'artifacts', `bench-${only}.json`);
  writeSingleReport(out, report);
  say(`\nwrote ${out}`);
}

async function fullRun(nodes: Nodes, staff: BenchTargets['staff'], profDir: string | undefined, cleanups: Cleanups) {
  const bare = await startBare(nodes.redisUrl, cleanups);
  const targets: BenchTargets = {
    ...baseTargets(nodes, staff, profDir),
    nodeMemory: nodes.nodeMemory,
    bare: {
      urls: bare.map((b) => `http://127.0.0.1:${b.port}`),
      memory: portsMemory(bare.map((b, i) => ({ name: `bare-io-${i}`, port: b.port }))),
      layout: BARE_LAYOUT,
    },
    ...(nodes.crash ? { crash: nodes.crash } : {}),
    ...(nodes.holds ? { holds: nodes.holds } : {}),
    redisUrl: nodes.redisUrl,
  };
  const report = await runBench(targets, sizes());
  say('');
  say(renderTable(report));
  const out = join(root, 'artifacts', 'bench.json');
  writeReport(out, report);
  say(`\nwrote ${out}`);
  // Scenario 9's rule, after the figures are out: exactly the last units booked, none oversold.
  const broken = raceProblem(report.scenarios.capacity.race);
  if (broken) throw new Error(broken);
}

async function recoveryRun(nodes: Nodes, staff: BenchTargets['staff']) {
  if (!nodes.crash) throw new Error('scenario 8 needs two embedded nodes');
  const log = (line: string) => say(`bench: ${line}`);
  const report = await runRecoveryOnly({ nodeUrls: nodes.nodeUrls, staff, crash: nodes.crash, log }, sizes());
  say('');
  say(renderRecoveryTable(report));
  const out = join(root, 'artifacts', 'bench-recovery.json');
  writeRecoveryReport(out, report);
  say(`\nwrote ${out}`);
}

const sizes = () => (env('BENCH_SIZE') === 'tiny' ? TINY_SIZES : FULL_SIZES);

async function main(): Promise<number> {
  const staff = {
    email: env('STAFF_EMAIL') ?? 'staff@example.com',
    password: env('STAFF_PASSWORD') ?? 'staff-password',
  };
  const profDir = env('BENCH_CPU_PROF') ? resolve(env('BENCH_CPU_PROF') ?? '') : undefined;
  if (profDir) mkdirSync(profDir, { recursive: true });
  const cleanups: Cleanups = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => say(`cleanup: ${String(err)}`));
    cleanups.length = 0;
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      say(`${sig}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    const only = env('BENCH_ONLY');
    if (only !== undefined && only !== 'recovery' && only !== 'holds' && !isSingle(only))
      throw new Error(`BENCH_ONLY=${only}: only "recovery", "holds", "bookings" or "find" can run alone`);
    if (only === 'holds') {
      if (env('BENCH_URLS')) throw new Error('BENCH_ONLY=holds starts nodes of its own: not with BENCH_URLS');
      await holdsOnly({ root, staff, logLevel: env('LOG_LEVEL') ?? 'warn', cleanups, sizes: sizes().holds, say });
      return 0;
    }
    const given = env('BENCH_URLS');
    if (given && only === 'recovery')
      throw new Error('BENCH_ONLY=recovery kills a node: it runs on the embedded stack only, not with BENCH_URLS');
    const nodes = given ? await givenNodes(given, cleanups) : await embeddedNodes(staff, profDir, cleanups);
    if (only === 'recovery') await recoveryRun(nodes, staff);
    else if (only !== undefined && isSingle(only)) await singleRun(only, nodes, staff, profDir);
    else await fullRun(nodes, staff, profDir, cleanups);
    return 0;
  } finally {
    await cleanup();
  }
}

runScript('bench', main);
