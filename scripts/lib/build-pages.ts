import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Builds the booking page and the staff dashboard the nodes serve. Run by the scripts that need
 * them (npm start, npm run screenshots) rather than as an npm script chain, so a Ctrl-C during
 * start reaches this process (a `sh -c "a && b"` would not pass it on).
 */
export async function buildPages(root: string, signal: AbortSignal, say: (line: string) => void): Promise<void> {
  const steps: Array<[string, string[]]> = [
    [join(root, 'node_modules', '.bin', 'vite'), ['build', 'web', '--logLevel', 'warn']],
    [process.execPath, [join(root, 'admin-desktop', 'scripts', 'build-admin.mjs')]],
  ];
  say('building the booking page and the staff dashboard');
  for (const [command, args] of steps) {
    await new Promise<void>((done, fail) => {
      const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], signal });
      child.once('error', fail);
      child.once('exit', (code) =>
        code === 0 ? done() : fail(new Error(`${[command, ...args].join(' ')} exited with ${code}`)),
      );
    });
  }
}
