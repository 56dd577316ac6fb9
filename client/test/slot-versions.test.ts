import { createSlotVersionTracker, versionStep } from '@booking/client';

describe('versionStep', () => {
  it('applies the next version, ignores seen ones and calls anything further a gap', () => {
    expect(versionStep(4, 5)).toBe('apply');
    expect(versionStep(4, 4)).toBe('ignore');
    expect(versionStep(4, 2)).toBe('ignore');
    expect(versionStep(4, 6)).toBe('gap');
  });
});

describe('createSlotVersionTracker', () => {
  it('tracks each resource on its own, takes a baseline from the first event, and forgets on a gap', () => {
    const t = createSlotVersionTracker();
    expect(t.check({ resourceId: 'a', version: 7 })).toBe('apply'); // baseline
    expect(t.check({ resourceId: 'b', version: 2 })).toBe('apply');
    expect(t.check({ resourceId: 'a', version: 8 })).toBe('apply');
    expect(t.check({ resourceId: 'a', version: 8 })).toBe('ignore');
    expect(t.check({ resourceId: 'b', version: 3 })).toBe('apply');
    expect(t.check({ resourceId: 'a', version: 10 })).toBe('gap');
    // After the gap the caller re-reads; the next event sets the baseline again.
    expect(t.check({ resourceId: 'a', version: 11 })).toBe('apply');
    expect(t.check({ resourceId: 'b', version: 4 })).toBe('apply');
    t.forget();
    expect(t.check({ resourceId: 'b', version: 9 })).toBe('apply');
    expect(t.check({ resourceId: 'b', version: 9 })).toBe('ignore');
  });
});
