/**
 * Configuration, parsed once from the environment (docs/protocol.md). Nothing else reads process.env.
 * A missing or malformed required value stops the process with one line naming it.
 */
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { z } from 'zod';
import { DEFAULT_KEY_PREFIX } from './channels';

const Port = z.coerce.number().int().min(0).max(65535);
const Url = (protocols: string[]) =>
  z
    .string()
    .min(1)
    .refine(
      (s) => {
        try {
          return protocols.includes(new URL(s).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.join(' or ')}//`,
    );

/**
 * A MongoDB connection string in the standard grammar: one host, the multi-host replica-set form
 * `mongodb://[user:pass@]h1:p1,h2:p2,h3:p3/db?replicaSet=rs`, or `mongodb+srv://host/db`.
 * WHATWG `URL` refuses the comma-separated host list, so it cannot be the check; the driver's
 * own parser would be, but loading it here would delay the signal handlers (see main.ts).
 */
const MONGO_URL_FORM = /^mongodb(\+srv)?:\/\/(?:[^@/?#]+@)?([^/?#@]+)(?:\/[^?#]*)?(?:\?[^#]*)?$/;

const MongoUrl = z
  .string()
  .min(1)
  .refine((s) => {
    const m = MONGO_URL_FORM.exec(s);
    if (!m?.[2]) return false;
    const hosts = m[2].split(',');
    // An SRV record names one host, without a port.
    if (m[1]) return hosts.length === 1 && /^[A-Za-z0-9.-]+$/.test(hosts[0] ?? '');
    return hosts.every(validMongoHost);
  }, 'must be a connection string: mongodb://host:port[,host:port...]/db?replicaSet=rs or mongodb+srv://host/db');

function validMongoHost(hostPort: string): boolean {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._%-]+)(?::(\d{1,5}))?$/.exec(hostPort);
  return m !== null && (m[2] === undefined || Number(m[2]) <= 65535);
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** One `TRUSTED_PROXIES` entry: a name of proxy-addr's, an address, or an address/prefix. */
function validProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [addr, bits, extra] = entry.split('/');
  if (extra !== undefined || !addr) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** `TRUSTED_PROXIES`: a comma-separated list, parsed into the entries express's `trust proxy` takes. */
const TrustedProxies = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e.length > 0),
  )
  .refine(
    (list) => list.length > 0 && list.every(validProxyEntry),
    'must be comma-separated addresses, CIDRs, or loopback / linklocal / uniquelocal',
  );

/** Where Redis is: one instance (`redis://`, `rediss://`) or a Redis Cluster's seed nodes. */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | {
      kind: 'cluster';
      nodes: Array<{ host: string; port: number }>;
      username?: string;
      password?: string;
      tls: boolean;
    };

const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#@]+)\/?$/;
const HOST_PORT = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

/**
 * Parses `REDIS_URL`: `redis://host:port[/db]`, `rediss://…`, or (docs/protocol.md, v2) a cluster as
 * `redis+cluster://[user:password@]host:port,host:port,...` (`rediss+cluster://` for TLS); the
 * hosts are seed nodes, ioredis discovers the rest. Returns null when it is none of these.
 */
export function parseRedisTarget(s: string): RedisTarget | null {
  const cluster = CLUSTER_URL.exec(s);
  if (cluster) {
    const nodes: Array<{ host: string; port: number }> = [];
    for (const part of (cluster[4] ?? '').split(',')) {
      const hp = HOST_PORT.exec(part);
      const port = Number(hp?.[2] ?? 6379);
      if (!hp?.[1] || port < 1 || port > 65535) return null;
      nodes.push({ host: hp[1], port });
    }
    return {
      kind: 'cluster',
      nodes,
      ...(cluster[2] ? { username: decodeURIComponent(cluster[2]) } : {}),
      ...(cluster[3] ? { password: decodeURIComponent(cluster[3]) } : {}),
      tls: cluster[1] === 'rediss',
    };
  }
  try {
    const u = new URL(s);
    return (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname ? { kind: 'single', url: s } : null;
  } catch {
    return null;
  }
}

/**
 * Secrets that have been published (the compose file's old default, the old test secret): anyone
 * can sign tokens with them, so a node refuses to start on one. Tests use a random secret per run.
 */
export const PUBLISHED_SECRETS: readonly string[] = [
  'demo-only-secret-change-me-0123456789abcdef',
  'test-secret-test-secret-test-secret-0123',
  'change-me-change-me-change-me-change-me',
];

const Count = (min: number) => z.coerce.number().int().min(min);

const EnvSchema = z
  .object({
    /** HTTP + Socket.IO port. */
    PORT: Port.default(3000),
    /** Bind address. */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** MongoDB replica set (transactions need one). */
    MONGO_URL: MongoUrl,
    /** Redis for the adapter, cache, locks and queues: one instance or a cluster (`parseRedisTarget`). */
    REDIS_URL: z
      .string()
      .min(1)
      .refine(
        (s) => parseRedisTarget(s) !== null,
        'must be redis://host:port, rediss://…, or redis+cluster://host:port,host:port,...',
      ),
    /** Signs tokens; at least 32 characters. */
    AUTH_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .refine((s) => !PUBLISHED_SECRETS.includes(s), 'is a published value; generate one (e.g. openssl rand -hex 32)'),
    /** Name of this node in logs, health and the dashboard. */
    NODE_ID: z.string().min(1).max(100).optional(),
    /** Bootstrap staff account, created at start when both are set and no such user exists. */
    STAFF_EMAIL: z.string().email().optional(),
    STAFF_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
    /** `off` skips Redlock entirely; the transaction fence still forbids overlaps. */
    BOOKING_LOCKS: z.enum(['on', 'off']).default('on'),
    /** Notifier: where mail goes, and the sender. */
    SMTP_URL: Url(['smtp:', 'smtps:']).default('smtp://127.0.0.1:2525'),
    MAIL_FROM: z.string().min(3).default('Bookings <bookings@localhost>'),
    /** Active future bookings one user may hold across all resources (staff bookings on behalf count). */
    MAX_ACTIVE_BOOKINGS_PER_USER: Count(1).default(50),
    /** When set, `GET /metrics` requires `Authorization: Bearer <it>`. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /**
     * Login attempts one address may make within 15 minutes (successful ones are given back), and
     * registrations within 10 minutes. Raise them when many people share one address (a NAT), or
     * in tests, where every client is 127.0.0.1.
     */
    LOGIN_LIMIT_PER_ADDRESS: Count(1).default(30),
    REGISTER_LIMIT_PER_ADDRESS: Count(1).default(300),
    /**
     * The gateways whose `X-Forwarded-For` is believed (the per-address limits key on the address
     * it names): comma-separated addresses or CIDRs, or the names `loopback`, `linklocal`,
     * `uniquelocal`. Default `loopback` (the local stack's HAProxy). A client's own header is never
     * believed: a request from any other peer is keyed on its peer address.
     */
    TRUSTED_PROXIES: TrustedProxies.default(['loopback']),
    /**
     * On SIGTERM a node answers 503 on /healthz for this long before it stops accepting and
     * disconnects its sockets, so the gateway (HAProxy checks every second, `fall 2`) or a
     * Kubernetes readiness probe takes it out of rotation first. The whole stop must fit in 10 s.
     */
    DRAIN_DELAY_MS: z.coerce.number().int().min(0).max(6000).default(3000),
    /**
     * Notifier: when set, it answers `GET /healthz` on this port (bound to HOST), for a
     * Kubernetes probe; unset, it opens no port at all. A node ignores it (its /healthz is on PORT).
     */
    HEALTH_PORT: Port.optional(),
    /**
     * Minutes before its start that a booking's owner is reminded (default 15; 0 turns reminders
     * off). Fractions are allowed (0.25 = 15 s), for tests that cannot wait minutes.
     */
    REMINDER_MINUTES: z.coerce.number().min(0).max(10_080).default(15),
    /** (v3) How long a hold lasts (default 10; fractions allowed: 0.05 = 3 s, for tests and checks). */
    HOLD_MINUTES: z.coerce.number().positive().max(1440).default(10),
    /** (v3) How long a waitlist offer is held for its person (default 15; fractions allowed). */
    WAITLIST_OFFER_MINUTES: z.coerce.number().positive().max(1440).default(15),
    /** A chain of refreshed tokens ends this long after its sign-in (default 720 = 30 days; fractions allowed, for tests). */
    SESSION_MAX_HOURS: z.coerce.number().positive().max(87_600).default(720),
    /** `required`: a new password account's booking commands answer FORBIDDEN (`unverified`) until it follows its mailed link. */
    EMAIL_VERIFICATION: z.enum(['off', 'required']).default('off'),
    /** Where people reach the system (links in emails); default `http://HOST:PORT`. */
    PUBLIC_URL: Url(['http:', 'https:']).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * Prefix of every Redis key and channel (default `bk:`): deployments, or test suites, that
     * share one Redis keep apart by it. Every node and notifier of one deployment must agree.
     */
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 letters, digits or _ . : -')
      .default(DEFAULT_KEY_PREFIX),
    /** (v3) `off`: password sign-in and registration answer FORBIDDEN, except the `STAFF_EMAIL` account's login. */
    AUTH_PASSWORD: z.enum(['on', 'off']).default('on'),
    /** (v3) Single sign-on: the provider's issuer URL (discovered at start), client credentials, claims. */
    OIDC_ISSUER: Url(['http:', 'https:']).optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
    OIDC_STAFF_GROUPS: z.string().default(''),
    OIDC_NAME: z.string().min(1).max(60).default('single sign-on'),
  })
  .superRefine((env, ctx) => {
    const fail = (path: string, message: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (env.OIDC_ISSUER && !env.OIDC_CLIENT_ID) fail('OIDC_CLIENT_ID', 'is required when OIDC_ISSUER is set');
    else if (env.OIDC_ISSUER && !env.OIDC_CLIENT_SECRET)
      fail('OIDC_CLIENT_SECRET', 'is required when OIDC_ISSUER is set');
    else if (!env.OIDC_ISSUER && (env.OIDC_CLIENT_ID || env.OIDC_CLIENT_SECRET))
      fail('OIDC_ISSUER', 'is required when OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is set');
    else if (env.AUTH_PASSWORD === 'off' && !env.OIDC_ISSUER && !env.STAFF_EMAIL)
      fail('AUTH_PASSWORD', 'off needs OIDC_ISSUER or STAFF_EMAIL, or nobody could sign in');
  })
  .transform((env) => ({
    port: env.PORT,
    host: env.HOST,
    mongoUrl: env.MONGO_URL,
    redisUrl: env.REDIS_URL,
    // Checked by the schema's refinement above.
    redis: parseRedisTarget(env.REDIS_URL) ?? { kind: 'single' as const, url: env.REDIS_URL },
    drainDelayMs: env.DRAIN_DELAY_MS,
    healthPort: env.HEALTH_PORT ?? null,
    authSecret: env.AUTH_SECRET,
    nodeId: env.NODE_ID ?? `${hostname()}:${env.PORT}`,
    staff: env.STAFF_EMAIL && env.STAFF_PASSWORD ? { email: env.STAFF_EMAIL, password: env.STAFF_PASSWORD } : null,
    bookingLocks: env.BOOKING_LOCKS === 'on',
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    logLevel: env.LOG_LEVEL,
    maxActiveBookingsPerUser: env.MAX_ACTIVE_BOOKINGS_PER_USER,
    metricsToken: env.METRICS_TOKEN ?? null,
    limits: { loginPerAddress: env.LOGIN_LIMIT_PER_ADDRESS, registerPerAddress: env.REGISTER_LIMIT_PER_ADDRESS },
    trustedProxies: env.TRUSTED_PROXIES,
    redisPrefix: env.REDIS_PREFIX,
    reminderMs: Math.round(env.REMINDER_MINUTES * 60_000),
    holdMs: Math.round(env.HOLD_MINUTES * 60_000),
    offerMs: Math.round(env.WAITLIST_OFFER_MINUTES * 60_000),
    sessionMaxMs: Math.round(env.SESSION_MAX_HOURS * 3_600_000),
    emailVerification: env.EMAIL_VERIFICATION,
    passwordAuth: env.AUTH_PASSWORD === 'on',
    oidc: env.OIDC_ISSUER
      ? {
          issuer: env.OIDC_ISSUER,
          clientId: env.OIDC_CLIENT_ID ?? '',
          clientSecret: env.OIDC_CLIENT_SECRET ?? '',
          groupsClaim: env.OIDC_GROUPS_CLAIM,
          staffGroups: env.OIDC_STAFF_GROUPS.split(',')
            .map((g) => g.trim())
            .filter((g) => g.length > 0),
          name: env.OIDC_NAME,
        }
      : null,
    staffEmail: env.STAFF_EMAIL?.trim().toLowerCase() ?? null,
    publicUrl: (env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`).replace(/\/+$/, ''),
  }));

export type Config = z.output<typeof EnvSchema>;

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError whose message is one line naming the variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as missing, as most shells and compose files produce them for unset values.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? 'environment');
  const missing = issue?.code === 'invalid_type' && cleaned[name] === undefined;
  throw new ConfigError(
    missing ? `config: ${name} is required` : `config: ${name} is invalid: ${issue?.message ?? 'bad value'}`,
  );
}

/** For process entry points: parse or print one line and exit non-zero. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
