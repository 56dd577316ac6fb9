import { applySlotChanged, createAvailabilitySync, retryBusy } from '@booking/client';
import type { Ack, Availability, SlotChanged } from '@booking/shared';
import type { AvailabilityWindow } from '@booking/client';

const window: AvailabilityWindow = {
  resourceId: 'r1',
  from: '2030-01-01T00:00:00.000Z',
  to: '2030-01-02T00:00:00.000Z',
};

function availability(version: number, busy: Availability['busy'] = []): Availability {
  return { ...window, timeZone: 'UTC', busy, open: [{ start: window.from, end: window.to }], version };
}

function event(version: number, over: Partial<SlotChanged> = {}): SlotChanged {
  return {
    resourceId: 'r1',
    bookingId: `b${version}`,
    change: 'booked',
    start: '2030-01-01T10:00:00.000Z',
    end: '2030-01-01T11:00:00.000Z',
    version,
    at: '2029-12-31T00:00:00.000Z',
    ...over,
  };
}

/** A fake server: answers reads from `state`, counting them; a read can be held open. */
function fakeServer(initial: Availability) {
  let state = initial;
  let reads = 0;
  let hold: Promise<void> | undefined;
  return {
    set(next: Availability) {
      state = next;
    },
    holdNext(): () => void {
      let release = () => {};
      hold = new Promise<void>((r) => {
        release = r;
      });
      return release;
    },
    get reads() {
      return reads;
    },
    fetch: async (): Promise<Ack<Availability>> => {
      reads += 1;
      const snapshot = state;
      if (hold) {
        const h = hold;
        hold = undefined;
        await h;
      }
      return { ok: true, data: snapshot };
    },
  };
}

describe('applySlotChanged', () => {
  it('adds, moves and removes busy intervals and takes the version', () => {
    let view = applySlotChanged(availability(1), event(2));
    expect(view.busy).toEqual([
      { bookingId: 'b2', start: '2030-01-01T10:00:00.000Z', end: '2030-01-01T11:00:00.000Z' },
    ]);
    expect(view.version).toBe(2);
    view = applySlotChanged(
      view,
      event(3, {
        bookingId: 'b2',
        change: 'moved',
        start: '2030-01-01T12:00:00.000Z',
        end: '2030-01-01T13:00:00.000Z',
      }),
    );
    expect(view.busy.map((b) => b.start)).toEqual(['2030-01-01T12:00:00.000Z']);
    view = applySlotChanged(
      view,
      event(4, {
        bookingId: 'b2',
        change: 'moved',
        start: '2030-01-05T12:00:00.000Z',
        end: '2030-01-05T13:00:00.000Z',
      }),
    );
    expect(view.busy).toEqual([]); // moved out of the window
    view = applySlotChanged(applySlotChanged(view, event(5)), event(6, { bookingId: 'b5', change: 'released' }));
    expect(view).toEqual(availability(6));
  });
});

describe('createAvailabilitySync', () => {
  it('applies the next version locally, ignores stale ones and re-reads on a gap', async () => {
    const server = fakeServer(availability(1));
    const seen: Availability[] = [];
    const sync = createAvailabilitySync({ fetch: server.fetch, onChange: (a) => seen.push(a) });
    await sync.watch(window);
    expect(server.reads).toBe(1);
    expect(sync.handleSlotChanged(event(2))).toBe('applied');
    expect(sync.current('r1')?.busy).toHaveLength(1);
    expect(sync.handleSlotChanged(event(2))).toBe('ignored');
    expect(sync.handleSlotChanged(event(1))).toBe('ignored');
    expect(sync.handleSlotChanged(event(3, { resourceId: 'other' }))).toBe('ignored');
    expect(server.reads).toBe(1);

    // Versions 3 and 4 were lost; 5 reveals the gap and the truth comes from a re-read.
    server.set(
      availability(5, [{ bookingId: 'x', start: '2030-01-01T01:00:00.000Z', end: '2030-01-01T02:00:00.000Z' }]),
    );
    expect(sync.handleSlotChanged(event(5))).toBe('resync');
    await new Promise((r) => setTimeout(r, 0));
    expect(server.reads).toBe(2);
    expect(sync.current('r1')?.version).toBe(5);
    expect(sync.current('r1')?.busy.map((b) => b.bookingId)).toEqual(['x']);
    expect(seen.at(-1)?.version).toBe(5);
  });

  it('replays events that arrive during a read on top of its answer', async () => {
    const server = fakeServer(availability(3));
    const sync = createAvailabilitySync({ fetch: server.fetch, onChange: () => {} });
    const release = server.holdNext();
    const reading = sync.watch(window);
    expect(sync.handleSlotChanged(event(3))).toBe('buffered'); // already in the answer
    expect(sync.handleSlotChanged(event(4))).toBe('buffered'); // newer than the answer
    release();
    await reading;
    expect(sync.current('r1')?.version).toBe(4);
    expect(sync.current('r1')?.busy.map((b) => b.bookingId)).toEqual(['b4']);
    expect(server.reads).toBe(1);
  });

  it('re-reads every watched resource on reconnect and on refresh', async () => {
    const server = fakeServer(availability(1));
    const sync = createAvailabilitySync({ fetch: server.fetch, onChange: () => {} });
    await sync.watch(window);
    await sync.watch({ ...window, resourceId: 'r2' });
    await sync.resyncAll();
    expect(server.reads).toBe(4);
    await sync.refresh('r1');
    expect(server.reads).toBe(5);
    sync.unwatch('r2');
    await sync.resyncAll();
    expect(server.reads).toBe(6);
  });

  it('reports a failed read', async () => {
    const errors: string[] = [];
    const sync = createAvailabilitySync({
      fetch: async () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'gone' } }),
      onChange: () => {},
      onError: (e) => errors.push(e.code),
    });
    await sync.watch(window);
    expect(errors).toEqual(['NOT_FOUND']);
    expect(sync.current('r1')).toBeUndefined();
  });
});

describe('retryBusy', () => {
  it('retries BUSY with doubling delays and stops at the first other answer', async () => {
    const delays: number[] = [];
    const answers: Array<Ack<number>> = [
      { ok: false, error: { code: 'BUSY', message: 'busy' } },
      { ok: false, error: { code: 'BUSY', message: 'busy' } },
      { ok: true, data: 7 },
    ];
    let calls = 0;
    const result = await retryBusy(async () => answers[calls++] ?? { ok: true, data: -1 }, {
      baseDelayMs: 10,
      random: () => 0.5, // the middle of the jitter: exactly the doubling delay
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect(result).toEqual({ ok: true, data: 7 });
    expect(delays).toEqual([10, 20]);
  });

  it('gives up after the attempts and does not retry other errors', async () => {
    let calls = 0;
    const busy = await retryBusy<number>(
      async () => {
        calls += 1;
        return { ok: false, error: { code: 'BUSY', message: 'busy' } };
      },
      { attempts: 3, sleep: async () => {} },
    );
    expect(busy.ok).toBe(false);
    expect(calls).toBe(3);
    calls = 0;
    await retryBusy<number>(
      async () => {
        calls += 1;
        return { ok: false, error: { code: 'SLOT_TAKEN', message: 'taken' } };
      },
      { sleep: async () => {} },
    );
    expect(calls).toBe(1);
  });
});
