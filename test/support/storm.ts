/**
 * The fault tests' load: clients through the gateway that reconnect by themselves, a seeded storm
 * of bookings and cancellations, and the checks that follow a fault (every acked result stored as
 * acked, every client's availability equal to the database's).
 */
import { randomUUID } from 'node:crypto';
import { busyDelay } from '@booking/client';
import { io as connect } from 'socket.io-client';
import type { Ack, Availability, Booking, Resource } from '@booking/shared';
import type { BookingModel } from '../../server/src/booking/booking.model';
import { send, slot } from './harness';
import type { ClientSocket } from './harness';
import { seededRandom } from './rng';
import { waitFor } from './wait';

/** A client that reconnects by itself and keeps the gateway's affinity cookie, as a browser would. */
export function reconnectingClient(url: string, token: string): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket: ClientSocket = connect(url, {
      auth: { token },
      withCredentials: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      forceNew: true,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** `booking_connected_sockets` of one node's /metrics. */
export async function connectedOn(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^booking_connected_sockets\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 'NaN');
}

export interface StormResult {
  sent: number;
  acked: Map<string, Booking>;
  unacked: number;
  refused: Record<string, number>;
}

/**
 * Each client books and cancels in its own seeded sequence until `perClient` commands are sent
 * (bounded: a command unanswered within 4 s counts as unacked). `onAck(n, ok)` sees every ack.
 * On a resource of several units a booking takes 1..capacity of them (drawn only there, so a
 * seed replays the same sequence on single-unit resources as before capacity existed).
 */
export async function storm(opts: {
  clients: ClientSocket[];
  resources: Resource[];
  perClient: number;
  seed: number;
  hoursAhead: number;
  onAck?: (n: number, ok: boolean) => void;
  /** How long a command may go unanswered before it counts as unacked (default 4 s: fault tests kill nodes). */
  answerMs?: number;
}): Promise<StormResult> {
  const answerMs = opts.answerMs ?? 4000;
  const random = seededRandom(opts.seed);
  const base = Date.parse(slot(opts.hoursAhead).start);
  const result: StormResult = { sent: 0, acked: new Map(), unacked: 0, refused: {} };
  let acks = 0;
  await Promise.all(
    opts.clients.map(async (socket) => {
      const mine: string[] = [];
      for (let i = 0; i < opts.perClient; i += 1) {
        const roll = random();
        const start = base + Math.floor(random() * 96) * 15 * 60_000;
        const end = start + 15 * 60_000 * (1 + Math.floor(random() * 4));
        const resource = opts.resources[Math.floor(random() * opts.resources.length)];
        const resourceId = resource?.id ?? '';
        const capacity = resource?.capacity ?? 1;
        const quantity = capacity > 1 ? 1 + Math.floor(random() * capacity) : undefined;
        const cancel = mine.length > 0 && roll < 0.3;
        const target = cancel ? (mine[Math.floor(roll * 1000) % mine.length] ?? '') : '';
        result.sent += 1;
        let ack: Ack<{ booking: Booking }>;
        try {
          ack = cancel
            ? await send(socket, 'booking:cancel', { bookingId: target }, answerMs)
            : await send(
                socket,
                'booking:create',
                {
                  resourceId,
                  start: new Date(start).toISOString(),
                  end: new Date(end).toISOString(),
                  ...(quantity === undefined ? {} : { quantity }),
                },
                answerMs,
              );
        } catch {
          result.unacked += 1; // in flight on a node that died, or timed out: its fate is unknown
          // An unanswered cancel may have committed: cancelling it again would be refused INVALID_STATE.
          if (cancel) mine.splice(mine.indexOf(target), 1);
          await waitFor('the client to reconnect', () => socket.connected, 30_000);
          continue;
        }
        acks += 1;
        opts.onAck?.(acks, ack.ok);
        if (!ack.ok) {
          result.refused[ack.error.code] = (result.refused[ack.error.code] ?? 0) + 1;
          continue;
        }
        result.acked.set(ack.data.booking.id, ack.data.booking);
        if (cancel) mine.splice(mine.indexOf(ack.data.booking.id), 1);
        else mine.push(ack.data.booking.id);
      }
    }),
  );
  return result;
}

/** Every acked result is stored exactly as acked (interval and units); returns how many were not (must be 0). */
export async function lostAcks(bookings: BookingModel, acked: Map<string, Booking>): Promise<number> {
  const stored = await bookings.find({ _id: { $in: [...acked.keys()] } }).lean();
  const byId = new Map(stored.map((d) => [d._id.toHexString(), d]));
  let lost = 0;
  for (const [id, b] of acked) {
    const doc = byId.get(id);
    // A booking acked as created may since have been cancelled by a later acked command.
    if (!doc || doc.start.toISOString() !== b.start || doc.end.toISOString() !== b.end) lost += 1;
    else if ((doc.quantity ?? 1) !== b.quantity) lost += 1;
    else if (b.status === 'cancelled' && doc.status !== 'cancelled') lost += 1;
  }
  return lost;
}

/** What the database says is busy for a resource over a window. */
export async function dbBusy(bookings: BookingModel, resourceId: string, from: string, to: string): Promise<string[]> {
  const rows = await bookings
    .find({ resourceId, status: 'active', start: { $lt: new Date(to) }, end: { $gt: new Date(from) } }, { _id: 1 })
    .sort({ start: 1 })
    .lean();
  return rows.map((r) => r._id.toHexString());
}

/** Every client's availability equals the database's for every resource (eventually). */
export async function clientsAgreeWithDb(opts: {
  bookings: BookingModel;
  clients: ClientSocket[];
  resources: Resource[];
  hoursAhead: number;
}): Promise<void> {
  const from = slot(opts.hoursAhead).start;
  const to = slot(opts.hoursAhead + 24).start;
  for (const r of opts.resources) {
    await waitFor(
      `clients to see ${r.name} as the database does`,
      async () => {
        const truth = await dbBusy(opts.bookings, r.id, from, to);
        for (const c of opts.clients) {
          if (!c.connected) return false;
          const ack: Ack<Availability> = await send(c, 'availability:get', { resourceId: r.id, from, to });
          if (!ack.ok || JSON.stringify(ack.data.busy.map((b) => b.bookingId)) !== JSON.stringify(truth)) return false;
        }
        return true;
        // 45 s: a node stopped between a commit and its cache update leaves that day's entry stale
        // until its TTL (30 s at most, docs/design.md: the cache is a hint), and the clients read through it.
      },
      45_000,
      250,
    );
  }
}

/** How one `createRetrying` went: the final ack (null when every attempt went unanswered or BUSY). */
export interface RetriedCreate {
  ack: Ack<{ booking: Booking }> | null;
  /** Why each retry was needed, in order: `BUSY` or `no answer` (timed out, or cut by a drain). */
  retries: Array<'BUSY' | 'no answer'>;
}

/**
 * `booking:create` as a client library sends it: one idempotency key for every attempt, retried
 * after BUSY (with the client library's jittered exponential pause from `backoffMs`, capped at
 * 2 s) and after no answer within `timeoutMs` (once reconnected), at most `retries` times.
 * Bounded: at most `retries + 1` attempts.
 */
export async function createRetrying(
  socket: ClientSocket,
  req: { resourceId: string; start: number; minutes: number },
  opts: { retries: number; timeoutMs: number; backoffMs: number },
): Promise<RetriedCreate> {
  const payload = {
    resourceId: req.resourceId,
    start: new Date(req.start).toISOString(),
    end: new Date(req.start + req.minutes * 60_000).toISOString(),
    idempotencyKey: randomUUID(),
  };
  const retries: RetriedCreate['retries'] = [];
  for (let attempt = 0; attempt <= opts.retries; attempt += 1) {
    if (attempt > 0) await waitFor('the client to reconnect', () => socket.connected, 20_000, 20);
    let ack: Ack<{ booking: Booking }>;
    try {
      ack = await send(socket, 'booking:create', payload, opts.timeoutMs);
    } catch {
      retries.push('no answer');
      continue;
    }
    if (!ack.ok && ack.error.code === 'BUSY') {
      retries.push('BUSY');
      // As the client library does (`busyDelay`): exponential with ±50% jitter, here capped at
      // 2 s, so retries spread over a busy spell instead of queueing again inside it.
      await new Promise((r) =>
        setTimeout(
          r,
          Math.min(busyDelay(retries.filter((w) => w === 'BUSY').length - 1, { baseDelayMs: opts.backoffMs }), 2000),
        ),
      );
      continue;
    }
    return { ack, retries };
  }
  return { ack: null, retries };
}
