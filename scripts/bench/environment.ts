/** Where and on what a bench run ran: the machine and the commit, recorded in artifacts/bench.json. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { resolve } from 'node:path';

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  /** Kernel (`os.type()` and `os.release()`) and, on Linux, the distribution's PRETTY_NAME. */
  os: string;
}

export interface Commit {
  /** `git rev-parse HEAD`, or null outside a git checkout. */
  sha: string | null;
  /** Uncommitted changes or untracked files when the run started (the bench's own output aside). */
  dirty: boolean | null;
  /** `git status --porcelain` lines (at most 50): what made the tree dirty. */
  changes: string[];
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function machine(): Machine {
  const cpuModel =
    /^model name\s*:\s*(.+)$/m.exec(readOr('/proc/cpuinfo'))?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const distro = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readOr('/etc/os-release'))?.[1];
  return {
    nproc: cpus().length,
    cpuModel,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    os: `${type()} ${release()}${distro ? ` (${distro})` : ''}`,
  };
}

/** The checkout this bench ran from (the repository root above scripts/). */
export function commit(root = resolve(__dirname, '..', '..')): Commit {
  const git = (args: string[]) =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  try {
    const sha = git(['rev-parse', 'HEAD']).trim();
    // artifacts/bench.json is this run's output, not its input.
    const changes = git(['status', '--porcelain', '--', '.', ':(exclude)artifacts/bench.json'])
      .split('\n')
      .filter(Boolean);
    return { sha, dirty: changes.length > 0, changes: changes.slice(0, 50) };
  } catch {
    return { sha: null, dirty: null, changes: [] };
  }
}
