/**
 * The stack's data folder (default `<repo>/.data`): the embedded stores' data, `ports.json` (the
 * ports to take again next time, so URLs and the replica set config stay valid), `secret` (the
 * AUTH_SECRET, so tokens survive a restart) and `pids.json` (every process the stack runs, so the
 * next start can stop what a killed run left behind).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pollUntil } from './net';
import { cmdlineOf, isAlive, sendSignal } from './process-table';
import type { ProcessRecord } from './process-table';

export type PortName = 'mongo' | 'redis' | 'gateway';
const PORT_NAMES: readonly PortName[] = ['mongo', 'redis', 'gateway'];

export interface PidFile {
  /** The orchestrating process itself. */
  self: ProcessRecord;
  processes: ProcessRecord[];
}

export interface StateDir {
  dir: string;
  /** `<dir>/<name>`. */
  path(name: string): string;
  /** `ports.json`: where to show the user. */
  portsFile: string;
  /** The port this folder's stores (or gateway) used last time. */
  port(name: PortName): number | undefined;
  /** Remembers a port in `ports.json`. */
  keepPort(name: PortName, port: number): void;
  /** The random AUTH_SECRET kept in `secret`, created the first time. */
  secret(): string;
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

export function openStateDir(dir: string): StateDir {
  mkdirSync(dir, { recursive: true });
  const portsFile = join(dir, 'ports.json');
  const raw = readJson(portsFile);
  const ports: Partial<Record<PortName, number>> = {};
  if (typeof raw === 'object' && raw !== null) {
    for (const key of PORT_NAMES) {
      const value: unknown = Reflect.get(raw, key);
      if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536) ports[key] = value;
    }
  }
  return {
    dir,
    path: (name) => join(dir, name),
    portsFile,
    port: (name) => ports[name],
    keepPort(name, port) {
      ports[name] = port;
      writeJsonAtomic(portsFile, ports);
    },
    secret() {
      const path = join(dir, 'secret');
      if (existsSync(path)) {
        const secret = readFileSync(path, 'utf8').trim();
        if (secret.length >= 32) return secret;
      }
      const secret = randomBytes(32).toString('base64url');
      writeFileSync(path, `${secret}\n`, { mode: 0o600 });
      return secret;
    },
  };
}

export function readPidFile(path: string): PidFile | null {
  const raw = readJson(path);
  const isRecord = (v: unknown): v is ProcessRecord =>
    typeof v === 'object' &&
    v !== null &&
    typeof Reflect.get(v, 'pid') === 'number' &&
    typeof Reflect.get(v, 'cmdline') === 'string';
  if (typeof raw !== 'object' || raw === null) return null;
  const self: unknown = Reflect.get(raw, 'self');
  const processes: unknown = Reflect.get(raw, 'processes');
  if (!isRecord(self) || !Array.isArray(processes)) return null;
  return { self, processes: processes.filter(isRecord) };
}

/** Records this process and `processes` in the pid file; removes the file when none runs. */
export function writePidFile(path: string, processes: ProcessRecord[]): void {
  if (processes.length === 0) {
    rmSync(path, { force: true });
    return;
  }
  const file: PidFile = { self: { pid: process.pid, cmdline: cmdlineOf(process.pid) }, processes };
  writeJsonAtomic(path, file);
}

/**
 * A previous run that died without cleaning up (SIGKILL, power cut of the terminal) leaves its
 * children running: redis-server and the node groups do not watch their parent. Stop those that
 * are still the very same command line; refuse when the previous orchestrator itself still runs.
 */
export async function reapLeftovers(pidFile: string, log: (line: string) => void): Promise<void> {
  const previous = readPidFile(pidFile);
  if (!previous) return;
  if (
    previous.self.pid !== process.pid &&
    isAlive(previous.self.pid) &&
    cmdlineOf(previous.self.pid) === previous.self.cmdline
  ) {
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
