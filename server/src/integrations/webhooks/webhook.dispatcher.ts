/**
 * The webhook side of the notifier: the fan-out (called by the outbox relay for every entry it
 * hands over, before it stamps them, so a crash in between fans out again, which writes nothing
 * new) and the dispatcher that delivers.
 *
 * Ordering: the events of one (endpoint, resource) are a stream in commit order; a pass takes the
 * first pending event of each stream whose retry time has come, claims it with a lease in MongoDB
 * and sends it. Later events of that stream wait until it is delivered or finally failed, so an
 * event being retried holds back its resource's later events for that endpoint and no other. A
 * pass that delivered something runs again at once (the next heads are due); otherwise the next
 * pass comes on a kick (a fan-out) or the poll. A dispatcher killed mid-attempt leaves a lease
 * that runs out after `leaseMs`; its event is then attempted again with the same `webhook-id`.
 *
 * Retries: after attempt n fails, the next comes `min(5 s × 2^(n-1), 10 min)` later (the first
 * within 10 s); once 24 hours have passed since the first attempt the event is `failed` and its
 * stream moves on. An endpoint whose every attempt failed for 24 hours is disabled.
 */
import type { WebhookEvent } from '@booking/shared';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import type { OutboxDoc } from '../../notifications/outbox.model';
import { eventBody, eventData, eventKey, eventOf, messageId } from './webhook.events';
import type { WebhookEndpointDoc, WebhookEventDoc } from './webhook.model';
import type { WebhookSender } from './webhook.sender';
import type { NewWebhookEvent, WebhookStore } from './webhook.store';

export const DAY_MS = 24 * 3600_000;

/** The delay after failed attempt `n` (1-based): 5 s, 10 s, 20 s, … capped at 10 minutes. */
export const webhookBackoffMs = (n: number): number => Math.min(5_000 * 2 ** Math.max(0, n - 1), 10 * 60_000);

export interface WebhookDispatcherOptions {
  store: WebhookStore;
  sender: WebhookSender;
  clock: Clock;
  logger: Logger;
  /** How long a claim holds an event (default 15 s: the 10 s timeout and a margin). */
  leaseMs?: number;
  /** The safety-net pass interval (retries coming due, leases of a crashed process running out; default 1 s). */
  pollMs?: number;
  /** Attempts in flight at once, each on its own stream (default 32). */
  concurrency?: number;
  /** How long an event is retried, and an endpoint may fail, before it is failed / disabled (default 24 h). */
  retryWindowMs?: number;
}

export interface WebhookDispatcher {
  /** Writes the events of committed outbox entries for every endpoint that wants them, then kicks a pass. */
  fanOut(entries: OutboxDoc[]): Promise<number>;
  /** One pass now (coalesced with a running one); resolves with the attempts made. */
  pass(): Promise<number>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The events one entry makes for the endpoints that subscribed to its type. */
export function eventsFor(entry: OutboxDoc, endpoints: WebhookEndpointDoc[]): NewWebhookEvent[] {
  const type = eventOf(entry);
  if (!type) return [];
  const key = eventKey(entry);
  const body = eventBody(type, entry.createdAt, eventData(entry, type));
  return endpoints
    .filter((e) => e.events.includes(type))
    .map((e) => {
      const id = e._id.toHexString();
      return {
        _id: `${id}:${key}`,
        endpointId: e._id,
        resourceId: entry.resourceId,
        version: entry.version,
        eventAt: entry.createdAt,
        type: type satisfies WebhookEvent,
        messageId: messageId(id, key),
        body,
      };
    });
}

export function createWebhookDispatcher(opts: WebhookDispatcherOptions): WebhookDispatcher {
  const { store, sender, clock } = opts;
  const log = opts.logger.child({ part: 'webhooks' });
  const leaseMs = opts.leaseMs ?? 15_000;
  const windowMs = opts.retryWindowMs ?? DAY_MS;
  const concurrency = opts.concurrency ?? 32;
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  /** One attempt of a stream's head; resolves true when the stream moved on (delivered or failed). */
  async function attempt(head: WebhookEventDoc, endpoint: WebhookEndpointDoc): Promise<boolean> {
    const ev = await store.claim(head._id, clock.now(), leaseMs);
    if (!ev) return false;
    const n = ev.attempts + 1;
    const result = await sender.send(endpoint, ev, clock.now());
    const at = clock.now();
    await store.logAttempt({
      endpointId: endpoint._id,
      messageId: ev.messageId,
      type: ev.type,
      attempt: n,
      at,
      status: result.status,
      ...(result.error ? { error: result.error.slice(0, 300) } : {}),
      durationMs: result.durationMs,
    });
    if (result.ok) {
      await store.delivered(ev._id, n, at);
      await store.succeeded(endpoint._id);
      return true;
    }
    const first = ev.firstAttemptAt ?? at;
    const over = at.getTime() - first.getTime() >= windowMs;
    if (over) await store.failed(ev._id, n, first, at);
    else await store.retryLater(ev._id, n, first, new Date(at.getTime() + webhookBackoffMs(n)));
    const disabled = await store.failedAttempt(endpoint._id, at, windowMs);
    if (over)
      log.warn({ webhook: endpoint._id.toHexString(), messageId: ev.messageId }, 'webhook event failed after 24 h');
    if (disabled)
      log.warn({ webhook: endpoint._id.toHexString() }, 'webhook endpoint disabled: every attempt failed for 24 h');
    return over;
  }

  async function passOnce(): Promise<{ attempts: number; moved: number }> {
    const heads = await store.dueHeads(clock.now(), 1000);
    if (heads.length === 0) return { attempts: 0, moved: 0 };
    const endpoints = new Map((await store.active()).map((e) => [e._id.toHexString(), e]));
    let next = 0;
    let moved = 0;
    const worker = async () => {
      while (!stopped) {
        const head = heads[next++];
        if (!head) return;
        const endpoint = endpoints.get(head.endpointId.toHexString());
        if (endpoint && (await attempt(head, endpoint))) moved += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, heads.length) }, worker));
    return { attempts: heads.length, moved };
  }

  function pass(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    const run = (async () => {
      let total = 0;
      do {
        again = false;
        const { attempts, moved } = await passOnce();
        total += attempts;
        // A stream that moved on has a new head, due now.
        if (moved > 0) again = true;
      } while (again && !stopped);
      return total;
    })();
    running = run;
    void run
      .finally(() => {
        if (running === run) running = null;
      })
      .catch(() => undefined);
    return run;
  }

  const passLogged = (why: string) => {
    if (stopped) return;
    pass().catch((err: unknown) => log.warn({ err, why }, 'webhook pass failed; the next one retries'));
  };

  return {
    async fanOut(entries) {
      const endpoints = await store.active();
      if (endpoints.length === 0) return 0;
      const added = await store.addEvents(
        entries.flatMap((e) => eventsFor(e, endpoints)),
        clock.now(),
      );
      if (added > 0) passLogged('fan-out');
      return added;
    },
    pass,
    async start() {
      timer = setInterval(() => passLogged('poll'), opts.pollMs ?? 1_000);
      await pass();
      log.info('webhook dispatcher started');
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
      sender.close();
    },
  };
}
