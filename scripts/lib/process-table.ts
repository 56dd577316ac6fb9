/**
 * The process table as Linux's /proc shows it: who descends from whom, which group a process
 * leads, whether a pid or a whole process group still runs. Elsewhere the tree reads as empty and
 * liveness falls back to signal 0.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** One process a stack (or a test) started, as recorded in `pids.json`. */
export interface ProcessRecord {
  pid: number;
  /** Process group, when it differs from ours (the node children lead their own groups). */
  pgid?: number;
  cmdline: string;
}

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

function allProcs(): ProcInfo[] {
  const found: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProc(Number(entry));
    if (info) found.push(info);
  }
  return found;
}

/** The process group `pid` belongs to (Linux), or undefined. */
export function groupOf(pid: number): number | undefined {
  return readProc(pid)?.pgid;
}

export function cmdlineOf(pid: number): string {
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
  for (const info of allProcs()) {
    const siblings = byParent.get(info.ppid) ?? [];
    siblings.push(info);
    byParent.set(info.ppid, siblings);
  }
  const ownGroup = groupOf(root);
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
export function isAlive(target: number): boolean {
  try {
    process.kill(target, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  if (target > 0) return readProc(target)?.state !== 'Z';
  return allProcs().some((info) => info.pgid === -target && info.state !== 'Z');
}

/** Sends `sig` to a pid (or minus a group id); one that is already gone is not an error. */
export function sendSignal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
