/**
 * The stack's restart policy: a child that dies unexpectedly is started again, at most 5 times a
 * minute; past that the supervisor gives up on it and says so through `onGiveUp`.
 */
import { spawnGroup } from './child-group';
import type { ChildGroup } from './child-group';

const STOP_GRACE_MS = 10_000;
const RESTART_WINDOW_MS = 60_000;
const MAX_RESTARTS_PER_WINDOW = 5;

/** Where the stack's messages and its children's prefixed lines go. */
export interface StackOutput {
  out(line: string): void;
  err(line: string): void;
}

export interface Supervised {
  name: string;
  pid(): number | undefined;
  /** Stops the child (SIGTERM to its group, SIGKILL after 10 s) and does not restart it. */
  stop(): Promise<void>;
  /** Last resort from an exit handler: SIGKILL, synchronously. */
  killNow(): void;
}

export function supervise(spec: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Put before each line of the child's output. */
  prefix: string;
  output: StackOutput;
  /** The stack's own messages about this child. */
  log(line: string): void;
  onSpawn(): void;
  onGiveUp(err: Error): void;
}): Supervised {
  let child: ChildGroup | null = null;
  let stopping = false;
  const restarts: number[] = [];

  const launch = (): void => {
    const proc = spawnGroup({
      command: spec.command,
      args: spec.args,
      cwd: spec.cwd,
      env: spec.env,
      onLine: (line, stream) => spec.output[stream](`${spec.prefix}${line}`),
    });
    child = proc;
    void proc.exited.then(({ code, signal, error }) => {
      if (child === proc) child = null;
      if (stopping) return;
      const why = error ? `could not run: ${error.message}` : `exited unexpectedly (${signal ?? `code ${code}`})`;
      const retry = !error;
      const now = Date.now();
      while (restarts.length > 0 && (restarts[0] ?? now) <= now - RESTART_WINDOW_MS) restarts.shift();
      if (!retry || restarts.length >= MAX_RESTARTS_PER_WINDOW) {
        const err = new Error(
          `${spec.name} ${why}; ${retry ? `restarted ${restarts.length} times within a minute, ` : ''}giving up`,
        );
        spec.log(err.message);
        spec.onGiveUp(err);
        return;
      }
      restarts.push(now);
      spec.log(`${spec.name} ${why}; restarting it (${restarts.length}/${MAX_RESTARTS_PER_WINDOW} this minute)`);
      launch();
    });
    spec.onSpawn();
  };

  launch();
  return {
    name: spec.name,
    pid: () => child?.pid,
    async stop() {
      stopping = true;
      const proc = child;
      if (!proc) return;
      try {
        await proc.stop({
          graceMs: STOP_GRACE_MS,
          onKill: () => spec.log(`${spec.name} did not stop within ${STOP_GRACE_MS / 1000} s; killing it`),
        });
      } catch (err) {
        spec.log(`${spec.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    killNow() {
      stopping = true;
      child?.signal('SIGKILL');
    },
  };
}
