/**
 * `npm run soak`: a steady mixed load on the two-node stack for SOAK_MINUTES (default 30), one
 * line a minute (each node's RSS, heap after a major collection and its compiled-code share,
 * event-loop delay p99 and open descriptors, Redis used_memory, MongoDB connections, commands,
 * errors), then a least-squares growth per hour of every series with its noise and a verdict.
 * Writes artifacts/soak.json. Exit code 1 when any judged series grows beyond its noise (one that
 * falls, as memory settling after the warm-up, is shown, not failed; the heap's compiled code and
 * the whole heap are shown, the heap less its code is judged: soak/report.ts)
 * or any error happened (an unexpected refusal, a failed connect, a webhook
 * delivery that failed or never came, a node restarted, a figure that could not be read).
 *
 * The stack: the embedded one (scripts/lib/stack.ts: MongoDB replica set, Redis, node-a, node-b
 * and the notifier, which relays webhooks and expires holds; no gateway) in a fresh temporary
 * folder, with HOLD_MINUTES=0.05 (holds run out in 3 s) and WEBHOOK_ALLOW_PRIVATE=1 (the webhook
 * receiver is on 127.0.0.1). The load: scripts/soak/load.ts. Environment: SOAK_MINUTES,
 * STAFF_EMAIL / STAFF_PASSWORD, LOG_LEVEL (the children's, default warn), METRICS_TOKEN (passed on to
 * the nodes like any variable; then /metrics is read with it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createResource, loginStaff, registerUser } from './bench/client';
import { commit, machine } from './bench/environment';
import { sleep } from './bench/stats';
import { runScript } from './lib/own-group';
import { startStack } from './lib/stack';
import type { Stack } from './lib/stack';
import { startHooks } from './soak/hooks';
import type { HookTracker } from './soak/hooks';
import { errorCount, runLoad } from './soak/load';
import type { LoadCounts, LoadPlan } from './soak/load';
import { openProbe } from './soak/probes';
import type { Probe } from './soak/probes';
import { FIT_FROM_MINUTE, fitAll, fitsTable, minuteLine, writeSoakReport } from './soak/report';
import type { MinuteSample } from './soak/report';

const root = resolve(__dirname, '..');
const env = (name: string): string | undefined => process.env[name] || undefined;
const say = (line: string) => process.stdout.write(`${line}\n`);

const HOLD_MINUTES = '0.05';
const LAYOUT =
  `embedded stack: MongoDB replica set, Redis, node-a and node-b (no gateway), the notifier; ` +
  `HOLD_MINUTES=${HOLD_MINUTES}, WEBHOOK_ALLOW_PRIVATE=1`;
const LOAD =
  'per second: 5 booking:create + 5 booking:cancel (10 rooms), 1 contested slot (2 people, 1 wins), ' +
  '50 availability:get, 2 booking:hold (half confirmed then cancelled, half left to expire), ' +
  '4 slots:watch sockets reconnecting every 3-4.5 s, 1 webhook endpoint receiving every event';

function minutesWanted(): number {
  const raw = env('SOAK_MINUTES') ?? '30';
  const minutes = Number(raw);
  // At least five fitted minutes after the warm-up, or a fit says nothing.
  const least = FIT_FROM_MINUTE + 4;
  if (!Number.isInteger(minutes) || minutes < least || minutes > 24 * 60)
    throw new Error(`SOAK_MINUTES=${raw}: a whole number of minutes, ${least} to 1440`);
  return minutes;
}

async function startSoakStack(staff: { email: string; password: string }, cleanups: Array<() => Promise<void>>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'booking-soak-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  say(`starting the embedded stack (MongoDB, Redis, node-a, node-b, notifier) in ${dataDir}`);
  const stack: Stack = await startStack({
    root,
    dataDir,
    nodeIds: ['node-a', 'node-b'],
    gateway: false,
    notifier: true,
    staff,
    logLevel: env('LOG_LEVEL') ?? 'warn',
    env: { HOLD_MINUTES, WEBHOOK_ALLOW_PRIVATE: '1' },
  });
  cleanups.push(() => stack.stop());
  process.on('exit', () => stack.killNow());
  return stack;
}

/** Rooms and people the load uses, and the webhook endpoint. */
async function prepare(stack: Stack, staff: { email: string; password: string }, counts: LoadCounts) {
  const nodeUrls = stack.urls.nodes.map((n) => `http://127.0.0.1:${n.port}`);
  const first = nodeUrls[0] ?? '';
  // Tokens last an hour: the webhook checks of a longer run sign in again after half of it.
  let signedIn = { token: (await loginStaff(first, staff.email, staff.password)).token, at: Date.now() };
  const freshStaffToken = async () => {
    if (Date.now() - signedIn.at > 30 * 60_000)
      signedIn = { token: (await loginStaff(first, staff.email, staff.password)).token, at: Date.now() };
    return signedIn.token;
  };
  const staffToken = signedIn.token;
  const stamp = Date.now().toString(36);
  const room = async (name: string) => (await createResource(first, staffToken, `soak ${stamp} ${name}`)).id;
  const bookingRooms: string[] = [];
  for (let i = 0; i < 10; i += 1) bookingRooms.push(await room(`booking ${i}`));
  const holdRooms: string[] = [];
  for (let i = 0; i < 4; i += 1) holdRooms.push(await room(`hold ${i}`));
  const raceRoom = await room('contested');
  const users = [];
  for (let i = 0; i < 20; i += 5)
    users.push(...(await Promise.all(Array.from({ length: 5 }, (_, k) => registerUser(nodeUrls[k % 2] ?? first)))));
  const hooks = await startHooks(first, freshStaffToken);
  return { nodeUrls, bookingRooms, holdRooms, raceRoom, users: users.map((u) => ({ token: u.token })), hooks, counts };
}

interface Sampler {
  samples: MinuteSample[];
  sample(minute: number): Promise<MinuteSample>;
}

/** One sample a minute: the probes' figures and this minute's counts (deltas of the running totals). */
function sampler(
  probe: Probe,
  counts: LoadCounts,
  hooks: HookTracker,
  errorsBump: (key: string, times?: number) => void,
): Sampler {
  const own = monitorEventLoopDelay({ resolution: 10 });
  own.enable();
  const last = { commands: 0, errors: 0, expected: 0, slotChanged: 0, reconnects: 0, delivered: 0 };
  const pids = new Map<string, number>();
  const faults = new Map<string, number>();
  const samples: MinuteSample[] = [];
  return {
    samples,
    async sample(minute) {
      const nodes = await probe.nodes();
      const stores = await probe.stores();
      for (const [id, n] of Object.entries(nodes)) {
        if (n.rssMb === null || n.heapMb === null || n.codeMb === null || n.loopP99Ms === null || n.openFds === null)
          errorsBump(`probe: ${id} unreadable`);
        const before = pids.get(id);
        if (n.pid !== null && before !== undefined && before !== n.pid) errorsBump(`${id} restarted`);
        if (n.pid !== null) pids.set(id, n.pid);
        if (n.faults !== null) {
          // A restarted node counts from 0 again (its restart is an error of its own).
          const survived = n.faults - (faults.get(id) ?? 0);
          if (survived > 0 && (before === undefined || before === n.pid)) errorsBump(`${id}: fault survived`, survived);
          faults.set(id, n.faults);
        }
      }
      if (stores.redisUsedMb === null) errorsBump('probe: redis unreadable');
      if (stores.mongoConnections === null) errorsBump('probe: mongodb unreadable');
      const failed = await hooks.checkLog().catch(() => {
        errorsBump('probe: webhook log unreadable');
        return 0;
      });
      if (failed > 0) errorsBump('webhooks: failed delivery attempt', failed);
      const now = {
        commands: counts.commands,
        errors: errorCount(counts),
        expected: Object.values(counts.expected).reduce((a, b) => a + b, 0),
        slotChanged: counts.slotChanged,
        reconnects: counts.reconnects,
        delivered: hooks.stats().delivered,
      };
      const s: MinuteSample = {
        minute,
        at: new Date().toISOString(),
        nodes,
        ...stores,
        generatorP99Ms: own.count === 0 ? 0 : Math.max(0, own.percentile(99) / 1e6 - 10),
        commands: now.commands - last.commands,
        errors: now.errors - last.errors,
        expectedRefusals: now.expected - last.expected,
        slotChanged: now.slotChanged - last.slotChanged,
        watcherConnects: now.reconnects - last.reconnects,
        webhooksDelivered: now.delivered - last.delivered,
      };
      own.reset();
      Object.assign(last, now);
      samples.push(s);
      return s;
    },
  };
}

async function soak(minutes: number, cleanups: Array<() => Promise<void>>): Promise<number> {
  const startedAt = new Date().toISOString();
  const runCommit = commit();
  const staff = {
    email: env('STAFF_EMAIL') ?? 'staff@example.com',
    password: env('STAFF_PASSWORD') ?? 'staff-password',
  };
  const stack = await startSoakStack(staff, cleanups);
  const counts: LoadCounts = { commands: 0, errors: {}, expected: {}, slotChanged: 0, reconnects: 0 };
  const bump = (key: string, times = 1) => {
    counts.errors[key] = (counts.errors[key] ?? 0) + times;
  };
  void stack.failed.then((err) => bump(`stack: ${err.message}`));
  say('soak: making 15 rooms, 20 people and the webhook endpoint');
  const ready = await prepare(stack, staff, counts);
  const { hooks } = ready;
  cleanups.push(() => hooks.close());
  const nodeIds = stack.urls.nodes.map((n) => n.nodeId);
  const metricsToken = env('METRICS_TOKEN');
  const probe = await openProbe({
    nodes: stack.urls.nodes,
    redisUrl: stack.urls.redis,
    mongoUrl: stack.urls.mongo,
    ...(metricsToken ? { metricsToken } : {}),
  });
  cleanups.push(() => probe.close());
  const t0 = Date.now();
  const plan: LoadPlan = { ...ready, until: t0 + minutes * 60_000 };
  say(`soak: ${minutes} min; ${LOAD}`);
  const sampling = sampler(probe, counts, hooks, bump);
  const load = runLoad(plan);
  for (let m = 1; m <= minutes; m += 1) {
    await sleep(Math.max(0, t0 + m * 60_000 - Date.now()));
    say(minuteLine(await sampling.sample(m)));
  }
  await load;
  const missing = await hooks.settle(60_000);
  if (missing > 0) bump('webhooks: event never delivered', missing);
  const lateFailures = await hooks.checkLog().catch(() => 0);
  if (lateFailures > 0) bump('webhooks: failed delivery attempt', lateFailures);

  const fits = fitAll(sampling.samples, nodeIds);
  const totalErrors = errorCount(counts);
  const grows = fits.filter((f) => f.judged && f.verdict === 'GROWS');
  say('');
  say(fitsTable(fits, sampling.samples.filter((s) => s.minute >= FIT_FROM_MINUTE).length));
  const hookStats = hooks.stats();
  say(
    `webhooks: ${hookStats.delivered} delivered, ${missing} never came, ${hookStats.duplicates} duplicates, ` +
      `${hookStats.failedAttempts} failed attempts logged`,
  );
  say(`expected refusals: ${JSON.stringify(counts.expected)}`);
  say(`errors: ${totalErrors}${totalErrors > 0 ? ` ${JSON.stringify(counts.errors)}` : ''}`);
  const passed = totalErrors === 0 && grows.length === 0;
  const out = join(root, 'artifacts', 'soak.json');
  writeSoakReport(out, {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    commit: runCommit,
    minutes,
    layout: LAYOUT,
    load: LOAD,
    fitFromMinute: FIT_FROM_MINUTE,
    samples: sampling.samples,
    fits,
    verdicts: Object.fromEntries(fits.map((f) => [f.name, f.verdict])),
    errors: { total: totalErrors, byKind: counts.errors },
    expectedRefusals: counts.expected,
    webhooks: { ...hookStats, missing },
    passed,
  });
  say(`wrote ${out}`);
  say(
    passed
      ? 'soak: PASS (no series grows, zero errors)'
      : `soak: FAIL (${grows.length} growing, ${totalErrors} errors)`,
  );
  return passed ? 0 : 1;
}

async function main(): Promise<number> {
  const minutes = minutesWanted();
  const cleanups: Array<() => Promise<void>> = [];
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
    return await soak(minutes, cleanups);
  } finally {
    await cleanup();
  }
}

runScript('soak', main);
