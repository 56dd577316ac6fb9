/**
 * A series against single bookings racing onto its dates, on two nodes, with and without locks:
 * the series is one transaction under the resource's fence, so every date ends with exactly one
 * active booking (the series' occurrence or one racer's) and nothing overlaps.
 */
import type { Ack, Booking, SeriesResult } from '@booking/shared';
import { overlappingActivePairs } from '../../test/support/invariants';
import {
  connectClient,
  createResource,
  loginStaff,
  minutesFrom,
  send,
  sendUntilDecided,
  slot,
  startHarness,
} from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';
import { createUsers } from '../../test/support/users';

const OCCURRENCES = 20;
const DAY_MS = 86_400_000;

describe.each([['on'], ['off']])('a 20-occurrence series against 20 racers on two nodes, BOOKING_LOCKS=%s', (locks) => {
  let h: Harness;
  let owner: ClientSocket;
  let racers: ClientSocket[] = [];
  beforeAll(async () => {
    h = await startHarness({ label: `series-race-${locks}`, count: 2, env: { BOOKING_LOCKS: locks } });
    const users = await createUsers(h.node, { count: OCCURRENCES + 1, label: 'series-racer' });
    const [first, ...rest] = users;
    if (!first) throw new Error('no users');
    owner = await connectClient(h.node.url, first.token);
    racers = await Promise.all(rest.map((u, i) => connectClient((h.nodes[i % 2] ?? h.node).url, u.token)));
  });
  afterAll(async () => {
    owner?.close();
    for (const s of racers) s.close();
    await h?.close();
  });

  it('every date has exactly one winner and no two active bookings overlap', async () => {
    const staff = await loginStaff(h.node.url);
    const resource = await createResource(h.node.url, staff.token, `Series race ${locks}`);
    const first = slot(24);
    const txBefore = { ...h.node.counters.tx };
    const began = Date.now();
    // Each racer aims at one date, half an hour into the occurrence: overlapping, not identical.
    const racing: Array<Promise<Ack<{ booking: Booking }>>> = racers.map((s, i) => {
      const start = minutesFrom(new Date(Date.parse(first.start) + i * DAY_MS).toISOString(), 30);
      // A racer retries BUSY with its key, as every client does: what counts is who finally wins.
      return sendUntilDecided(s, 'booking:create', {
        resourceId: resource.id,
        start,
        end: minutesFrom(start, 60),
        idempotencyKey: `racer-${locks}-${i}`,
      });
    });
    // Without locks a series keeps losing its transaction to the racers' fence bumps and may hear
    // BUSY (the retry budget); a client retries BUSY with the series' idempotency key, so this one does.
    const seriesRequest = {
      resourceId: resource.id,
      ...first,
      repeat: { every: 'day' as const, count: OCCURRENCES },
      onConflict: 'skip' as const,
      idempotencyKey: `series-race-${locks}`,
    };
    const series: Promise<Ack<SeriesResult>> = (async () => {
      let ack = await send(owner, 'booking:createSeries', seriesRequest);
      for (let tries = 1; tries < 10 && !ack.ok && ack.error.code === 'BUSY'; tries += 1)
        ack = await send(owner, 'booking:createSeries', seriesRequest);
      return ack;
    })();
    const [seriesAck, ...acks] = await Promise.all([series, ...racing]);
    const ms = Date.now() - began;
    if (!seriesAck?.ok)
      throw new Error(`series failed: ${seriesAck?.ok === false ? seriesAck.error.code : 'no answer'}`);
    const won = acks.filter((a) => a.ok).length;
    const lostCodes = new Set(acks.flatMap((a) => (a.ok ? [] : [a.error.code])));
    process.stdout.write(
      `series race BOOKING_LOCKS=${locks}: series booked=${seriesAck.data.bookings.length} skipped=${seriesAck.data.skipped.length} ` +
        `racers won=${won} lost=${acks.length - won} txAttempts=${h.node.counters.tx.attempts - txBefore.attempts} ` +
        `txRetries=${h.node.counters.tx.retries - txBefore.retries} (node 0) in ${ms} ms\n`,
    );
    expect(seriesAck.data.bookings.length + seriesAck.data.skipped.length).toBe(OCCURRENCES);
    expect(seriesAck.data.bookings.length + won).toBe(OCCURRENCES);
    expect([...lostCodes].every((c) => c === 'SLOT_TAKEN')).toBe(true);
    expect(seriesAck.data.skipped.every((k) => k.code === 'SLOT_TAKEN')).toBe(true);

    // Per date: exactly one active booking, whoever won it.
    const rows = await h.node.models.Booking.find({ resourceId: resource.id, status: 'active' }, { start: 1 }).lean<
      Array<{ start: Date }>
    >();
    const perDate = new Map<number, number>();
    for (const r of rows) {
      const day = Math.floor((r.start.getTime() - Date.parse(first.start)) / DAY_MS);
      perDate.set(day, (perDate.get(day) ?? 0) + 1);
    }
    expect([...perDate.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: OCCURRENCES }, (_, i) => i));
    expect([...perDate.values()].every((n) => n === 1)).toBe(true);
    expect(await overlappingActivePairs(h.node.models.Booking)).toEqual([]);
  });
});
