/**
 * The node's queue per resource in front of the lock: one command at a time per resource, in
 * arrival order; another resource never waits; a command whose deadline passes gives up its place
 * without letting the one behind it overtake the one ahead; and in the guards, a command stuck
 * past the lock's lease (MongoDB failing over) stops holding up the queue.
 */
import { createBookingGuards } from '../src/booking/booking.guards';
import { createResourceGate } from '../src/booking/resource-gate';

test('one at a time per resource, in arrival order; other resources do not wait', async () => {
  const gate = createResourceGate();
  const far = Date.now() + 60_000;
  const first = await gate.enter('r1', far);
  expect(first).toMatchObject({ waited: false });
  const order: string[] = [];
  const second = gate.enter('r1', far).then((t) => {
    order.push('second');
    return t;
  });
  const third = gate.enter('r1', far).then((t) => {
    order.push('third');
    return t;
  });
  const other = await gate.enter('r2', far);
  expect(other).toMatchObject({ waited: false });
  await Promise.resolve();
  expect(order).toEqual([]);
  first?.leave();
  const t2 = await second;
  expect(t2).toMatchObject({ waited: true });
  expect(order).toEqual(['second']);
  t2?.leave();
  (await third)?.leave();
  expect(order).toEqual(['second', 'third']);
  other?.leave();
  // All gone: the next command does not wait.
  expect(await gate.enter('r1', far)).toMatchObject({ waited: false });
});

test('a command past its deadline gives up its place; the one behind still waits for the one ahead', async () => {
  const gate = createResourceGate();
  const holder = await gate.enter('r', Date.now() + 60_000);
  const hurried = await gate.enter('r', Date.now() + 20);
  expect(hurried).toBeNull();
  let behindIn = false;
  const behind = gate.enter('r', Date.now() + 60_000).then((t) => {
    behindIn = true;
    return t;
  });
  await new Promise((r) => setImmediate(r));
  expect(behindIn).toBe(false);
  holder?.leave();
  expect(await behind).toMatchObject({ waited: true });
});

describe('the guards: a command stuck past the lock lease stops holding up its node queue', () => {
  // Only the lock and its counters are used by withResourceLock; the rest is never read here.
  const deps = (holder: { acquired: boolean }) =>
    ({
      lock: {
        async tryAcquire() {
          // A Redlock whose lease ran out: the next attempt gets it.
          holder.acquired = true;
          return { acquired: true as const, release: async () => undefined };
        },
      },
      locks: { waits: 0 },
    }) as unknown as Parameters<typeof createBookingGuards>[0];

  it('lets the next command of the same resource through after the hold time, while the first still runs', async () => {
    const guards = createBookingGuards(deps({ acquired: false }), 50);
    let unstick: () => void = () => undefined;
    const stuck = guards.withResourceLock({
      resourceId: 'r',
      run: () =>
        new Promise<string>((resolve) => {
          unstick = () => resolve('first');
        }),
    });
    // Without the hold limit the second would wait behind the first until its 3 s deadline: BUSY.
    await expect(guards.withResourceLock({ resourceId: 'r', run: async () => 'second' })).resolves.toBe('second');
    unstick();
    await expect(stuck).resolves.toBe('first');
  });
});
