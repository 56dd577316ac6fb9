import { createResource, loginStaff, registerUser, send, slot, unwrap } from '../../test/support/harness';
import { getHeapCodeStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { latestMajorGc } from '../src/infra/metrics';
import { useHarness, useSockets } from '../../test/support/suite';
import { waitFor } from '../../test/support/wait';

const h = useHarness({ label: 'metrics' });
const sockets = useSockets();

/** The value of one sample line, e.g. `booking_commands_total{event="x",outcome="ok",node="n"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const [series, value] = line.split(' ');
    if (!series || value === undefined || (series !== name && !series.startsWith(`${name}{`))) continue;
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) return Number(value);
  }
  return null;
}

describe('GET /metrics', () => {
  it('exports sockets, commands by outcome, latency, lock waits, tx retries, cache, queue and heap figures', async () => {
    const staff = await loginStaff(h.node.url);
    const room = await createResource(h.node.url, staff.token, 'Metered');
    const socket = await sockets.client(h.node.url, (await registerUser(h.node.url, 'metered')).token);
    const iv = slot(20);
    unwrap(await send(socket, 'booking:create', { resourceId: room.id, ...iv }));
    expect((await send(socket, 'booking:create', { resourceId: room.id, ...iv })).ok).toBe(false);
    // The booked day read twice: the first read fills it (a miss), the second is a hit.
    for (let i = 0; i < 2; i += 1)
      unwrap(await send(socket, 'availability:get', { resourceId: room.id, from: iv.start, to: iv.end }));
    const far = slot(24 * 40);
    unwrap(await send(socket, 'availability:get', { resourceId: room.id, from: far.start, to: far.end }));

    const res = await fetch(`${h.node.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(sample(text, 'booking_connected_sockets')).toBe(1);
    expect(sample(text, 'booking_commands_total', { event: 'booking:create', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'booking_commands_total', { event: 'booking:create', outcome: 'SLOT_TAKEN' })).toBe(1);
    expect(sample(text, 'booking_command_duration_seconds_count', { event: 'booking:create' })).toBe(2);
    expect(sample(text, 'booking_cache_hits_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'booking_cache_misses_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'booking_tx_retries_total')).not.toBeNull();
    expect(sample(text, 'booking_lock_waits_total')).not.toBeNull();
    expect(sample(text, 'booking_notification_queue_jobs', { state: 'waiting' })).not.toBeNull();
    // The heap the soak fits for leaks: this process's own (the node runs in it), within reason.
    const heap = sample(text, 'booking_heap_used_bytes') ?? 0;
    expect(heap).toBeGreaterThan(1024 ** 2);
    expect(heap).toBeLessThan(process.memoryUsage().heapTotal * 2);
    // The JIT's share of it: this process has compiled code (a server and its libraries), less than the heap.
    const code = sample(text, 'booking_heap_code_bytes') ?? 0;
    const stats = getHeapCodeStatistics();
    expect(code).toBeGreaterThan(100 * 1024);
    expect(code).toBeLessThan(heap);
    expect(code).toBeLessThanOrEqual((stats.code_and_metadata_size + stats.bytecode_and_metadata_size) * 2);
  });

  it('reports the heap after the latest major collection: what stays reachable, not garbage waiting', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    latestMajorGc(); // starts watching
    // A forced collection, and the first report of one that ended after it was asked for (a report
    // of an earlier collection, delivered late, does not count).
    const collectedOnce = async () => {
      const asked = performance.now();
      gc();
      const seen = await waitFor('a major collection reported', () => {
        const gcNow = latestMajorGc();
        return gcNow && gcNow.at >= asked ? gcNow : null;
      });
      return seen.bytes;
    };
    // The heap is read when the report arrives, a moment after the collection: what the process
    // allocated meanwhile can only add to it, so the least of five readings is the one to judge.
    const collected = async () => {
      const readings: number[] = [];
      for (let i = 0; i < 5; i += 1) readings.push(await collectedOnce());
      return Math.min(...readings);
    };
    let kept: number[][] | null = Array.from({ length: 40 }, () => new Array<number>(250_000).fill(1.5));
    const holding = await collected();
    expect(kept.length).toBe(40);
    kept = null;
    const freed = await collected();
    expect(holding - freed).toBeGreaterThan(60 * 1024 ** 2); // 40 × 250,000 doubles ≈ 80 MB
  });
});
