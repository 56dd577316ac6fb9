/**
 * The soak's steady mixed load, paced per second (defaults; every loop keeps its own schedule and
 * never bursts to catch up), on 127.0.0.1 only, spread over both nodes:
 *
 * - bookings: 10 loops × 1 every 2 s, each `booking:create` on its own room, then `booking:cancel`
 *   of it (5 creates + 5 cancels a second; slots roll over a week, so the active set stays tiny).
 *   Every one is two emails: at 20 + 20 a second (40 mails a second, with the rest of the load on
 *   the same two cores) the notifier's queue grew by ~2,000 jobs a minute, which is the notifier's
 *   throughput on this machine, not a leak; a soak measures growth at a load the system sustains;
 * - a contested slot, once a second: two people (one per node) book the same slot of one room at
 *   once; exactly one must win; the other's `SLOT_TAKEN` is the only expected refusal of the whole
 *   load (counted apart); the winner cancels;
 * - availability: 10 loops × 5 a second (50 `availability:get` a second, a week of a random room);
 * - holds: 4 loops × 1 every 2 s, each on its own room and person (the holds quota is 3): even
 *   rounds `booking:hold` → `booking:confirm` → `booking:cancel`, odd rounds a hold left to run out
 *   (HOLD_MINUTES is set short by the soak, so the notifier expires it within seconds);
 * - watchers: 4 sockets, each connecting (nodes in turn), `slots:watch` of every room, staying
 *   3–4.5 s, closing and connecting again;
 * - webhooks: every acked create, confirm and cancel names the event it must deliver (hooks.ts).
 *
 * Every `{ok: false}` other than the contest's SLOT_TAKEN is an error, by step, event and code, and
 * so is a failed connect. A socket older than 20 minutes renews its session (`session:refresh`)
 * before its next command, so runs longer than the tokens' hour keep going.
 */
import type { ClientToServerEvents, DataOf, PayloadOf } from '@booking/shared';
import { command, connectSocket } from '../bench/client';
import type { BenchSocket } from '../bench/client';
import { sleep } from '../bench/stats';
import type { HookTracker } from './hooks';

export interface LoadCounts {
  /** Commands answered (ok or not). */
  commands: number;
  /** Unexpected refusals and failures, by `step event: CODE`. */
  errors: Record<string, number>;
  /** Refusals the step expects (the contested slot's loser), by `step event: CODE`. */
  expected: Record<string, number>;
  /** `slot:changed` events the watchers heard. */
  slotChanged: number;
  /** Watcher connections made. */
  reconnects: number;
}

export interface LoadUser {
  token: string;
}

export interface LoadPlan {
  nodeUrls: readonly string[];
  /** At least 20: 5 booking, 4 availability, 4 hold, 2 contest, 4 watcher users (+ spare). */
  users: LoadUser[];
  bookingRooms: readonly string[];
  raceRoom: string;
  holdRooms: readonly string[];
  hooks: HookTracker;
  /** When the load stops (Date.now()). */
  until: number;
  counts: LoadCounts;
}

const HOUR = 3_600_000;
const REFRESH_AFTER_MS = 20 * 60_000;

/** An open connection of one person, renewing its session when it gets old. */
interface Conn {
  socket: BenchSocket;
  user: LoadUser;
  since: number;
}

export function errorCount(c: LoadCounts): number {
  return Object.values(c.errors).reduce((a, b) => a + b, 0);
}

const bump = (into: Record<string, number>, key: string) => {
  into[key] = (into[key] ?? 0) + 1;
};

async function connectAs(url: string, user: LoadUser): Promise<Conn> {
  return { socket: await connectSocket(url, user.token), user, since: Date.now() };
}

/** Sends one command, counting it; an unexpected refusal is an error (`expect` names the allowed codes). */
async function send<E extends keyof ClientToServerEvents>(
  plan: LoadPlan,
  step: string,
  conn: Conn,
  event: E,
  payload: PayloadOf<ClientToServerEvents, E>,
  expect: readonly string[] = [],
): Promise<DataOf<ClientToServerEvents, E> | null> {
  if (Date.now() - conn.since > REFRESH_AFTER_MS) {
    conn.since = Date.now();
    const fresh = await command(conn.socket, 'session:refresh', {});
    plan.counts.commands += 1;
    if (fresh.ok) conn.user.token = fresh.data.token;
    else bump(plan.counts.errors, `${step} session:refresh: ${fresh.code}`);
  }
  const res = await command(conn.socket, event, payload);
  plan.counts.commands += 1;
  if (res.ok) return res.data;
  bump(expect.includes(res.code) ? plan.counts.expected : plan.counts.errors, `${step} ${event}: ${res.code}`);
  return null;
}

/** Runs `step` every `intervalMs` (first after `offsetMs`) until `until`; late steps do not pile up. */
async function paced(until: number, intervalMs: number, offsetMs: number, step: (i: number) => Promise<void>) {
  let next = Date.now() + offsetMs;
  for (let i = 0; ; i += 1) {
    const wait = next - Date.now();
    if (wait > 0) await sleep(wait);
    if (Date.now() >= until) return;
    await step(i);
    next = Math.max(next + intervalMs, Date.now());
  }
}

/** Whole hours from the day after tomorrow (UTC), fixed for the run: slot k is hour k % 168 of that week. */
function slotsFrom(startMs: number): (k: number) => { start: string; end: string } {
  const base = Math.ceil(startMs / (24 * HOUR)) * 24 * HOUR + 24 * HOUR;
  return (k) => {
    const start = base + (k % 168) * HOUR;
    return { start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString() };
  };
}

const userAt = (plan: LoadPlan, i: number): LoadUser => {
  const u = plan.users[i];
  if (!u) throw new Error(`the soak needs at least ${i + 1} users`);
  return u;
};

async function bookingLoop(plan: LoadPlan, w: number, slot: (k: number) => { start: string; end: string }) {
  const conn = await connectAs(plan.nodeUrls[w % plan.nodeUrls.length] ?? '', userAt(plan, Math.floor(w / 2)));
  const resourceId = plan.bookingRooms[w] ?? '';
  try {
    await paced(plan.until, 2000, w * 200, async (i) => {
      const made = await send(plan, 'bookings', conn, 'booking:create', { resourceId, ...slot(i) });
      if (!made) return;
      plan.hooks.expect(made.booking.id, 'booking.created');
      const gone = await send(plan, 'bookings', conn, 'booking:cancel', { bookingId: made.booking.id });
      if (gone) plan.hooks.expect(made.booking.id, 'booking.cancelled');
    });
  } finally {
    conn.socket.close();
  }
}

async function contestLoop(plan: LoadPlan, slot: (k: number) => { start: string; end: string }) {
  const racers = await Promise.all(
    [0, 1].map((k) => connectAs(plan.nodeUrls[k % plan.nodeUrls.length] ?? '', userAt(plan, 13 + k))),
  );
  try {
    await paced(plan.until, 1000, 25, async (i) => {
      const payload = { resourceId: plan.raceRoom, ...slot(i) };
      const outcomes = await Promise.all(
        racers.map((conn) => send(plan, 'contest', conn, 'booking:create', payload, ['SLOT_TAKEN'])),
      );
      const won = outcomes.flatMap((o, k) => (o ? [{ booking: o.booking, conn: racers[k] }] : []));
      if (won.length > 1) bump(plan.counts.errors, 'contest: both people booked the same slot');
      for (const w of won) {
        if (!w.conn) continue;
        plan.hooks.expect(w.booking.id, 'booking.created');
        const gone = await send(plan, 'contest', w.conn, 'booking:cancel', { bookingId: w.booking.id });
        if (gone) plan.hooks.expect(w.booking.id, 'booking.cancelled');
      }
    });
  } finally {
    for (const r of racers) r.socket.close();
  }
}

async function availabilityLoop(plan: LoadPlan, w: number, slot: (k: number) => { start: string; end: string }) {
  const conn = await connectAs(plan.nodeUrls[w % plan.nodeUrls.length] ?? '', userAt(plan, 5 + (w % 4)));
  const rooms = [...plan.bookingRooms, plan.raceRoom, ...plan.holdRooms];
  const from = slot(0).start;
  const to = new Date(Date.parse(from) + 7 * 24 * HOUR).toISOString();
  try {
    await paced(plan.until, 200, w * 20, async (i) => {
      const resourceId = rooms[(i * 7 + w) % rooms.length] ?? '';
      await send(plan, 'availability', conn, 'availability:get', { resourceId, from, to });
    });
  } finally {
    conn.socket.close();
  }
}

async function holdLoop(plan: LoadPlan, w: number, slot: (k: number) => { start: string; end: string }) {
  const conn = await connectAs(plan.nodeUrls[w % plan.nodeUrls.length] ?? '', userAt(plan, 9 + w));
  const resourceId = plan.holdRooms[w] ?? '';
  try {
    await paced(plan.until, 2000, 300 + w * 500, async (i) => {
      const held = await send(plan, 'holds', conn, 'booking:hold', { resourceId, ...slot(i) });
      if (!held) return;
      const bookingId = held.booking.id;
      // A hold that runs out is no webhook event (it runs out quietly); one that did not would
      // show as QUOTA_EXCEEDED (3 holds) or SLOT_TAKEN when its slot comes round again.
      if (i % 2 === 1) return;
      const confirmed = await send(plan, 'holds', conn, 'booking:confirm', { bookingId });
      if (!confirmed) return;
      plan.hooks.expect(bookingId, 'booking.created');
      const gone = await send(plan, 'holds', conn, 'booking:cancel', { bookingId });
      if (gone) plan.hooks.expect(bookingId, 'booking.cancelled');
    });
  } finally {
    conn.socket.close();
  }
}

async function watcherLoop(plan: LoadPlan, w: number) {
  const user = userAt(plan, 15 + w);
  const resourceIds = [...plan.bookingRooms, plan.raceRoom, ...plan.holdRooms];
  await paced(plan.until, 0, w * 700, async (i) => {
    const url = plan.nodeUrls[(i + w) % plan.nodeUrls.length] ?? '';
    let conn: Conn;
    try {
      conn = await connectAs(url, user);
    } catch (err) {
      bump(plan.counts.errors, `watchers connect: ${err instanceof Error ? err.message : String(err)}`);
      return sleep(1000);
    }
    plan.counts.reconnects += 1;
    conn.socket.on('slot:changed', () => {
      plan.counts.slotChanged += 1;
    });
    try {
      await send(plan, 'watchers', conn, 'slots:watch', { resourceIds });
      await sleep(Math.min(3000 + w * 500, Math.max(0, plan.until - Date.now())));
    } finally {
      conn.socket.close();
    }
  });
}

/** Runs every loop until `plan.until`; resolves when all have stopped. */
export async function runLoad(plan: LoadPlan): Promise<void> {
  if (plan.bookingRooms.length < 10 || plan.holdRooms.length < 4) throw new Error('the soak needs 10 + 4 rooms');
  const slot = slotsFrom(Date.now());
  const guarded = (name: string, run: () => Promise<void>) =>
    run().catch((err: unknown) => {
      bump(plan.counts.errors, `${name}: ${err instanceof Error ? err.message : String(err)}`);
    });
  await Promise.all([
    ...Array.from({ length: 10 }, (_, w) => guarded('bookings', () => bookingLoop(plan, w, slot))),
    guarded('contest', () => contestLoop(plan, slot)),
    ...Array.from({ length: 10 }, (_, w) => guarded('availability', () => availabilityLoop(plan, w, slot))),
    ...Array.from({ length: 4 }, (_, w) => guarded('holds', () => holdLoop(plan, w, slot))),
    ...Array.from({ length: 4 }, (_, w) => guarded('watchers', () => watcherLoop(plan, w))),
  ]);
}
