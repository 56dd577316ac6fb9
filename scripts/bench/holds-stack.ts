/**
 * Scenario 10's nodes and `BENCH_ONLY=holds`: two nodes and a notifier (with its mail catcher)
 * whose holds run out in 1.2 s (HOLD_MINUTES), started when the scenario runs and stopped after
 * it, so every other scenario runs on the main stack as before, without a notifier.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../lib/stack';
import { commit, machine } from './environment';
import { holdsScenario } from './holds';
import type { HoldsNodes, HoldsSizes } from './holds';
import { renderHoldsTable } from './holds-rows';

/** How long scenario 10's holds last (HOLD_MINUTES): 1.2 s, so its expiry is measured within seconds. */
export const BENCH_HOLD_MINUTES = '0.02';

type Cleanups = Array<() => Promise<void>>;

interface StarterOptions {
  /** Repository root (children run there). */
  root: string;
  staff: { email: string; password: string };
  /** The run's MongoDB and Redis (a database and a key prefix of their own), or null for embedded ones. */
  stores: { mongoUrl: string; redisUrl: string } | null;
  logLevel: string;
  /** The run's cleanups: the nodes are stopped there too, should the scenario not get to it. */
  cleanups: Cleanups;
}

/** Starts holds-a, holds-b and a notifier when called; `close` (or a cleanup) stops them. */
export function holdsStarter(o: StarterOptions): () => Promise<HoldsNodes> {
  return async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'booking-bench-holds-'));
    const stack = await startStack({
      root: o.root,
      dataDir,
      nodeIds: ['holds-a', 'holds-b'],
      // The embedded stack's URL names its database (booking): this one gets its own.
      ...(o.stores
        ? {
            mongoUrl: o.stores.mongoUrl.replace(/\/booking(?=\?|$)/, '/booking-bench-holds'),
            redisUrl: o.stores.redisUrl,
          }
        : {}),
      gateway: false,
      notifier: true,
      staff: o.staff,
      logLevel: o.logLevel,
      env: { HOLD_MINUTES: BENCH_HOLD_MINUTES, MAX_ACTIVE_BOOKINGS_PER_USER: '1000000', REDIS_PREFIX: 'bench-holds:' },
    });
    let stopping: Promise<void> | null = null;
    const close = () => {
      stopping ??= stack.stop().finally(() => rmSync(dataDir, { recursive: true, force: true }));
      return stopping;
    };
    o.cleanups.push(close);
    process.on('exit', () => stack.killNow());
    return {
      nodeUrls: stack.urls.nodes.map((n) => `http://127.0.0.1:${n.port}`),
      layout:
        `two nodes and a notifier (mail to a local catcher) with HOLD_MINUTES=${BENCH_HOLD_MINUTES}, ` +
        (o.stores ? "on the run's MongoDB (own database) and Redis (own key prefix)" : 'on embedded MongoDB and Redis'),
      close,
    };
  };
}

/** `BENCH_ONLY=holds`: scenario 10 alone, on embedded stores; prints its table, writes artifacts/bench-holds.json. */
export async function holdsOnly(
  o: Omit<StarterOptions, 'stores'> & { sizes: HoldsSizes; say: (line: string) => void },
) {
  const startedAt = new Date().toISOString();
  const runCommit = commit();
  const holds = await holdsScenario({
    start: holdsStarter({ ...o, stores: null }),
    staff: o.staff,
    sizes: o.sizes,
    log: (line) => o.say(`bench: ${line}`),
  });
  const table = renderHoldsTable(holds);
  o.say('');
  o.say(table);
  const out = join(o.root, 'artifacts', 'bench-holds.json');
  mkdirSync(join(o.root, 'artifacts'), { recursive: true });
  const report = { startedAt, finishedAt: new Date().toISOString(), machine: machine(), commit: runCommit };
  writeFileSync(out, `${JSON.stringify({ ...report, sizes: o.sizes, holds, table }, null, 2)}\n`);
  o.say(`\nwrote ${out}`);
}
