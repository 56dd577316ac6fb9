/**
 * 10. Holds and the waitlist (issue 25), on nodes of their own whose holds last a second or so
 * (`HOLD_MINUTES` tiny), with the notifier that expires holds and sends the offers' notifications:
 *
 * - hold → confirm: `booking:hold` then `booking:confirm`, timed from the hold's send to the
 *   confirm's ack, against one `booking:create` (its send to its ack) in the same loop, the two
 *   alternating on each socket, each on its own capacity-1 room (target: p50 ≤ 1.2× create's p50);
 * - expiry: `expiring` holds are left to run out; a client on another node watches their rooms
 *   and stamps each `slot:changed` `released` (status `expired`); latency = its arrival minus the
 *   hold's `expiresAt` (target: p99 ≤ 2 s);
 * - offers: `cancels` times, one at a time, a booking is made, one person joins the waitlist for
 *   its slot, and the booking is cancelled; the waiting person's socket (on the other node) stamps
 *   the `notification` of type `waitlist.offered` naming that offer (its id read from
 *   `waitlist:mine` after the ack); latency = its arrival minus the cancel's ack (≈ the freeing
 *   commit; also kept from the cancel's send), a notice later than `giveUpMs` still counted if it
 *   comes by the end; target p99 ≤ 1 s.
 *
 * Run order: offers, expiry, then hold → confirm, whose 2 × `rounds` bookings each queue a
 * confirmation mail: run before the offers, that backlog (the notifier sends one mail at a time)
 * held some offers' notices back 10-27 s on the 2-core machine.
 *
 * Clock: arrivals, `expiresAt` and acks are all this machine's clock (Date.now(), 1 ms). Every
 * wait is bounded by `giveUpMs`; what does not arrive by then counts as missed.
 */
import type { Notification, SlotChanged } from '@booking/shared';
import { closeAll, command, connectMany, createResource, hourSlot, loginStaff, registerUser } from './client';
import type { BenchSocket } from './client';
import { PER_SOCKET_MIN_INTERVAL_MS, tallyFailure } from './scenarios';
import type { Failures } from './scenarios';
import { sleep, summarize } from './stats';
import type { LatencySummary } from './stats';

/** Scenario 10's sizes (`BenchSizes['holds']`). */
export interface HoldsSizes {
  /** hold → confirm beside booking:create: `sockets` loops, `rounds` of each in all. */
  sockets: number;
  rounds: number;
  /** Holds left to run out (3 per person: the holds quota). */
  expiring: number;
  /** Cancels, each freeing a slot one person waits for. */
  cancels: number;
  /** How long past its `expiresAt` (or its cancel's ack) a broadcast or notification is waited for. */
  giveUpMs: number;
}

/** Nodes (and their notifier) whose holds are short, started for scenario 10 alone; `close` stops them. */
export interface HoldsNodes {
  nodeUrls: string[];
  /** What runs (for the report's note). */
  layout: string;
  close(): Promise<void>;
}

export interface HoldConfirmResult {
  sockets: number;
  /** From the hold's send to the confirm's ack. */
  holdConfirm: LatencySummary;
  /** The hold's ack alone, and the confirm's. */
  hold: LatencySummary;
  confirm: LatencySummary;
  /** One booking:create, send to ack, in the same loop. */
  create: LatencySummary;
  failures: Failures;
}

export interface ExpiryResult {
  holds: number;
  /** The hold's length the nodes gave (expiresAt minus createdAt, p50). */
  holdMs: number;
  released: number;
  missed: number;
  /** Arrival of `released` (status expired) at the watcher minus the hold's expiresAt. */
  afterExpiry: LatencySummary;
  /** The event's `at` (stamped as the notifier emits it) minus expiresAt: the part before the socket. */
  emitAfterExpiry: LatencySummary;
  failures: Failures;
}

export interface OfferResult {
  cancels: number;
  offered: number;
  missed: number;
  /** Offer notices that name no offer of this run, or repeat one. */
  wrong: number;
  /** Arrival of `waitlist.offered` minus the cancel's ack, and minus the cancel's send. */
  fromAck: LatencySummary;
  fromSend: LatencySummary;
  /** The notice's `at` (stamped as the worker emits it) minus the cancel's ack: the part before the socket. */
  emitFromAck: LatencySummary;
  failures: Failures;
}

export interface HoldsResult {
  nodes: number;
  layout: string;
  holdConfirm: HoldConfirmResult;
  expiry: ExpiryResult;
  offers: OfferResult;
}

interface Env {
  nodeUrls: readonly string[];
  staffToken: string;
  tokens: readonly string[];
  stamp: string;
  sizes: HoldsSizes;
  log: (line: string) => void;
}

const room = async (e: Env, name: string) =>
  (await createResource(e.nodeUrls[0] ?? '', e.staffToken, `bench ${e.stamp} ${name}`)).id;

/** Waits until `done()` or `deadline` (performance.now()), looking every 5 ms. */
async function until(done: () => boolean, deadline: number): Promise<void> {
  while (!done() && performance.now() < deadline) await sleep(5);
}

/** Pauses so a socket sends at most one command per PER_SOCKET_MIN_INTERVAL_MS on average. */
async function paced(commands: number, since: number): Promise<void> {
  const wait = commands * PER_SOCKET_MIN_INTERVAL_MS - (performance.now() - since);
  if (wait > 0) await sleep(wait);
}

/** hold → confirm and booking:create alternating on each socket (the first round of each is a warm-up). */
async function holdConfirmLoop(e: Env): Promise<HoldConfirmResult> {
  const { sockets: n, rounds } = e.sizes;
  const sockets = await connectMany(e.nodeUrls, e.tokens, n);
  const holdRooms: string[] = [];
  const createRooms: string[] = [];
  for (let w = 0; w < n; w += 1) {
    holdRooms.push(await room(e, `hold ${w}`));
    createRooms.push(await room(e, `create ${w}`));
  }
  const failures: Failures = {};
  const ms = { holdConfirm: [] as number[], hold: [] as number[], confirm: [] as number[], create: [] as number[] };
  const perSocket = Math.ceil(rounds / n) + 1;
  const holdConfirm = async (socket: BenchSocket, resourceId: string, i: number, keep: boolean) => {
    const t0 = performance.now();
    const held = await command(socket, 'booking:hold', { resourceId, ...hourSlot(i) });
    const t1 = performance.now();
    if (!held.ok) return tallyFailure(failures, held);
    const confirmed = await command(socket, 'booking:confirm', { bookingId: held.data.booking.id });
    const t2 = performance.now();
    if (!confirmed.ok) return tallyFailure(failures, confirmed);
    if (!keep) return;
    ms.holdConfirm.push(t2 - t0);
    ms.hold.push(t1 - t0);
    ms.confirm.push(t2 - t1);
  };
  const create = async (socket: BenchSocket, resourceId: string, i: number, keep: boolean) => {
    const t0 = performance.now();
    const res = await command(socket, 'booking:create', { resourceId, ...hourSlot(i) });
    if (!res.ok) return tallyFailure(failures, res);
    if (keep) ms.create.push(performance.now() - t0);
  };
  try {
    await Promise.all(
      sockets.map(async (socket, w) => {
        const [h, c] = [holdRooms[w] ?? '', createRooms[w] ?? ''];
        for (let i = 0; i < perSocket; i += 1) {
          const t0 = performance.now();
          // The first round warms up; the order alternates so neither always goes first.
          if (i % 2 === 0) {
            await holdConfirm(socket, h, i, i > 0);
            await create(socket, c, i, i > 0);
          } else {
            await create(socket, c, i, true);
            await holdConfirm(socket, h, i, true);
          }
          await paced(3, t0);
        }
      }),
    );
  } finally {
    closeAll(sockets);
  }
  return {
    sockets: n,
    holdConfirm: summarize(ms.holdConfirm),
    hold: summarize(ms.hold),
    confirm: summarize(ms.confirm),
    create: summarize(ms.create),
    failures,
  };
}

/** `expiring` holds, 3 per person, left to run out; a watcher on the last node stamps their `released`. */
async function expiryRun(e: Env): Promise<ExpiryResult> {
  const { expiring, giveUpMs } = e.sizes;
  const rooms: string[] = [];
  for (let k = 0; k < Math.min(5, expiring); k += 1) rooms.push(await room(e, `expiry ${k}`));
  const holders = await connectMany(e.nodeUrls, e.tokens, Math.ceil(expiring / 3));
  const [watcher] = await connectMany([e.nodeUrls[e.nodeUrls.length - 1] ?? ''], e.tokens.slice(-1), 1);
  if (!watcher) throw new Error('no watcher socket');
  // Arrival, and the event's own `at` (stamped by the notifier's timer worker as it emits).
  const arrived = new Map<string, { at: number; emitted: number }>();
  watcher.on('slot:changed', (ev: SlotChanged) => {
    if (ev.change === 'released' && ev.status === 'expired' && !arrived.has(ev.bookingId))
      arrived.set(ev.bookingId, { at: Date.now(), emitted: Date.parse(ev.at) });
  });
  const failures: Failures = {};
  const expiresAt = new Map<string, number>();
  const lengths: number[] = [];
  try {
    const watched = await command(watcher, 'slots:watch', { resourceIds: rooms });
    if (!watched.ok) throw new Error(`slots:watch refused: ${watched.code}: ${watched.message}`);
    await Promise.all(
      holders.map(async (socket, w) => {
        for (let j = w; j < expiring; j += holders.length) {
          const t0 = performance.now();
          const res = await command(socket, 'booking:hold', {
            resourceId: rooms[j % rooms.length] ?? '',
            ...hourSlot(j),
          });
          if (!res.ok) tallyFailure(failures, res);
          else {
            const at = Date.parse(res.data.booking.expiresAt ?? '');
            expiresAt.set(res.data.booking.id, at);
            lengths.push(at - Date.parse(res.data.booking.createdAt));
          }
          await paced(1, t0);
        }
      }),
    );
    const last = Math.max(...expiresAt.values(), Date.now());
    await until(
      () => [...expiresAt.keys()].every((id) => arrived.has(id)),
      performance.now() + (last - Date.now()) + giveUpMs,
    );
  } finally {
    closeAll([...holders, watcher]);
  }
  const got = [...expiresAt].flatMap(([id, at]) => {
    const t = arrived.get(id);
    return t === undefined ? [] : [{ arrival: t.at - at, emit: t.emitted - at }];
  });
  return {
    holds: expiresAt.size,
    holdMs: summarize(lengths).p50,
    released: got.length,
    missed: expiresAt.size - got.length,
    afterExpiry: summarize(got.map((x) => x.arrival)),
    emitAfterExpiry: summarize(got.map((x) => x.emit)),
    failures,
  };
}

/** One at a time: book, one person joins the waitlist, cancel; the person's socket stamps the offer. */
async function offerRun(e: Env): Promise<OfferResult> {
  const { cancels, giveUpMs } = e.sizes;
  const resourceId = await room(e, 'waitlist');
  const [booker] = await connectMany([e.nodeUrls[0] ?? ''], e.tokens, 1);
  const [waiter] = await connectMany([e.nodeUrls[e.nodeUrls.length - 1] ?? ''], e.tokens.slice(1), 1);
  if (!booker || !waiter) throw new Error('no booker or waiter socket');
  // Every offer notice by the offer it names: the first arrival of each, and how many came.
  // Every offer notice by the offer it names: the first arrival of each, its `at` (stamped by the
  // notification worker as it emits, after the mail), and how many came.
  const arrived = new Map<string, { at: number; emitted: number }>();
  let notices = 0;
  waiter.on('notification', (n: Notification) => {
    if (n.type !== 'waitlist.offered') return;
    notices += 1;
    if (!arrived.has(n.bookingId)) arrived.set(n.bookingId, { at: Date.now(), emitted: Date.parse(n.at) });
  });
  const failures: Failures = {};
  const offers: Array<{ id: string; sent: number; acked: number }> = [];
  const step = async (i: number) => {
    const slot = hourSlot(1000 + i);
    const made = await command(booker, 'booking:create', { resourceId, ...slot });
    if (!made.ok) return tallyFailure(failures, made);
    const joined = await command(waiter, 'waitlist:join', { resourceId, ...slot });
    if (!joined.ok) return tallyFailure(failures, joined);
    const sent = Date.now();
    const cancelled = await command(booker, 'booking:cancel', { bookingId: made.data.booking.id });
    const acked = Date.now();
    if (!cancelled.ok) return tallyFailure(failures, cancelled);
    // The offer this cancel made for this entry (its notice is stamped by the listener meanwhile).
    const mine = await command(waiter, 'waitlist:mine', {});
    if (!mine.ok) return tallyFailure(failures, mine);
    const id = mine.data.entries.find((x) => x.id === joined.data.entry.id)?.bookingId;
    if (!id) return tallyFailure(failures, { code: 'NO_OFFER', message: 'the entry was not offered by the cancel' });
    offers.push({ id, sent, acked });
    await until(() => arrived.has(id), performance.now() + giveUpMs);
  };
  try {
    for (let i = 0; i < cancels; i += 1) {
      const t0 = performance.now();
      await step(i);
      await paced(5, t0);
    }
    // A notice later than its step's patience still counts, with its latency, if it comes by now.
    await until(() => offers.every((o) => arrived.has(o.id)), performance.now() + giveUpMs);
  } finally {
    closeAll([booker, waiter]);
  }
  const got = offers.flatMap((o) => {
    const at = arrived.get(o.id);
    return at === undefined ? [] : [{ ack: at.at - o.acked, send: at.at - o.sent, emit: at.emitted - o.acked }];
  });
  const expected = new Set(offers.map((o) => o.id));
  return {
    cancels,
    offered: got.length,
    missed: offers.length - got.length,
    wrong: notices - [...arrived.keys()].filter((id) => expected.has(id)).length,
    fromAck: summarize(got.map((x) => x.ack)),
    fromSend: summarize(got.map((x) => x.send)),
    emitFromAck: summarize(got.map((x) => x.emit)),
    failures,
  };
}

/** Scenario 10 on nodes started for it (`start`), stopped again before it returns. */
export async function holdsScenario(opts: {
  start: () => Promise<HoldsNodes>;
  staff: { email: string; password: string };
  sizes: HoldsSizes;
  log: (line: string) => void;
}): Promise<HoldsResult> {
  const { sizes, log } = opts;
  log('10. holds and the waitlist: starting nodes with short holds and a notifier');
  const nodes = await opts.start();
  try {
    const first = nodes.nodeUrls[0];
    if (!first) throw new Error('no holds node URL');
    const staff = await loginStaff(first, opts.staff.email, opts.staff.password);
    const count = Math.max(sizes.sockets, Math.ceil(sizes.expiring / 3)) + 2;
    const users = await Promise.all(Array.from({ length: count }, () => registerUser(first)));
    const e: Env = {
      nodeUrls: nodes.nodeUrls,
      staffToken: staff.token,
      tokens: users.map((u) => u.token),
      stamp: Date.now().toString(36),
      sizes,
      log,
    };
    // Offers first, on an idle notifier: the hold → confirm loop leaves a confirmation mail per
    // booking in the notifier's queue (sent one at a time), and an offer's notice waits its turn behind them.
    log(`10. ${sizes.cancels} cancels, each freeing a slot one person waits for`);
    const offers = await offerRun(e);
    log(`10. ${sizes.expiring} holds left to run out, a watcher on another node`);
    const expiry = await expiryRun(e);
    log(`10. hold → confirm beside booking:create: ${sizes.rounds} of each on ${sizes.sockets} sockets`);
    const holdConfirm = await holdConfirmLoop(e);
    return { nodes: nodes.nodeUrls.length, layout: nodes.layout, holdConfirm, expiry, offers };
  } finally {
    await nodes.close();
  }
}
