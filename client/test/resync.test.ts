import { applySlotChanged, createAvailabilitySync, retryBusy } from '@booking/client';
import type { Ack, Availability, SlotChanged } from '@booking/shared';
import type { AvailabilityWindow } from '@booking/client';

const window: AvailabilityWindow = {
  resourceId: 'r1',
  from: '2030-01-01T00:00:00.000Z',
  to: '2030-01-02T00:00:00.000Z',
};

function availability(version: number, busy: Availability['busy'] = []): Availability {
  const occupancy = busy.map((b) => ({ start: b.start, end: b.end, used: b.quantity }));
  return {
    ...window,
    timeZone: 'UTC',
    busy,
    open: [{ start: window.from, end: window.to }],
    version,
    capacity: 1,
    bufferMinutes: 0,
    occupancy,
  };
}

/** An event a view must be able to follow. */
function must(view: Availability | null): Availability {
  if (!view) throw new Error('the view asked for a re-read');
  return view;
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
    quantity: 1,
    status: 'active',
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
    let view = must(applySlotChanged(availability(1), event(2)));
    const b2 = { bookingId: 'b2', start: '2030-01-01T10:00:00.000Z', end: '2030-01-01T11:00:00.000Z' };
    expect(view.busy).toEqual([{ ...b2, quantity: 1, status: 'active' }]);
    expect(view.occupancy).toEqual([{ start: b2.start, end: b2.end, used: 1 }]);
    expect(view.version).toBe(2);
    view = must(
      applySlotChanged(
        view,
        event(3, {
          bookingId: 'b2',
          change: 'moved',
          start: '2030-01-01T12:00:00.000Z',
          end: '2030-01-01T13:00:00.000Z',
        }),
      ),
    );
    expect(view.busy.map((b) => b.start)).toEqual(['2030-01-01T12:00:00.000Z']);
    expect(view.occupancy.map((s) => s.start)).toEqual(['2030-01-01T12:00:00.000Z']);
    view = must(
      applySlotChanged(
        view,
        event(4, {
          bookingId: 'b2',
          change: 'moved',
          start: '2030-01-05T12:00:00.000Z',
          end: '2030-01-05T13:00:00.000Z',
        }),
      ),
    );
    expect(view.busy).toEqual([]); // moved out of the window
    expect(view.occupancy).toEqual([]);
    view = must(
      applySlotChanged(must(applySlotChanged(view, event(5))), event(6, { bookingId: 'b5', change: 'released' })),
    );
    expect(view).toEqual(availability(6));
  });

  const at = (h: number, m = 0) => new Date(Date.UTC(2030, 0, 1, h, m)).toISOString();

  it('keeps the units in use per stretch, with buffers, on a resource of several units', () => {
    let view: Availability = { ...availability(1), capacity: 5, bufferMinutes: 15 };
    view = must(applySlotChanged(view, event(2, { bookingId: 'a', start: at(9), end: at(10), quantity: 2 })));
    view = must(applySlotChanged(view, event(3, { bookingId: 'b', start: at(9, 30), end: at(11), quantity: 3 })));
    expect(view.occupancy).toEqual([
      { start: at(9), end: at(9, 30), used: 2 },
      { start: at(9, 30), end: at(10, 15), used: 5 },
      { start: at(10, 15), end: at(11, 15), used: 3 },
    ]);
    // b shrinks to one unit (a modify with the same times), then a is released.
    const prev = { start: at(9, 30), end: at(11) };
    view = must(
      applySlotChanged(view, event(4, { bookingId: 'b', change: 'moved', ...prev, previous: prev, quantity: 1 })),
    );
    view = must(
      applySlotChanged(view, event(5, { bookingId: 'a', change: 'released', start: at(9), end: at(10), quantity: 2 })),
    );
    expect(view.occupancy).toEqual([{ start: at(9, 30), end: at(11, 15), used: 1 }]);
    expect(view.busy.map((b) => [b.bookingId, b.quantity])).toEqual([['b', 1]]);
  });

  it('asks for a re-read when a booking outside the window whose buffer reaches in is moved', () => {
    // c ends a minute before the window and its 15-minute buffer reaches in; the view does not list c.
    const view: Availability = {
      ...availability(1),
      capacity: 5,
      bufferMinutes: 15,
      occupancy: [{ start: window.from, end: at(0, 14), used: 4 }],
    };
    const previous = { start: '2029-12-31T22:00:00.000Z', end: '2029-12-31T23:59:00.000Z' };
    expect(
      applySlotChanged(view, event(2, { bookingId: 'c', change: 'moved', start: at(5), end: at(6), previous })),
    ).toBeNull();
    // Released, it gives back the units the event names.
    const released = applySlotChanged(view, event(2, { bookingId: 'c', change: 'released', ...previous, quantity: 4 }));
    expect(released?.occupancy).toEqual([]);
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
      availability(5, [
        {
          bookingId: 'x',
          start: '2030-01-01T01:00:00.000Z',
          end: '2030-01-01T02:00:00.000Z',
          quantity: 1,
          status: 'active',
        },
      ]),
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
