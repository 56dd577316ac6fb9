/**
 * One HTTP attempt of one event: a `POST` of its body with fresh Standard Webhooks headers,
 * through sockets that connect only to addresses `guardedLookup` checked. Any 2xx is a success;
 * another status, a refused address, a network error or no answer within the timeout is a failure.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { checkTargetUrl, guardedLookup, isRefusedAddress } from './webhook.ssrf';
import type { TargetPolicy } from './webhook.ssrf';
import { signedHeaders } from './webhook.sign';

export interface AttemptResult {
  ok: boolean;
  status: number | null;
  error?: string;
  durationMs: number;
}

export interface WebhookSender {
  send(
    target: { url: string; secret: string },
    event: { messageId: string; body: string },
    at: Date,
  ): Promise<AttemptResult>;
  close(): void;
}

export function createWebhookSender(opts: { policy: TargetPolicy; timeoutMs?: number }): WebhookSender {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const lookup = guardedLookup(opts.policy);
  // Keep-alive: a socket is reused only for the host it was opened (and checked) for.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  const post = (url: URL, headers: Record<string, string>, body: string) =>
    new Promise<{ status: number }>((resolve, reject) => {
      const lib = url.protocol === 'https:' ? https : http;
      const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
      if (!opts.policy.allowPrivate && isIP(host) !== 0 && isRefusedAddress(host)) {
        reject(new Error(`refused address ${host}`));
        return;
      }
      const req = lib.request(
        url,
        {
          method: 'POST',
          headers: {
            ...headers,
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'booking-webhooks/3',
          },
          agent: agents[url.protocol === 'https:' ? 'https:' : 'http:'],
          lookup,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
          res.on('error', reject);
        },
      );
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('close', () => clearTimeout(timer));
      req.on('error', reject);
      req.end(body);
    });

  return {
    async send(target, event, at) {
      const t0 = performance.now();
      const took = () => Math.round(performance.now() - t0);
      try {
        const url = checkTargetUrl(target.url, opts.policy);
        const { status } = await post(url, signedHeaders(target.secret, event.messageId, at, event.body), event.body);
        const ok = status >= 200 && status < 300;
        return { ok, status, ...(ok ? {} : { error: `HTTP ${status}` }), durationMs: took() };
      } catch (err) {
        return { ok: false, status: null, error: err instanceof Error ? err.message : String(err), durationMs: took() };
      }
    },
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
