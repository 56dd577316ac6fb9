/**
 * What a bench run prepares and measures with: its users and resources (made before anything is
 * measured) and the CPU window around a step.
 */
import { cpus } from 'node:os';
import { createResource, loginStaff, registerUser } from './client';
import type { BenchSizes, BenchTargets, CpuPerOp } from './types';

/** The users and resources a run books on, made before anything is measured. */
export interface Fixtures {
  first: string;
  staffToken: string;
  tokens: string[];
  stamp: string;
  /** Scenario 1's, one per booking socket (3 reads the first ones). */
  resourceIds: string[];
  raceResource: string;
  seriesResource: string;
  seriesSingleResource: string;
  fanResource: string;
  /** Scenario 6's resources share this type. */
  findType: string;
  /** 4w's: the clients watch one each, round-robin. */
  watchResources: string[];
}

export interface CpuMeasured<T> {
  result: T;
  cpu: CpuPerOp | null;
  nodeMsPerOp: number | null;
}

const week = (hours: [string, string]) => ({
  mon: [hours],
  tue: [hours],
  wed: [hours],
  thu: [hours],
  fri: [hours],
  sat: [],
  sun: [],
});

export async function createFixtures(t: BenchTargets, sizes: BenchSizes): Promise<Fixtures> {
  const first = t.nodeUrls[0];
  if (!first) throw new Error('no booking node URL');
  const staff = await loginStaff(first, t.staff.email, t.staff.password);
  // One user holds at most 20 connections per node and 100 commands/s (docs/protocol.md): enough users
  // that no socket loop is that user's limiter's (at most two busy sockets per user).
  const userCount = Math.max(
    8,
    Math.ceil(Math.max(sizes.availability.sockets, sizes.contention.racers, sizes.idle.sockets / 20) / 2),
  );
  const users = await Promise.all(Array.from({ length: userCount }, () => registerUser(first)));
  const stamp = Date.now().toString(36);
  const make = async (name: string) => (await createResource(first, staff.token, `bench ${stamp} ${name}`)).id;
  const resourceIds: string[] = [];
  for (let i = 0; i < sizes.bookings.sockets; i += 1) resourceIds.push(await make(String(i)));
  const raceResource = await make('race');
  const seriesResource = await make('series');
  const seriesSingleResource = await make('series single');
  const fanResource = await make('fan-out');
  // 6's resources: realistic policies in two zones, of a type of their own.
  const findType = `bench-find-${stamp}`;
  for (let i = 0; i < sizes.slotsFind.resources; i += 1) {
    const zone = i % 2 === 0 ? 'Europe/Berlin' : 'America/New_York';
    await createResource(first, staff.token, `bench ${stamp} find ${i}`, {
      type: findType,
      timeZone: zone,
      policy: { openingHours: week(['08:00', '18:00']), slotMinutes: 15, bufferMinutes: 10 },
    });
  }
  const watchResources: string[] = [];
  for (let i = 0; i < sizes.watch.resources; i += 1) watchResources.push(await make(`watch ${i}`));
  return {
    first,
    staffToken: staff.token,
    tokens: users.map((u) => u.token),
    stamp,
    resourceIds,
    raceResource,
    seriesResource,
    seriesSingleResource,
    fanResource,
    findType,
    watchResources,
  };
}

/** `run` and the CPU every process spent on it, per operation `opsOf` counts in its result. */
export async function cpuWindow<T>(
  t: BenchTargets,
  run: () => Promise<T>,
  opsOf: (result: T) => number,
): Promise<CpuMeasured<T>> {
  const before = t.cpu?.();
  const result = await run();
  const after = t.cpu?.();
  const ops = opsOf(result);
  if (!before || !after || ops === 0) return { result, cpu: null, nodeMsPerOp: null };
  const msPerOp: Record<string, number> = {};
  let total = 0;
  let nodes = 0;
  for (const [name, end] of Object.entries(after)) {
    const used = end - (before[name] ?? end);
    msPerOp[name] = Math.round((used / ops) * 100) / 100;
    total += used / ops;
    if (t.nodeProcesses?.includes(name)) nodes += used / ops;
  }
  const nodeMsPerOp = t.nodeProcesses?.some((n) => n in after) ? Math.round(nodes * 100) / 100 : null;
  return {
    result,
    nodeMsPerOp,
    cpu: {
      ops,
      msPerOp,
      totalMsPerOp: Math.round(total * 100) / 100,
      cpuBoundCeilingPerSecond: Math.round((cpus().length * 1000) / total),
    },
  };
}
