/**
 * Starts the local OpenID provider (oidc-dev-provider.mjs: the certified `oidc-provider` library)
 * as a plain-node child process on a free loopback port, for `npm start` and the tests. It ends
 * with its parent (its stdin closes) or on `stop()`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const SCRIPT = join(__dirname, 'oidc-dev-provider.mjs');

/** Who `npm start`'s demo provider knows (login → shown name and groups claim). */
export const DEMO_PEOPLE = [
  { login: 'dana', name: 'Dana Demo', groups: ['engineering'] },
  { login: 'sam', name: 'Sam Staffer', groups: ['facilities-staff'] },
] as const;

export interface DevProviderProcess {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

export async function startDevProviderProcess(opts: {
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
}): Promise<DevProviderProcess> {
  const clientId = opts.clientId ?? 'booking';
  const clientSecret = opts.clientSecret ?? `dev-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const child = spawn(process.execPath, [SCRIPT], {
    env: {
      PATH: process.env.PATH ?? '',
      OIDC_DEV_PORT: '0',
      OIDC_DEV_CLIENT_ID: clientId,
      OIDC_DEV_CLIENT_SECRET: clientSecret,
      OIDC_DEV_REDIRECT_URIS: opts.redirectUris.join(','),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  child.stderr.on('data', (d: Buffer) => errors.push(d.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^oidc-dev-provider listening (\S+)$/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the local OpenID provider exited (${code}): ${errors.join('')}`)));
  });
  return {
    issuer,
    clientId,
    clientSecret,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
