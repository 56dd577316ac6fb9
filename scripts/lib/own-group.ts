/**
 * Makes an orchestrating script (`npm start`, `npm run bench`) the leader of its own process group,
 * so a terminal's Ctrl-C reaches only it and it stops its children in order.
 */
import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { groupOf } from './process-table';

const RELAY_ENV = 'BOOKING_STACK_RELAYED';

/**
 * Runs this very script again as a detached child (a new group) and relays signals and the exit
 * code to it. Returns true in the process that should go on and start the stack (it calls
 * `onRelayGone` if the relay dies, e.g. by SIGKILL, so the stack still stops), false in the relay.
 *
 * Why: a terminal's Ctrl-C signals the whole foreground process group at once. mongod and
 * redis-server are spawned into our group by their helpers, so they would start shutting down
 * while the nodes still use them, and a replica-set mongod interrupted that way hangs in its
 * step-down until it is killed. In a group of our own only our handler sees the signal and the
 * stop order holds.
 */
export function leadOwnProcessGroup(onRelayGone: () => void): boolean {
  if (process.platform !== 'linux' || groupOf(process.pid) === process.pid) {
    if (process.env[RELAY_ENV] === '1' && process.channel) {
      process.channel.unref();
      process.once('disconnect', onRelayGone);
    }
    delete process.env[RELAY_ENV]; // not for our children
    return true;
  }
  const script = process.argv[1];
  if (!script) return true;
  const child = spawn(process.execPath, [...process.execArgv, script, ...process.argv.slice(2)], {
    detached: true,
    // The IPC channel is only there to close when this relay dies.
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [RELAY_ENV]: '1' },
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    });
  }
  child.once('error', (err) => {
    process.stderr.write(`could not start ${script}: ${err.message}\n`);
    process.exit(1);
  });
  child.once('exit', (code, sig) => process.exit(code ?? 128 + (sig ? osConstants.signals[sig] : 1)));
  return false;
}

/**
 * Runs a one-shot script's `main` as the leader of its own process group (see above): exits with
 * the code it answers (0 when none), or 1 with `<name> failed: <stack>` when it throws.
 */
export function runScript(name: string, main: () => Promise<number | void>): void {
  if (!leadOwnProcessGroup(() => process.exit(1))) return;
  main().then(
    (code) => process.exit(code ?? 0),
    (err: unknown) => {
      process.stderr.write(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
