/**
 * Scenario 8 on resources of its own: inside a full bench run (last, since it kills a node) or
 * alone (`BENCH_ONLY=recovery`).
 */
import { createResource, loginStaff, registerUser } from './client';
import { commit, machine } from './environment';
import { crashRecovery } from './recovery';
import type { RecoveryResult } from './recovery';
import { recoveryRows } from './report';
import type { BenchSizes, BenchTargets, CrashControl, RecoveryReport } from './types';

/** Scenario 8 on resources of its own. */
export async function recoveryScenario(opts: {
  crash: CrashControl;
  sizes: BenchSizes['recovery'];
  first: string;
  staffToken: string;
  stormTokens: string[];
  probeTokens: string[];
  stamp: string;
  log: (line: string) => void;
}): Promise<RecoveryResult> {
  const { crash, sizes } = opts;
  opts.log(
    `8. recovery: ${sizes.clients} clients storm ${sizes.resources} resources through one node, ` +
      `kill -9 of it ×${sizes.rounds} (seed ${sizes.seed}), each resource booked again through the other`,
  );
  const resourceIds: string[] = [];
  for (let i = 0; i < sizes.resources; i += 1)
    resourceIds.push((await createResource(opts.first, opts.staffToken, `bench ${opts.stamp} crash ${i}`)).id);
  return crashRecovery({
    victimUrl: crash.victimUrl,
    survivorUrl: crash.survivorUrl,
    stormTokens: opts.stormTokens,
    probeTokens: opts.probeTokens,
    resourceIds,
    clients: sizes.clients,
    rounds: sizes.rounds,
    seed: sizes.seed,
    hourBase: 5000,
    kill: () => crash.kill(),
    restarted: () => crash.restarted(),
    giveUpMs: sizes.giveUpMs,
    log: opts.log,
  });
}

/** Scenario 8 alone (`BENCH_ONLY=recovery`): its own users and resources, nothing else measured. */
export async function runRecoveryOnly(
  t: Pick<BenchTargets, 'nodeUrls' | 'staff' | 'log'> & { crash: CrashControl },
  sizes: BenchSizes,
): Promise<RecoveryReport> {
  const log = t.log ?? (() => {});
  const startedAt = new Date().toISOString();
  const runCommit = commit();
  const first = t.nodeUrls[0];
  if (!first) throw new Error('no booking node URL');
  const staff = await loginStaff(first, t.staff.email, t.staff.password);
  const r = sizes.recovery;
  // Two storm sockets per user, a user of its own per probe.
  const users = await Promise.all(
    Array.from({ length: Math.ceil(r.clients / 2) + r.resources }, () => registerUser(first)),
  );
  const tokens = users.map((u) => u.token);
  const stormTokens = tokens.slice(0, Math.ceil(r.clients / 2));
  const probeTokens = tokens.slice(stormTokens.length);
  const recovery = await recoveryScenario({
    crash: t.crash,
    sizes: r,
    first,
    staffToken: staff.token,
    stormTokens,
    probeTokens,
    stamp: Date.now().toString(36),
    log,
  });
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(),
    commit: runCommit,
    sizes: r,
    recovery,
    rows: recoveryRows(recovery),
  };
}
