/**
 * The local multi-process stack behind `npm start`, reusable by the benchmarks: what runs and in
 * which order. Embedded MongoDB and Redis (or the ones given by URL), N server nodes and the
 * notification service (with a mail catcher when no SMTP_URL is given), each a supervised child
 * whose output is prefixed with its name, and the HAProxy gateway in front of the nodes.
 *
 * Start order: MongoDB → Redis → server nodes + notifier (in parallel) → every node's /healthz
 * answers 200 → gateway. Stop order is the reverse: children first (SIGTERM, SIGKILL after 10 s),
 * then the gateway, the mail catcher, Redis and MongoDB, so no node loses its stores while it is
 * still shutting down.
 *
 * The parts live beside this file: net.ts (ports, polling), process-table.ts (/proc),
 * child-group.ts and supervise.ts (children and their restarts), own-group.ts (Ctrl-C),
 * state-dir.ts (the data folder).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tsEntry } from './child-group';
import { startMongo } from './embedded-mongo';
import { startRedis } from './embedded-redis';
import { startGateway } from './gateway';
import { startMailCatcher } from './mail-catcher';
import { startDevProviderProcess } from './oidc-dev';
import { answers200, freePort, pollUntil, portIsFree } from './net';
import { descendants, sendSignal } from './process-table';
import type { ProcessRecord } from './process-table';
import { startedSet } from './started';
import type { Store } from './started';
import { openStateDir, reapLeftovers } from './state-dir';
import type { StateDir } from './state-dir';
import { supervise } from './supervise';
import type { StackOutput } from './supervise';

export type { StackOutput } from './supervise';
export type { ProcessRecord } from './process-table';

export interface StackOptions {
  /** Repository root: children run there and `tsx` is resolved there. */
  root: string;
  /** Holds the embedded stores' data and `ports.json`, `secret`, `pids.json`. */
  dataDir: string;
  /** One server node per name (its NODE_ID). Default `node-a`, `node-b`. */
  nodeIds?: readonly string[];
  /** An external MongoDB replica set; when set no mongod is started. */
  mongoUrl?: string;
  /** An external Redis; when set no redis-server is started. */
  redisUrl?: string;
  /** Signs tokens; default: a random one kept in `<dataDir>/secret` so tokens survive restarts. */
  authSecret?: string;
  /** Staff account created at start (docs/protocol.md STAFF_EMAIL / STAFF_PASSWORD). */
  staff?: { email: string; password: string };
  logLevel?: string;
  /** Where the notifier sends mail; when unset a local mail catcher is started and used. */
  smtpUrl?: string;
  /** Extra environment for every child (e.g. `BOOKING_LOCKS=off` for a benchmark). */
  env?: Record<string, string>;
  /** Front the nodes with the HAProxy gateway (default true); its URL becomes the booking page. */
  gateway?: boolean;
  /** Run the notification service (and its mail catcher) when it exists (default true). */
  notifier?: boolean;
  /** How long every node gets to answer /healthz 200 (default 90 s). */
  healthTimeoutMs?: number;
  /**
   * Run the local OpenID provider (oidc-dev-provider.mjs) and point the nodes' single sign-on at it
   * (needs the gateway: its URL is where the provider sends people back). Default false.
   */
  devSso?: boolean;
  /** When set, `pids.json`-style record of every process the stack runs is kept there. */
  pidFile?: string;
  output?: StackOutput;
  /** Aborting it during start stops what was started and rejects with an AbortError. */
  signal?: AbortSignal;
}

export interface NodeUrls {
  nodeId: string;
  port: number;
  /** The booking page. */
  url: string;
  admin: string;
  healthz: string;
}

export interface StackUrls {
  /** The booking page: the gateway's URL (the first node's when run without a gateway). */
  booking: string;
  /** The gateway in front of the nodes, when it runs. */
  gateway?: string;
  admin: string;
  nodes: NodeUrls[];
  mongo: string;
  redis: string;
  /** The local mail catcher's page (only when it runs: notifier present, no SMTP_URL given). */
  mail?: string;
  /** The local OpenID provider's issuer (only with `devSso`). */
  sso?: string;
}

export interface Stack {
  urls: StackUrls;
  /** The environment every child got (useful for seed scripts and benchmarks). */
  env: Record<string, string>;
  /** Settles when a child crashed too often to be restarted; the stack is then degraded. */
  failed: Promise<Error>;
  /** Everything the stack started that is still alive (Linux: the whole process tree). */
  processes(): ProcessRecord[];
  /** Stops children, then the gateway, the mail catcher, Redis and MongoDB. Safe to call more than once. */
  stop(): Promise<void>;
  /** Last resort from a `process.on('exit')` handler: SIGKILL everything, synchronously. */
  killNow(): void;
}

const DEFAULT_NODE_IDS = ['node-a', 'node-b'] as const;

/** Appends a database name to a MongoDB URL whose path names none (keeps hosts and options). */
export function withDatabase(url: string, db: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?(\?.*)?$/.exec(url);
  if (!match) throw new Error(`not a MongoDB URL: ${url}`);
  const [, base = '', path = '', query = ''] = match;
  return path === '' || path === '/' ? `${base}/${db}${query}` : url;
}

function abortError(): Error {
  const err = new Error('start aborted');
  err.name = 'AbortError';
  return err;
}

const defaultOutput: StackOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** MongoDB: the given URL, or an embedded mongod that keeps its port (the replica set config names host:port). */
async function mongoStep(
  opts: StackOptions,
  state: StateDir,
  log: (line: string) => void,
  stores: Store[],
): Promise<string> {
  if (opts.mongoUrl) return opts.mongoUrl;
  const port = state.port('mongo') ?? (await freePort());
  try {
    // A mongod of a run that just died may still be shutting down (its watchdog stops it).
    await pollUntil(() => portIsFree(port), { timeoutMs: 10_000, what: `port ${port}`, intervalMs: 250 });
  } catch {
    throw new Error(
      `port ${port} (MongoDB's, kept in ${state.portsFile}) is in use; stop what uses it, or delete ${state.dir} to start afresh`,
    );
  }
  log(`starting MongoDB on port ${port}`);
  const mongo = await startMongo({ dbPath: state.path('mongo'), port });
  stores.push({ name: 'MongoDB', stop: () => mongo.stop() });
  state.keepPort('mongo', mongo.port);
  return mongo.url;
}

/** Redis: the given URL, or an embedded redis-server on last run's port when free, so its clients find it again. */
async function redisStep(
  opts: StackOptions,
  state: StateDir,
  log: (line: string) => void,
  stores: Store[],
): Promise<string> {
  if (opts.redisUrl) return opts.redisUrl;
  const port = await freePort(state.port('redis'));
  log(`starting Redis on port ${port}`);
  const redis = await startRedis({ port, dir: state.path('redis'), persist: true });
  stores.push({ name: 'Redis', stop: () => redis.stop() });
  state.keepPort('redis', redis.port);
  return redis.url;
}

/**
 * The gateway users open: HAProxy round-robins new clients over the nodes and pins each one with a
 * cookie. Its port is kept (3000 when free the first time) so bookmarks keep working.
 */
async function gatewayStep(spec: {
  port: number;
  state: StateDir;
  nodes: NodeUrls[];
  log: (line: string) => void;
  stores: Store[];
  abort: () => Error | null;
}): Promise<string> {
  const { port } = spec;
  spec.log(`starting the gateway (HAProxy) on port ${port}`);
  const gateway = await startGateway({
    dir: spec.state.path('gateway'),
    port,
    servers: spec.nodes.map((n) => ({ name: n.nodeId, host: '127.0.0.1', port: n.port })),
  });
  spec.stores.push({ name: 'the gateway', stop: () => gateway.stop() });
  spec.state.keepPort('gateway', gateway.port);
  await pollUntil(() => answers200(`${gateway.url}/healthz`), {
    timeoutMs: 20_000,
    what: 'the gateway to answer',
    intervalMs: 250,
    abort: spec.abort,
  });
  return gateway.url;
}

/** The environment every child gets: the stores' URLs, the secret, the staff account, the log level. */
function childEnv(opts: StackOptions, state: StateDir, mongoUrl: string, redisUrl: string): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    MONGO_URL: mongoUrl,
    REDIS_URL: redisUrl,
    AUTH_SECRET: opts.authSecret ?? state.secret(),
    STAFF_EMAIL: opts.staff?.email ?? 'staff@example.com',
    STAFF_PASSWORD: opts.staff?.password ?? 'staff-password',
    LOG_LEVEL: opts.logLevel ?? 'info',
    ...opts.env,
  };
}

type RunChild = (name: string, entry: string, env: Record<string, string>) => void;

/** One server node per id, each on a free port. */
async function nodesStep(nodeIds: readonly string[], run: RunChild, log: (line: string) => void): Promise<NodeUrls[]> {
  const nodes: NodeUrls[] = [];
  for (const nodeId of nodeIds) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    nodes.push({ nodeId, port, url: `${url}/`, admin: `${url}/admin`, healthz: `${url}/healthz` });
    log(`starting ${nodeId} on port ${port}`);
    run(nodeId, join('server', 'src', 'main.ts'), { PORT: String(port), NODE_ID: nodeId });
  }
  return nodes;
}

/**
 * The notifier, sending to SMTP_URL; with none, mail goes to a local catcher whose page shows it
 * (stopped with the stores, after the notifier). Returns the catcher's page, if any.
 */
async function notifierStep(
  opts: StackOptions,
  run: RunChild,
  log: (line: string) => void,
  stores: Store[],
): Promise<string | undefined> {
  let smtpUrl = opts.smtpUrl;
  let mailUrl: string | undefined;
  if (!smtpUrl) {
    const catcher = await startMailCatcher({ httpPort: await freePort() });
    stores.push({ name: 'the mail catcher', stop: () => catcher.stop() });
    log(`mail catcher: SMTP ${catcher.smtpUrl}, caught mail at ${catcher.httpUrl}`);
    smtpUrl = catcher.smtpUrl;
    mailUrl = catcher.httpUrl;
  }
  log('starting the notifier');
  run('notifier', NOTIFIER_ENTRY, { PORT: String(await freePort()), NODE_ID: 'notifier', SMTP_URL: smtpUrl });
  return mailUrl;
}

/**
 * The local OpenID provider with its demo people; the nodes' OIDC_* point at it, and its
 * `facilities-staff` group makes staff. Stopped with the stores.
 */
async function devSsoStep(
  front: string,
  log: (line: string) => void,
  stores: Store[],
): Promise<{ issuer: string; env: Record<string, string> }> {
  const provider = await startDevProviderProcess({ redirectUris: [`${front}/api/auth/oidc/callback`] });
  stores.push({ name: 'the local OpenID provider', stop: () => provider.stop() });
  log(`local OpenID provider at ${provider.issuer}`);
  return {
    issuer: provider.issuer,
    env: {
      PUBLIC_URL: front,
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_STAFF_GROUPS: 'facilities-staff',
      OIDC_NAME: 'Demo directory',
    },
  };
}

const NOTIFIER_ENTRY = join('server', 'src', 'notifier-main.ts');

export async function startStack(opts: StackOptions): Promise<Stack> {
  const output = opts.output ?? defaultOutput;
  const nodeIds = opts.nodeIds ?? DEFAULT_NODE_IDS;
  if (nodeIds.length === 0) throw new Error('a stack needs at least one server node');
  const withNotifier = (opts.notifier ?? true) && existsSync(join(opts.root, NOTIFIER_ENTRY));
  const width = Math.max('stack'.length, ...nodeIds.map((n) => n.length), withNotifier ? 'notifier'.length : 0);
  const prefixFor = (name: string) => `${name.padEnd(width)} | `;
  const log = (line: string) => output.out(`${prefixFor('stack')}${line}`);
  const state = openStateDir(opts.dataDir);
  const started = startedSet(opts, log);
  const { stores, children, recordPids } = started;

  let giveUp: (err: Error) => void = () => {};
  const failed = new Promise<Error>((resolve) => {
    giveUp = resolve;
  });
  let fatal: Error | null = null;
  // Ends every wait of the start: on abort, on a child given up, and once stop() began.
  const abortReason = (): Error | null => (opts.signal?.aborted || started.isStopping() ? abortError() : fatal);
  const checkpoint = (): void => {
    const reason = abortReason();
    if (reason) throw reason;
  };

  try {
    if (opts.pidFile) await reapLeftovers(opts.pidFile, log);
    const mongoUrl = withDatabase(await mongoStep(opts, state, log, stores), 'booking');
    checkpoint();
    const redisUrl = await redisStep(opts, state, log, stores);
    recordPids();
    checkpoint();

    // The gateway's port is chosen before the nodes start: single sign-on sends people back to it.
    const withGateway = opts.gateway ?? true;
    const gatewayPort = withGateway ? await freePort(state.port('gateway') ?? 3000) : 0;
    const sso = opts.devSso && withGateway ? await devSsoStep(`http://127.0.0.1:${gatewayPort}`, log, stores) : null;
    const env = { ...childEnv(opts, state, mongoUrl, redisUrl), ...(sso?.env ?? {}) };
    const baseEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) baseEnv[k] = v;
    const onGiveUp = (err: Error) => {
      fatal ??= err;
      giveUp(err);
    };
    const run: RunChild = (name, entry, extra) => {
      children.push(
        supervise({
          name,
          ...tsEntry(entry),
          cwd: opts.root,
          env: { ...baseEnv, ...env, ...extra },
          prefix: prefixFor(name),
          output,
          log,
          onSpawn: recordPids,
          onGiveUp,
        }),
      );
    };

    const nodes = await nodesStep(nodeIds, run, log);
    const mailUrl = withNotifier ? await notifierStep(opts, run, log, stores) : undefined;

    const timeoutMs = opts.healthTimeoutMs ?? 90_000;
    await Promise.all(
      nodes.map((n) =>
        pollUntil(() => answers200(n.healthz), {
          timeoutMs,
          what: `${n.nodeId} to answer ${n.healthz} with 200`,
          intervalMs: 250,
          abort: abortReason,
        }),
      ),
    );
    checkpoint();

    const first = nodes[0];
    if (!first) throw new Error('unreachable: no server node');
    const gatewayUrl = withGateway
      ? await gatewayStep({ port: gatewayPort, state, nodes, log, stores, abort: abortReason })
      : undefined;
    const front = gatewayUrl
      ? { booking: `${gatewayUrl}/`, admin: `${gatewayUrl}/admin`, gateway: gatewayUrl }
      : { booking: first.url, admin: first.admin };
    recordPids();

    return {
      urls: {
        ...front,
        nodes,
        mongo: mongoUrl,
        redis: redisUrl,
        ...(mailUrl ? { mail: mailUrl } : {}),
        ...(sso ? { sso: sso.issuer } : {}),
      },
      env,
      failed,
      processes: started.processes,
      stop: started.stop,
      killNow() {
        for (const c of children) c.killNow();
        for (const p of descendants(process.pid)) sendSignal(p.pid, 'SIGKILL');
      },
    };
  } catch (err) {
    try {
      await started.stop();
    } catch (stopErr) {
      log(`cleanup after a failed start failed too: ${String(stopErr)}`);
    }
    throw err;
  }
}
