/**
 * The soak's webhook endpoint: one endpoint (every event type) on a local receiver that answers
 * 200, and the bookkeeping that proves every change the load made was delivered. Each acked
 * change names the event it must produce (`booking.created` for a create or a confirm,
 * `booking.cancelled`; a hold left to run out is no event); an arrival settles it, in
 * whichever order the two come. What is still unsettled when the soak ends (after a grace wait)
 * is a delivery failure, and so is every failed attempt in the endpoint's delivery log (read
 * once a minute: its newest 1,000 attempts) and an endpoint marked `failingSince`.
 */
import { WEBHOOK_EVENTS } from '@booking/shared';
import { startReceiver } from '../bench/webhooks-receiver';
import type { Receiver } from '../bench/webhooks-receiver';
import { sleep } from '../bench/stats';

export interface HookTracker {
  /** A change that must arrive as `type` for booking `bookingId`. */
  expect(bookingId: string, type: string): void;
  /** Reads the delivery log (and the endpoint's state): how many new failed attempts. */
  checkLog(): Promise<number>;
  /** Waits up to `timeoutMs` for every expected event; resolves with how many never came. */
  settle(timeoutMs: number): Promise<number>;
  stats(): { delivered: number; duplicates: number; unexpected: number; pending: number; failedAttempts: number };
  close(): Promise<void>;
}

interface Delivery {
  type: string;
  attempt: number;
  at: string;
  status: number | null;
  error?: string;
}

async function http<T>(method: string, url: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`${method} ${new URL(url).pathname}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Registers the endpoint (a staff token, fresh enough, on `nodeUrl`) and starts matching arrivals. */
export async function startHooks(nodeUrl: string, staffToken: () => Promise<string>): Promise<HookTracker> {
  const receiver: Receiver = await startReceiver();
  const { webhook } = await http<{ webhook: { id: string } }>('POST', `${nodeUrl}/api/webhooks`, await staffToken(), {
    url: `${receiver.url}/soak`,
    events: [...WEBHOOK_EVENTS],
    description: 'npm run soak',
  });
  const pending = new Set<string>();
  const early = new Set<string>();
  const seenIds = new Set<string>();
  const failedKeys = new Set<string>();
  const s = { delivered: 0, duplicates: 0, unexpected: 0 };
  const drain = () => {
    const batch = receiver.received.splice(0);
    for (const r of batch) {
      const id = r.headers['webhook-id'] ?? '';
      if (seenIds.has(id)) {
        s.duplicates += 1;
        continue;
      }
      seenIds.add(id);
      s.delivered += 1;
      const e = JSON.parse(r.body) as { type: string; data: { booking?: { id: string } } };
      const key = `${e.data.booking?.id ?? '-'}:${e.type}`;
      if (pending.has(key)) pending.delete(key);
      else early.add(key);
    }
  };
  const timer = setInterval(drain, 1000);
  return {
    expect(bookingId, type) {
      drain();
      const key = `${bookingId}:${type}`;
      if (early.has(key)) early.delete(key);
      else pending.add(key);
    },
    async checkLog() {
      const base = `${nodeUrl}/api/webhooks`;
      const { deliveries } = await http<{ deliveries: Delivery[] }>(
        'GET',
        `${base}/${webhook.id}/deliveries?limit=1000`,
        await staffToken(),
      );
      let fresh = 0;
      for (const d of deliveries) {
        if (d.status !== null && d.status >= 200 && d.status < 300) continue;
        const key = `${d.type}|${d.at}|${d.attempt}`;
        if (failedKeys.has(key)) continue;
        failedKeys.add(key);
        fresh += 1;
      }
      const { webhooks } = await http<{ webhooks: Array<{ id: string; failingSince?: string; disabledAt?: string }> }>(
        'GET',
        base,
        await staffToken(),
      );
      const mine = webhooks.find((w) => w.id === webhook.id);
      if (!mine || mine.failingSince || mine.disabledAt) {
        const key = `endpoint:${mine?.failingSince ?? ''}:${mine?.disabledAt ?? ''}`;
        if (!failedKeys.has(key)) {
          failedKeys.add(key);
          fresh += 1;
        }
      }
      return fresh;
    },
    async settle(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      drain();
      while (pending.size > 0 && Date.now() < deadline) {
        await sleep(250);
        drain();
      }
      return pending.size;
    },
    stats() {
      s.unexpected = early.size;
      return { ...s, pending: pending.size, failedAttempts: failedKeys.size };
    },
    async close() {
      clearInterval(timer);
      await receiver.close();
    },
  };
}
