/**
 * A child process that leads a process group of its own (POSIX), so one signal reaches it and
 * everything it starts, and a terminal's Ctrl-C (which signals the foreground group) does not.
 * The stack's supervisor and the tests' `spawnServerProcess()` both spawn through here.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { pollUntil } from './net';
import { isAlive, sendSignal } from './process-table';

/** Own process groups on POSIX; Windows has none, so signals go to the process alone. */
export const OWN_GROUP = process.platform !== 'win32';

/** How a child ended. `error` is set when it could not be spawned at all. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

export interface ChildGroup {
  /** The leader's pid (undefined only when it could not be spawned). */
  readonly pid: number | undefined;
  /** Settles once the leader has exited and its output is read, or it failed to spawn. Never rejects. */
  readonly exited: Promise<Exit>;
  /** Whether the leader is still running. */
  running(): boolean;
  /** Sends `sig` to the whole group (the process alone off POSIX). */
  signal(sig: NodeJS.Signals): void;
  /**
   * SIGCONT + SIGTERM to the group, SIGKILL once `graceMs` passed, then SIGKILL to whatever of the
   * group outlived its leader, and waits until the group is gone. Safe to call more than once.
   */
  stop(opts?: { graceMs?: number; onKill?: () => void }): Promise<Exit>;
}

/**
 * How to run a TypeScript entry: node with tsx's loader in the same process, not the tsx CLI. The
 * CLI runs the program as a second process and relays a signal to it, and when that child does not
 * confirm the signal within 30 ms (busy loading modules at start-up, or on a loaded machine) the
 * CLI kills it with SIGKILL and exits 143: the program's own SIGTERM handler never runs. Needs
 * `cwd` to be the repository root (where `tsx` resolves).
 */
export function tsEntry(entry: string, opts: { preload?: string[] } = {}): { command: string; args: string[] } {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', ...(opts.preload ?? []).flatMap((p) => ['--import', p]), entry],
  };
}

function pipeLines(stream: Readable | null, write: (line: string) => void): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', write);
}

export function spawnGroup(spec: {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Each line of the child's stdout / stderr; without it the output is discarded. */
  onLine?: (line: string, stream: 'out' | 'err') => void;
}): ChildGroup {
  const onLine = spec.onLine;
  const proc = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ['ignore', onLine ? 'pipe' : 'ignore', onLine ? 'pipe' : 'ignore'],
    detached: OWN_GROUP,
  });
  if (onLine) {
    pipeLines(proc.stdout, (line) => onLine(line, 'out'));
    pipeLines(proc.stderr, (line) => onLine(line, 'err'));
  }
  let ended = false;
  const exited = new Promise<Exit>((resolve) => {
    proc.on('error', (error) => {
      // Only a failed spawn ends the child here (signals are sent with process.kill, not proc.kill).
      if (proc.pid !== undefined) return;
      ended = true;
      resolve({ code: null, signal: null, error });
    });
    proc.once('exit', () => {
      ended = true;
      // A member of the group that outlived its leader would hold the pipes open: end it too.
      if (OWN_GROUP && proc.pid !== undefined) sendSignal(-proc.pid, 'SIGKILL');
    });
    // 'close' comes after 'exit' once the output pipes are drained, so every line is read by then.
    proc.once('close', (code, signal) => resolve({ code, signal }));
  });
  const pid = proc.pid;
  const target = pid === undefined ? undefined : OWN_GROUP ? -pid : pid;
  const signal = (sig: NodeJS.Signals): void => {
    if (target !== undefined) sendSignal(target, sig);
  };

  let stopping: Promise<Exit> | null = null;
  const stop = (opts: { graceMs?: number; onKill?: () => void } = {}): Promise<Exit> => {
    stopping ??= (async () => {
      signal('SIGCONT'); // a paused (SIGSTOP) process could not act on SIGTERM
      signal('SIGTERM');
      const killer = setTimeout(() => {
        opts.onKill?.();
        signal('SIGKILL');
      }, opts.graceMs ?? 10_000);
      const exit = await exited;
      clearTimeout(killer);
      await killGroup();
      return exit;
    })();
    return stopping;
  };

  /** SIGKILL to what is left of the group once its leader is gone, and wait until none is. */
  const killGroup = async (): Promise<void> => {
    if (!OWN_GROUP || pid === undefined) return;
    sendSignal(-pid, 'SIGKILL');
    await pollUntil(() => !isAlive(-pid), {
      timeoutMs: 5000,
      what: `process group ${pid} to end after SIGKILL`,
      intervalMs: 50,
    });
  };
  return { pid, exited, running: () => !ended, signal, stop };
}
