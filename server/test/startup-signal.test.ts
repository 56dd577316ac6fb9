/**
 * A signal during start-up: SIGTERM a real node and a real notifier (test/support/spawn.ts) at
 * several moments of their start, from right after the spawn to once they are ready. Each must
 * exit 0 (having stopped whatever it had started by then), with its port free and no MongoDB or
 * Redis connection left behind.
 *
 * The one exception is a signal that arrives before the process has run a line of its own (Node
 * still booting): the kernel's default action ends it, and no program can answer that with exit 0.
 * Such a process cannot have written anything, since the handlers go in before the first line.
 *
 * The suite has a Redis of its own, so "no Redis client left" counts every client, named or not
 * (the Socket.IO subscriber and BullMQ's connections carry no NODE_ID). The random moments come
 * from a seeded generator: STARTUP_SEED=<n> replays a run.
 */
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { startRedis } from '../../scripts/lib/embedded-redis';
import type { EmbeddedRedis } from '../../scripts/lib/embedded-redis';
import { portIsFree } from '../../scripts/lib/net';
import { connectionsOf, redisClients, watchStores } from '../../test/support/released';
import type { StoreWatch } from '../../test/support/released';
import { seededRandom } from '../../test/support/rng';
import { logMessage, spawnServerProcess } from '../../test/support/spawn';
import type { Exit, ServerKind, ServerProcess } from '../../test/support/spawn';
import { waitFor } from '../../test/support/wait';

const SEED = Number(process.env.STARTUP_SEED ?? 20261130);
const random = seededRandom(SEED);
/** How long a process may take to exit after the signal (its own deadline is 10 s). */
const EXIT_WITHIN_MS = 15_000;

interface Moment {
  name: string;
  /** Resolves at the moment the signal is to be sent. */
  reached(proc: ServerProcess): Promise<unknown>;
  /** The signal may arrive while Node is still booting (see the header). */
  mayPrecedeHandlers?: boolean;
}

const firstLine = (proc: ServerProcess) => proc.waitForLine('its first line', () => true);

/**
 * How long this kind takes from its first line to ready on this machine: measured by the first
 * test of each kind (the signal once it is ready), which the random moments after it need. A start
 * of its own in a `beforeAll` only for this cost a whole start-up and stop per kind.
 */
const startupMs: Partial<Record<ServerKind, number>> = {};

/**
 * A random moment inside start-up: `fraction` of the measured start-up time after the first line.
 * Random on purpose (seeded), to land where no log line marks a step.
 */
const randomMoment = (fraction: number): Moment => ({
  name: `${Math.round(fraction * 100)}% into start-up`,
  async reached(proc) {
    await firstLine(proc);
    const measured = startupMs[proc.kind];
    if (measured === undefined)
      throw new Error(`no start-up time of the ${proc.kind} measured (its ready test failed?)`);
    await new Promise((r) => setTimeout(r, Math.round(fraction * measured)));
  },
});

const moments: Moment[] = [
  {
    name: 'once it is ready',
    async reached(proc) {
      const first = await firstLine(proc);
      await proc.ready();
      startupMs[proc.kind] ??= Date.now() - proc.startedAt - first.at;
    },
  },
  { name: 'right after the spawn', reached: async () => undefined, mayPrecedeHandlers: true },
  { name: 'at its first line', reached: firstLine },
  {
    name: 'once MongoDB is connected',
    reached: (proc) => proc.waitForLine('"mongo ready"', (l) => logMessage(l.line) === 'mongo ready'),
  },
  ...Array.from({ length: 4 }, () => randomMoment(random())),
];

let redis: EmbeddedRedis;
let watch: StoreWatch;
let catcher: MailCatcher;

beforeAll(async () => {
  redis = await startRedis();
  watch = await watchStores(redis.url);
  catcher = await startMailCatcher();
}, 30_000);

afterAll(async () => {
  await watch?.close();
  await redis?.stop();
  await catcher?.stop();
});

/** How the process ended, or null if it is still running `ms` after the call. */
async function exitWithin(proc: ServerProcess, ms: number): Promise<Exit | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([proc.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe.each<ServerKind>(['node', 'notifier'])('SIGTERM to a starting %s', (kind) => {
  const spawn = () =>
    spawnServerProcess({
      kind,
      env: { REDIS_URL: redis.url, ...(kind === 'notifier' ? { SMTP_URL: catcher.smtpUrl } : {}) },
      waitReady: false,
    });

  test.each(moments)('$name: exits 0 and releases its port and connections', async (moment) => {
    const proc = await spawn();
    await moment.reached(proc);
    const written = proc.lines();
    const signalledAt = Date.now() - proc.startedAt;
    proc.signal('SIGTERM');
    const exit = await exitWithin(proc, EXIT_WITHIN_MS);
    const last = written.at(-1);
    process.stdout.write(
      `startup-signal (seed ${SEED}): ${kind} ${moment.name} (start-up ${startupMs[kind]} ms): ` +
        `signalled at +${signalledAt} ms after ${written.length} line(s)` +
        ` (last ${JSON.stringify(logMessage(last?.line ?? '') ?? last?.line ?? '')}), ended ${exit ? (exit.signal ?? `with ${exit.code}`) : 'not at all'}\n`,
    );
    if (!exit)
      throw new Error(
        `${kind} still runs ${EXIT_WITHIN_MS} ms after SIGTERM; its last lines:\n${proc
          .lines()
          .slice(-20)
          .map((l) => l.line)
          .join('\n')}`,
      );

    if (moment.mayPrecedeHandlers && exit.signal === 'SIGTERM') expect(proc.lines()).toEqual([]);
    else
      expect({ exit, lines: exit.code === 0 ? [] : proc.lines().slice(-20) }).toEqual({
        exit: { code: 0, signal: null },
        lines: [],
      });
    expect(await portIsFree(proc.port)).toBe(true);
    await waitFor(
      `MongoDB and Redis to drop ${proc.nodeId}'s connections`,
      async () => {
        const held = await connectionsOf(proc.nodeId, watch);
        const clients = await redisClients(watch);
        if (held.mongo === 0 && clients.length === 0) return true;
        throw new Error(
          `still held: ${held.mongo} MongoDB connection(s), Redis clients ${JSON.stringify(clients.map((c) => c.line))}`,
        );
      },
      10_000,
      100,
    );
  });
});
