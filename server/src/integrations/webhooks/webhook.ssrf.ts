/**
 * SSRF guard of webhook targets. A target must be `https:` and resolve only to public addresses:
 * loopback, private, link-local, unspecified, CGNAT, multicast and reserved ranges are refused,
 * in IPv4, IPv6 and IPv4-mapped IPv6 (Node's BlockList matches `::ffff:a.b.c.d` against IPv4
 * rules). The check runs in the socket's own `lookup`, so the address checked is the address
 * connected to: a name that resolves to a public address at creation and to 127.0.0.1 at delivery
 * (DNS rebinding) is refused at delivery. `WEBHOOK_ALLOW_PRIVATE=1` lifts both rules (tests,
 * single-host installs).
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../../infra/errors';
import { ErrorCode } from '@booking/shared';

const refused = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  refused.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  refused.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is one webhooks may not reach (without the flag). */
export function isRefusedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return refused.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

export interface TargetPolicy {
  /** `WEBHOOK_ALLOW_PRIVATE=1`: http and private addresses allowed. */
  allowPrivate: boolean;
}

export const targetPolicyFromEnv = (env: NodeJS.ProcessEnv = process.env): TargetPolicy => ({
  allowPrivate: env.WEBHOOK_ALLOW_PRIVATE === '1',
});

const bare = (hostname: string) => (hostname.startsWith('[') ? hostname.slice(1, -1) : hostname);

/** Refuses what the URL alone shows (scheme, credentials, an IP literal); names are checked on lookup. */
export function checkTargetUrl(raw: string, policy: TargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError(ErrorCode.VALIDATION_ERROR, 'the webhook URL is not a URL');
  }
  const schemes = policy.allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) throw new AppError(ErrorCode.VALIDATION_ERROR, 'a webhook URL must be https://');
  if (url.username || url.password)
    throw new AppError(ErrorCode.VALIDATION_ERROR, 'a webhook URL may not carry credentials');
  const host = bare(url.hostname);
  if (!policy.allowPrivate && isIP(host) !== 0 && isRefusedAddress(host)) {
    throw new AppError(
      ErrorCode.VALIDATION_ERROR,
      'a webhook URL may not target a loopback, private or link-local address',
    );
  }
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `http(s).request`: resolves every address of the name, refuses the lot if any is
 * private (so no retry lands on one), and hands the socket only checked addresses.
 */
export function guardedLookup(policy: TargetPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, ...(options.family ? { family: options.family } : {}) }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses;
      const bad = policy.allowPrivate ? undefined : list.find((a) => isRefusedAddress(a.address));
      if (bad || list.length === 0) {
        const refusal: NodeJS.ErrnoException = new Error(`refused address ${bad?.address ?? 'none'} for ${hostname}`);
        refusal.code = 'EWEBHOOKADDRESS';
        return callback(refusal, []);
      }
      if (options.all) return callback(null, list);
      const first = list[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

/** Resolves the target now (at creation): a name that only resolves to refused addresses is refused at once. */
export async function checkTargetResolves(url: URL, policy: TargetPolicy): Promise<void> {
  const host = bare(url.hostname);
  if (policy.allowPrivate || isIP(host) !== 0) return;
  await new Promise<void>((resolve, reject) => {
    guardedLookup(policy)(host, { all: true }, (err) =>
      err
        ? reject(new AppError(ErrorCode.VALIDATION_ERROR, `the webhook URL's host cannot be used: ${err.message}`))
        : resolve(),
    );
  });
}
