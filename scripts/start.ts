/**
 * `npm start`: the whole system on one machine with embedded defaults (docs/protocol.md). The stack
 * itself lives in lib/stack.ts; this file reads the environment, prints the URLs and turns
 * Ctrl-C / SIGTERM / SIGHUP into an orderly stop.
 *
 * Environment: MONGO_URL / REDIS_URL replace the embedded stores; AUTH_SECRET, STAFF_EMAIL,
 * STAFF_PASSWORD, LOG_LEVEL, SMTP_URL pass through; without OIDC_ISSUER a local OpenID provider
 * runs with two demo people (scripts/lib/oidc-dev-provider.mjs) and the nodes sign in with it; BOOKING_DATA_DIR moves the data folder
 * (default `<repo>/.data`, which keeps the data, ports, secret and `pids.json`).
 *
 * `--no-build` skips building the booking page and the dashboard and serves what web/dist and
 * admin-desktop/dist/renderer already hold: the end-to-end test runs it that way, because other
 * suites serve those folders while it runs and a rebuild empties them first.
 */
import { join, resolve } from 'node:path';
import { registerCollections } from '../server/src/data';
import { createLogger } from '../server/src/infra/logger';
import { openDatabase } from '../server/src/infra/stores';
import { buildPages } from './lib/build-pages';
import { rekeyDemoDisplay } from './lib/demo-display';
import { DEMO_PEOPLE } from './lib/oidc-dev';
import { leadOwnProcessGroup } from './lib/own-group';
import { startStack } from './lib/stack';
import type { Stack, StackOptions } from './lib/stack';

const root = resolve(__dirname, '..');
const env = (name: string): string | undefined => process.env[name] || undefined;
const dataDir = resolve(env('BOOKING_DATA_DIR') ?? join(root, '.data'));
const say = (line: string) => process.stdout.write(`${line}\n`);

function options(signal: AbortSignal): StackOptions {
  const opts: StackOptions = {
    root,
    dataDir,
    pidFile: join(dataDir, 'pids.json'),
    signal,
    staff: { email: env('STAFF_EMAIL') ?? 'staff@example.com', password: env('STAFF_PASSWORD') ?? 'staff-password' },
    logLevel: env('LOG_LEVEL') ?? 'info',
    // Single sign-on against a local provider, unless a real one is configured.
    devSso: !env('OIDC_ISSUER'),
  };
  const mongoUrl = env('MONGO_URL');
  const redisUrl = env('REDIS_URL');
  const authSecret = env('AUTH_SECRET');
  const smtpUrl = env('SMTP_URL');
  if (mongoUrl) opts.mongoUrl = mongoUrl;
  if (redisUrl) opts.redisUrl = redisUrl;
  if (authSecret) opts.authSecret = authSecret;
  if (smtpUrl) opts.smtpUrl = smtpUrl;
  return opts;
}

function printUrls(stack: Stack): void {
  const { urls } = stack;
  const rows: Array<[string, string]> = [
    ['booking page', urls.booking],
    ...(urls.gateway ? [['gateway (HAProxy)', urls.gateway] as [string, string]] : []),
    ['admin', urls.admin],
    ...urls.nodes.map((n): [string, string] => [`${n.nodeId} healthz`, n.healthz]),
    [
      'staff sign-in',
      `${stack.env.STAFF_EMAIL} / ${env('STAFF_PASSWORD') ? '(your STAFF_PASSWORD)' : 'staff-password'}`,
    ],
    ...(urls.sso
      ? [
          [
            'single sign-on',
            `"Sign in with Demo directory" on the booking page, then pick ${DEMO_PEOPLE.map(
              (p) => `${p.name} (groups: ${p.groups.join(', ')})`,
            ).join(' or ')}; facilities-staff makes staff. Provider: ${urls.sso}`,
          ] as [string, string],
        ]
      : []),
    ...(urls.mail ? [['caught mail', urls.mail] as [string, string]] : []),
    ['MongoDB', urls.mongo],
    ['Redis', urls.redis],
    ['data', dataDir],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  say('');
  say('The booking stack is up:');
  for (const [label, value] of rows) say(`  ${label.padEnd(width)}${value}`);
  say('Press Ctrl-C to stop everything.');
  say('');
}

/** (v3) The demo room display's URL, with a token fresh at every start (the previous one stops working). */
async function printDemoDisplay(stack: Stack): Promise<void> {
  const { conn, collections } = await openDatabase({
    config: { mongoUrl: stack.urls.mongo },
    logger: createLogger({ level: 'warn', nodeId: 'start' }),
    appName: 'start',
    register: registerCollections,
  });
  try {
    const url = await rekeyDemoDisplay(collections, stack.urls.gateway ?? stack.urls.booking);
    say(url ? `Room display: ${url}` : 'Room display: run `npm run seed`, then restart, for a demo display URL');
  } finally {
    await conn.close();
  }
}

/** Starts the stack; returns the function that stops it and exits. */
function run(): (code: number) => Promise<void> {
  let stack: Stack | null = null;
  let exiting = false;
  let stopRequestedAt = 0;
  let nagged = false;
  const aborter = new AbortController();

  const built = process.argv.includes('--no-build') ? Promise.resolve() : buildPages(root, aborter.signal, say);
  const startup: Promise<Stack | null> = built
    .then(() => startStack(options(aborter.signal)))
    .then(
      (started) => {
        stack = started;
        if (exiting) return started; // a signal came in as the last step finished: shutdown() stops it
        started.failed.then(
          (err) => {
            process.stderr.write(`${err.message}; stopping everything\n`);
            void shutdown(1);
          },
          () => {},
        );
        printUrls(started);
        printDemoDisplay(started).catch((err: unknown) =>
          process.stderr.write(`no demo room display: ${err instanceof Error ? err.message : String(err)}\n`),
        );
        return started;
      },
      (err: unknown) => {
        // startStack has already stopped whatever it had started.
        if (!(err instanceof Error && err.name === 'AbortError')) {
          process.stderr.write(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
          void shutdown(1);
        }
        return null;
      },
    );

  /** Stops whatever runs (a start in progress unwinds first) and exits. */
  async function shutdown(code: number): Promise<void> {
    if (exiting) {
      // One Ctrl-C can arrive more than once (terminal, npm, tsx all pass it on): only answer a
      // second press.
      if (!nagged && Date.now() - stopRequestedAt > 1000) {
        say('still stopping…');
        nagged = true;
      }
      return;
    }
    exiting = true;
    stopRequestedAt = Date.now();
    aborter.abort();
    let exitCode = code;
    try {
      const started = await startup;
      if (started) await started.stop();
    } catch (err) {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      exitCode = 1;
    }
    say('stopped');
    process.exit(exitCode);
  }

  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void shutdown(0));
  // Whatever else happens (an uncaught exception included), leave no process behind.
  process.on('exit', () => stack?.killNow());
  return shutdown;
}

let stop: ((code: number) => Promise<void>) | null = null;
const leads = leadOwnProcessGroup(() => {
  process.stderr.write('the process that started this one is gone; stopping\n');
  void stop?.(1);
});
if (leads) stop = run();
