/**
 * Keeps `npm run bench` from rotting: every scenario and baseline runs once at a tiny size
 * against two in-process nodes and two in-process bare Socket.IO servers. Asserts behaviour and
 * shape only (one winner per round, losers SLOT_TAKEN, every watcher got exactly its resource's
 * bookings, finite figures, JSON written with machine, commit and ratios), never speed. Scenario 10
 * (holds, waitlist) gets two more in-process nodes with 1.2 s holds and an in-process notifier; the
 * webhooks figure its own in-process node and notifier on the test Redis.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBareIo } from '../../scripts/bench/bare-io';
import { raceProblem } from '../../scripts/bench/capacity';
import type { HoldsNodes } from '../../scripts/bench/holds';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { startNotificationService } from '../src/notifier';
import type { BareIo } from '../../scripts/bench/bare-io';
import { LOOP_PHASES } from '../../scripts/bench/loop-delay';
import { failureText } from '../../scripts/bench/report';
import { TINY_SIZES, renderTable, runBench, writeReport } from '../../scripts/bench/run';
import type { BenchReport } from '../../scripts/bench/run';
import { startHarness } from '../../test/support/harness';
import type { Harness } from '../../test/support/harness';
import { testConfig, testUrls, uniqueName } from '../../test/support/env';

jest.setTimeout(240_000);

/** Every number anywhere in the report. */
function numbers(value: unknown, path = '$', out: Array<[string, number]> = []): Array<[string, number]> {
  if (typeof value === 'number') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => numbers(v, `${path}[${i}]`, out));
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) numbers(v, `${path}.${k}`, out);
  return out;
}

describe('bench smoke (tiny sizes)', () => {
  let harness: Harness;
  const bare: BareIo[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));

  beforeAll(async () => {
    harness = await startHarness({ label: 'benchsmoke', count: 2 });
    const prefix = `${uniqueName('bare')}:`;
    bare.push(
      await startBareIo({ redisUrl: testUrls().redis, prefix }),
      await startBareIo({ redisUrl: testUrls().redis, prefix }),
    );
  });

  afterAll(async () => {
    await Promise.all(bare.map((b) => b.close()));
    await harness.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Scenario 10's nodes: two in-process nodes whose holds last 1.2 s, a notifier, a mail catcher. */
  const holdsNodes = async (): Promise<HoldsNodes> => {
    const catcher: MailCatcher = await startMailCatcher();
    const env = { HOLD_MINUTES: '0.02', SMTP_URL: catcher.smtpUrl };
    const nodes = await startHarness({ label: 'benchholds', count: 2, env });
    const notifier = await startNotificationService({ config: testConfig({ db: nodes.db, env }) });
    return {
      nodeUrls: nodes.nodes.map((n) => n.url),
      layout: 'two in-process nodes and an in-process notifier (smoke test)',
      async close() {
        await notifier.close();
        await nodes.close();
        await catcher.stop();
      },
    };
  };

  it('runs every scenario once and writes a complete report', async () => {
    const inProcess = async () => {
      const m = process.memoryUsage();
      return [{ name: 'in-process', rssBytes: m.rss, heapUsedBytes: m.heapUsed }];
    };
    const report: BenchReport = await runBench(
      {
        nodeUrls: harness.nodes.map((n) => n.url),
        mongoUrl: testUrls().mongo,
        staff: { email: 'staff@example.com', password: 'staff-password' },
        nodeMemory: inProcess,
        bare: { urls: bare.map((b) => b.url), memory: inProcess, layout: 'two in-process bare servers (smoke test)' },
        // The nodes run in this process: its CPU stands for theirs (and includes the load's).
        cpu: () => {
          const u = process.cpuUsage();
          return { 'in-process': (u.user + u.system) / 1000 };
        },
        nodeProcesses: ['in-process'],
        holds: holdsNodes,
        redisUrl: testUrls().redis,
      },
      TINY_SIZES,
    );

    const { bookings, contention, availability, slotsFind, fanout, idleMemory } = report.scenarios;
    for (const phase of [bookings.max, bookings.atTarget]) {
      expect(phase.ok).toBeGreaterThan(0);
      expect(phase.failures).toEqual({});
    }
    expect(contention.winnersPerRound).toEqual(Array.from({ length: TINY_SIZES.contention.rounds }, () => 1));
    expect(contention.losers).toBe(TINY_SIZES.contention.rounds * (TINY_SIZES.contention.racers - 1));
    expect(Object.keys(contention.loserOutcomes)).toEqual(['SLOT_TAKEN']);
    for (const phase of [availability.max, availability.atTarget]) {
      expect(phase.ok).toBeGreaterThan(0);
      expect(phase.failures).toEqual({});
    }
    // slots:find finds an hour on every one of its resources' open weekdays: no failures, every call answered.
    expect(slotsFind.ok).toBe(TINY_SIZES.slotsFind.total);
    expect(slotsFind.failures).toEqual({});
    expect(fanout.missed).toBe(0);
    expect(fanout.delivered).toBe(TINY_SIZES.idle.sockets * TINY_SIZES.fanout.rounds);
    expect(report.baselines.socketIoBroadcast.missed).toBe(0);
    expect(report.baselines.mongoTransaction.max.committed).toBeGreaterThan(0);
    expect(report.baselines.mongoTransaction.atTarget.committed).toBeGreaterThan(0);
    expect(idleMemory?.idleSockets).toBe(TINY_SIZES.idle.sockets);
    // 7: every round booked its single hour and its whole weekly series.
    const { series } = report.scenarios;
    expect(series.failures).toEqual({});
    expect(series.series.count).toBe(TINY_SIZES.series.rounds);
    expect(series.single.count).toBe(TINY_SIZES.series.rounds);
    const seriesRow = report.rows.find((r) => r.scenario.startsWith('7 series'));
    expect(seriesRow?.baselineValue).toBe(series.single.p50);
    process.stdout.write(
      `bench smoke, series: ${renderTable(report)
        .split('\n')
        .filter((l) => l.includes('7 series'))
        .join(' | ')}\n`,
    );

    // 9: unit bookings on the filled pool and on capacity-1 resources, each cancelled after its ack;
    // the race for the pool's last units books exactly that many and leaves none (npm run bench fails otherwise).
    const { capacity } = report.scenarios;
    for (const loop of [capacity.pool, capacity.distinct, capacity.emptyPool]) {
      expect(loop.ok).toBe(TINY_SIZES.capacity.total);
      expect(loop.failures).toEqual({});
      expect(loop.cancelFailures).toEqual({});
    }
    expect(capacity.peakUsed).toBeLessThan(TINY_SIZES.capacity.capacity);
    const { race } = capacity;
    expect(race.winners).toBe(50);
    expect(race.outcomes).toEqual({ ok: 50, SLOT_TAKEN: TINY_SIZES.capacity.racers - 50 });
    expect(race.freeAfter).toBe(0);
    expect(raceProblem(race)).toBeNull();
    expect(race.answers.count).toBe(TINY_SIZES.capacity.racers);

    // 10: every hold confirmed and every create booked; every hold's expiry broadcast to the watcher;
    // every cancel's offer notified to its waiting person, naming that offer.
    const { holds } = report.scenarios;
    if (!holds) throw new Error('scenario 10 did not run');
    const h = TINY_SIZES.holds;
    const measured = Math.ceil(h.rounds / h.sockets) * h.sockets;
    expect(holds.holdConfirm.failures).toEqual({});
    expect([holds.holdConfirm.holdConfirm.count, holds.holdConfirm.create.count]).toEqual([measured, measured]);
    expect(holds.expiry).toMatchObject({ holds: h.expiring, released: h.expiring, missed: 0, failures: {} });
    expect(holds.expiry.holdMs).toBe(1200);
    expect(holds.offers).toMatchObject({ cancels: h.cancels, offered: h.cancels, missed: 0, wrong: 0, failures: {} });
    const holdRows = report.rows.filter((r) => r.scenario.startsWith('10 '));
    expect(holdRows.filter((r) => r.target !== '').every((r) => typeof r.meets === 'boolean')).toBe(true);
    expect(holdRows.find((r) => r.figure === 'hold+confirm p50')?.baselineValue).toBe(holds.holdConfirm.create.p50);

    // Webhooks and reports (issue 28), rows of the table: commit → delivery beside the raw signed POST,
    // its p95 bound and each event exactly once; the bookings CSV beside a raw cursor, with its peak heap.
    const { webhooks, reports } = report.scenarios;
    if (!webhooks) throw new Error('the webhooks figure did not run');
    expect(webhooks.changes).toBe(TINY_SIZES.webhooks.changes);
    expect(webhooks).toMatchObject({ exactlyOnce: webhooks.changes, missed: 0, duplicates: 0 });
    const hookRows = report.rows.filter((r) => r.scenario === `webhooks ×${webhooks.changes} changes`);
    expect(hookRows.map((r) => r.figure)).toEqual([
      'commit→delivery p50',
      'commit→delivery p95',
      'command sent→delivery p95',
      'delivered exactly once',
      'missed + duplicates (0 + 0)',
    ]);
    expect(hookRows[1]).toMatchObject({ target: '≤ 2000 ms', value: webhooks.fromCommit.p95 });
    expect(hookRows[1]?.baselineValue).toBe(webhooks.raw.p95);
    expect(typeof hookRows[1]?.meets).toBe('boolean');
    expect(hookRows.slice(3).map((r) => r.meets)).toEqual([true, true]);
    expect(reports.rows).toBe(TINY_SIZES.reports.rows);
    const reportRows = report.rows.filter((r) => r.scenario === `reports CSV ×${reports.rows} rows`);
    expect(reportRows.map((r) => r.figure)).toEqual(['time', 'rows/s', 'peak heap over start', 'peak RSS over start']);
    expect(reportRows[0]).toMatchObject({ value: reports.csv.ms, baselineValue: reports.raw.ms, target: '' });
    expect(renderTable(report)).toContain(`delivered exactly once ${webhooks.changes} of ${webhooks.changes}`);
    // Every row with a target carries its verdict.
    for (const row of report.rows)
      if (row.target !== '') expect([row.figure, typeof row.meets]).toEqual([row.figure, 'boolean']);

    // 4w: the same clients and as many bookings twice; every client got exactly the bookings of
    // the resources it hears (all of them, then only the one it watches).
    const { allHear, watching } = report.scenarios.watch;
    const clients = TINY_SIZES.idle.sockets;
    const { bookings: watchBookings, resources } = TINY_SIZES.watch;
    for (const run of [allHear, watching]) {
      expect(run.result.clients).toBe(clients);
      expect(run.result.failures).toEqual({});
      expect(run.result.booked).toBe(watchBookings);
      expect(run.result.missed).toBe(0);
      expect(run.result.extra).toBe(0);
      expect(run.result.delivered).toBe(run.result.expected);
      expect(run.nodeCpuMsPerBooking).not.toBeNull();
      expect(run.cpu?.ops).toBe(watchBookings);
    }
    expect(allHear.result.watching).toBe(false);
    expect(allHear.result.expected).toBe(watchBookings * clients);
    expect(watching.result.watching).toBe(true);
    expect(watching.result.expected).toBe(watchBookings * (clients / resources));
    const watchRows = report.rows.filter((r) => r.scenario.startsWith('4w watch'));
    expect(watchRows.map((r) => r.figure)).toEqual([
      'node CPU/booking',
      'emit→watcher p50',
      'emit→watcher p99',
      'missed deliveries',
      'extra deliveries',
      'node loop p99',
    ]);
    expect(watchRows[0]?.baselineValue).toBe(allHear.nodeCpuMsPerBooking);

    // Event-loop delay for every phase: both nodes' (read from /metrics) and the generator's.
    expect(Object.keys(report.loopDelay).sort()).toEqual(Object.values(LOOP_PHASES).sort());
    for (const phase of Object.values(report.loopDelay)) {
      expect(Object.keys(phase.nodes ?? {}).sort()).toEqual(harness.nodes.map((n) => n.nodeId).sort());
      for (const d of [...Object.values(phase.nodes ?? {}), phase.generator]) {
        expect(d.p99Ms).toBeGreaterThanOrEqual(0);
        expect(d.maxMs).toBeGreaterThanOrEqual(d.p99Ms);
      }
    }
    // A row per phase in its scenario's group, but for the baselines' phases (raw Mongo, bare broadcast).
    expect(report.rows.filter((r) => r.figure.startsWith('node loop p99'))).toHaveLength(
      Object.keys(report.loopDelay).length - 2,
    );

    // Failures read as code, count and message (not "[{},{}]").
    expect(failureText({ BUSY: { count: 2, message: 'resource busy' } })).toBe('BUSY ×2: "resource busy"');
    expect(renderTable(report)).toContain('Failures (code ×count: first message): bookings max none, @target none;');

    const bad = numbers(report).filter(([, n]) => !Number.isFinite(n));
    expect(bad).toEqual([]);
    expect(report.rows.length).toBeGreaterThan(10);
    for (const row of report.rows) expect(Number.isFinite(row.value)).toBe(true);

    const out = join(dir, 'bench.json');
    writeReport(out, report);
    expect(existsSync(out)).toBe(true);
    const parsed = JSON.parse(readFileSync(out, 'utf8')) as BenchReport & { table: string };
    expect(parsed.rows).toHaveLength(report.rows.length);
    expect(parsed.table).toBe(renderTable(report));
    expect(parsed.machine).toEqual(
      expect.objectContaining({
        nproc: expect.any(Number),
        cpuModel: expect.any(String),
        memoryGiB: expect.any(Number),
        os: expect.any(String),
        node: process.version,
      }),
    );
    expect(parsed.commit.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof parsed.commit.dirty).toBe('boolean');
    expect(Date.parse(parsed.finishedAt)).toBeGreaterThanOrEqual(Date.parse(parsed.startedAt));
    // Every docs/design.md ratio target, with its bound and verdict (true/false here: every figure exists).
    expect(parsed.ratios.map((q) => q.figure)).toEqual([
      'booking:create/s (max, ×3)',
      'booking:create p99 @100/s',
      'availability:get/s (max, ×2)',
      'availability:get p99 @50/s',
      'booking:createSeries p50',
      'emit→client p99',
      'node CPU/booking, watching',
      'emit→watcher p99',
      `unit booking:create/s, pool (max, ×${TINY_SIZES.capacity.sockets})`,
      'booking:confirm of a hold p50',
    ]);
    for (const q of parsed.ratios) {
      expect(['≥', '≤']).toContain(q.bound);
      expect(q.limit).toBeGreaterThan(0);
      if (q.ratio !== null) expect(typeof q.meets).toBe('boolean');
    }
  });
});
