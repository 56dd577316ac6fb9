/**
 * What a stack (stack.ts) has started so far, and how it stops it: the supervised children first
 * (in parallel), then the stores (MongoDB, Redis, the gateway, the mail catcher) in reverse order
 * of starting, so no node loses its stores while it is still shutting down.
 */
import { OWN_GROUP } from './child-group';
import { descendants } from './process-table';
import type { ProcessRecord } from './process-table';
import { writePidFile } from './state-dir';
import type { Supervised } from './supervise';

/** Something started that `stop()` stops after the children, in reverse order of starting. */
export interface Store {
  name: string;
  stop(): Promise<void>;
}

/** What a stack has started so far, and how it stops it: children (in parallel), then the stores in reverse. */
export interface Started {
  stores: Store[];
  children: Supervised[];
  processes(): ProcessRecord[];
  recordPids(): void;
  stop(): Promise<void>;
  isStopping(): boolean;
}

export function startedSet(opts: { pidFile?: string }, log: (line: string) => void): Started {
  const stores: Store[] = [];
  const children: Supervised[] = [];
  let stopped: Promise<void> | null = null;
  const processes = (): ProcessRecord[] => {
    const tree = descendants(process.pid);
    const known = new Set(tree.map((p) => p.pid));
    // Off Linux the tree is unknown; at least name the children we spawned ourselves.
    for (const c of children) {
      const pid = c.pid();
      if (pid !== undefined && !known.has(pid))
        tree.push({ pid, ...(OWN_GROUP ? { pgid: pid } : {}), cmdline: c.name });
    }
    return tree;
  };
  const recordPids = (): void => {
    if (opts.pidFile) writePidFile(opts.pidFile, processes());
  };
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      const errors: unknown[] = [];
      if (children.length > 0) log(`stopping ${children.map((c) => c.name).join(', ')}`);
      await Promise.all(children.map((c) => c.stop()));
      for (const store of [...stores].reverse()) {
        log(`stopping ${store.name}`);
        try {
          await store.stop();
        } catch (err) {
          errors.push(err);
        }
      }
      recordPids();
      if (errors.length > 0) throw new Error(`stop failed: ${errors.map(String).join('; ')}`);
    })();
    return stopped;
  };
  return { stores, children, processes, recordPids, stop, isStopping: () => stopped !== null };
}
