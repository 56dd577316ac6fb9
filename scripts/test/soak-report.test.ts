/** The soak's series (scripts/soak/report.ts): the heap is judged without its compiled code. */
import { fitAll } from '../soak/report';
import type { MinuteSample } from '../soak/report';

function minute(m: number, heapMb: number, codeMb: number): MinuteSample {
  return {
    minute: m,
    at: new Date(Date.UTC(2026, 11, 6, 20, m)).toISOString(),
    nodes: {
      'node-a': { pid: 1, rssMb: 250, heapMb, codeMb, loopP99Ms: 1.5, openFds: 58, queueWaiting: 0, faults: 0 },
    },
    redisUsedMb: 4.6,
    mongoConnections: 21,
    generatorP99Ms: 2,
    commands: 4000,
    errors: 0,
    expectedRefusals: 60,
    slotChanged: 4000,
    watcherConnects: 65,
    webhooksDelivered: 840,
  };
}

const byName = (samples: MinuteSample[]) => new Map(fitAll(samples, ['node-a']).map((t) => [t.name, t]));

describe('soak series', () => {
  it('judges the heap less its compiled code; the code and the whole heap are shown, not judged', () => {
    // Code grows 6 MB/h (the JIT), the data stays at 47 MB: the run is not failed for it.
    const fits = byName(Array.from({ length: 25 }, (_, i) => minute(i + 6, 50 + 0.1 * i, 3 + 0.1 * i)));
    expect(fits.get('node-a heap data')).toMatchObject({ judged: true, verdict: 'flat' });
    expect(fits.get('node-a heap data')?.mean).toBeCloseTo(47, 5);
    expect(fits.get('node-a heap code')).toMatchObject({ judged: false, verdict: 'GROWS' });
    expect(fits.get('node-a heap used')).toMatchObject({ judged: false, verdict: 'GROWS' });
  });

  it('fails on data growing under flat code', () => {
    const fits = byName(Array.from({ length: 25 }, (_, i) => minute(i + 6, 50 + 0.1 * i, 3)));
    expect(fits.get('node-a heap data')).toMatchObject({ judged: true, verdict: 'GROWS' });
    expect(fits.get('node-a heap code')).toMatchObject({ verdict: 'flat' });
  });

  it('leaves out minutes before the fit and samples without a code reading', () => {
    const samples = [minute(1, 99, 3), ...Array.from({ length: 10 }, (_, i) => minute(i + 6, 50, 3))];
    const gap = minute(20, 80, 3);
    const node = gap.nodes['node-a'];
    if (node) node.codeMb = null;
    const fits = byName([...samples, gap]);
    expect(fits.get('node-a heap data')).toMatchObject({ n: 10, verdict: 'flat' });
    expect(fits.get('node-a heap used')?.n).toBe(11);
  });
});
