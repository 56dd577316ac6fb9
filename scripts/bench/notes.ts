/**
 * The notes a bench report carries above its table: how the run was set up, so a figure can be
 * read without the code (what shares the machine, how the load is paced, what each baseline is).
 */
import { cpus } from 'node:os';
import type { HoldsResult } from './holds';
import { RECOVERY_NOTE } from './report';
import { PER_SOCKET_MIN_INTERVAL_MS } from './scenarios';
import type { BenchSizes } from './types';

export function benchNotes(opts: {
  sizes: BenchSizes;
  bareLayout: string;
  /** Scenario 4's (and 4w's) connected clients. */
  fanoutClients: number;
  watchResources: number;
  recovery: boolean;
  /** Scenario 10's result (its nodes' layout), or null when it did not run. */
  holds: HoldsResult | null;
}): string[] {
  const { sizes } = opts;
  const cap = sizes.capacity;
  const perSocket = Math.round(1000 / PER_SOCKET_MIN_INTERVAL_MS);
  return [
    `Load generator, MongoDB, Redis and both server nodes share one machine (${cpus().length} cores): ` +
      "the client's CPU use counts against the servers.",
    `Client pacing: at most ${perSocket} commands/s per socket (server limit 50/s per socket), so the socket counts ` +
      `used cap the offered load at sockets × ${perSocket}/s — above every target; no RATE_LIMITED answers are expected.`,
    `Bare Socket.IO baseline: ${opts.bareLayout}.`,
    'Two phases for 1 and 3: "max" = every socket as fast as the limit allows (throughput), "@target" = paced to the ' +
      `target rate (${sizes.bookings.targetRate}/s, ${sizes.availability.targetRate}/s) where the latency targets apply; ` +
      'baselines are paced the same way.',
    'Scenario 1: each booking socket watches the resource it books (slots:watch), as the booking page watches the ' +
      'resource it shows; until this release every booking went to all 32 sockets.',
    `availability:get asks for 2 UTC days of ${sizes.availability.resources} resources that scenario 1 booked hour ` +
      'after hour (answers carry up to 48 busy intervals, ~5 KB).',
    'Memory is measured first, on fresh server processes (VmRSS from /proc of the process listening on each node port); ' +
      'the sockets are then closed and fresh ones opened for the fan-out.',
    'Raw MongoDB baseline: mongodb driver, same replica set, own database, same concurrency as scenario 1; overlap ' +
      'findOne → $inc fence → insert booking → insert outbox, snapshot/majority withTransaction. ' +
      "It omits the server's availability snapshot read, Redlock, cache and broadcast.",
    "Fan-out latency: client receipt time minus the event's `at` (stamped just before io.emit), both Date.now() on " +
      'the same machine clock (1 ms resolution).',
    `4w: scenario 4's ${opts.fanoutClients} clients, ${sizes.watch.bookings} bookings one at a time (each waits for ` +
      `its deliveries) round-robin over ${opts.watchResources} resources from one booker per node; first nobody ` +
      'watches (every client hears every booking), then client i sends slots:watch ' +
      `{resourceIds: [resource i mod ${opts.watchResources}]}. Node CPU per booking = CPU time of the node processes ` +
      'over the loop (/proc/<pid>/stat) ÷ bookings booked.',
    'Event-loop delay: how late a 10 ms timer fired (p99 and max over the phase), in each node ' +
      '(booking_event_loop_delay_seconds on /metrics, reset by the scrape that starts the phase) and in the load ' +
      'generator (perf_hooks.monitorEventLoopDelay in the bench process).',
    `Scenario 9 (capacity): ${cap.sockets} sockets book one unit for a 2-hour window of a ${cap.capacity}-unit pool ` +
      `that holds ${cap.overlapping} 5-minute bookings staggered over that window (every one overlaps the booked ` +
      'window, a few at any instant), each booking cancelled after its ack so the pool never fills; the baseline ' +
      'is the same create-then-cancel loop, same sockets, each on its own capacity-1 resource (a third run, on an ' +
      'empty pool of the same capacity, shows what sharing one resource costs alone; a BUSY cancel is sent again). ' +
      'Rates count creates, ' +
      `latencies are the create's ack. Then ${cap.racers} clients, split over the nodes, send booking:create for one ` +
      `unit of a pool with ${cap.lastUnits} of ${2 * cap.lastUnits} units left, at once, each sending BUSY answers ` +
      'again with its idempotency key; exactly that many must be booked (the run fails otherwise).',
    ...(opts.recovery ? [RECOVERY_NOTE] : []),
    ...(opts.holds ? [holdsNote(sizes.holds, opts.holds)] : []),
  ];
}

function holdsNote(h: BenchSizes['holds'], r: HoldsResult): string {
  return (
    `Scenario 10 (holds, waitlist) runs on nodes of its own: ${r.layout}. ` +
    `hold → confirm: ${h.sockets} sockets each alternate booking:hold + booking:confirm (timed from the hold's send ` +
    "to the confirm's ack) with one booking:create (send to ack), each on its own capacity-1 room, " +
    `${h.rounds} of each after a warm-up. Expiry: ${h.expiring} holds (3 per person) on ${Math.min(5, h.expiring)} rooms, ` +
    `a watcher on another node (slots:watch); latency = arrival of slot:changed released (status expired) − the hold's ` +
    `expiresAt. Offers: ${h.cancels} times, one at a time, a booking, one person joins the waitlist for its slot, ` +
    "the booking is cancelled; latency = arrival of that person's waitlist.offered notification − the cancel's ack " +
    "(≈ the freeing commit; the cancel's send also shown); the notification must name the offer made for that entry. " +
    "The '→emit' figures end at the event's own `at`, stamped by the notifier as it emits (the part before the socket). " +
    'Run order: offers, expiry, hold → confirm (its confirmation mails, sent one at a time, would queue ahead of the offers).'
  );
}
