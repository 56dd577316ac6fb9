import pino from 'pino';
import { effectRunner } from '../src/infra/effects';
import type { Effect } from '../src/infra/effects';

/** An effect whose runs are held open until the test lets each finish; it records starts and ends. */
function held(name: string, log: string[], alongside = false): Effect<number> & { finish(n?: number): void } {
  const open = new Map<number, () => void>();
  return {
    name,
    ...(alongside ? { alongside: true } : {}),
    finish: (n = 1) => open.get(n)?.(),
    run: (n) =>
      new Promise<void>((resolve) => {
        log.push(`${name}:start:${n}`);
        open.set(n, () => {
          log.push(`${name}:end:${n}`);
          resolve();
        });
      }),
  };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('after-commit effect runner', () => {
  const logger = pino({ level: 'silent' });

  it('runs effects in order, an alongside one together with the one before it, the next after both', async () => {
    const log: string[] = [];
    const cache = held('cache', log);
    const wake = held('wake', log, true);
    const broadcast = held('broadcast', log);
    const done = effectRunner([cache, wake, broadcast], logger)([1]);
    await flush();
    expect(log).toEqual(['cache:start:1', 'wake:start:1']);
    cache.finish();
    await flush();
    expect(log).toEqual(['cache:start:1', 'wake:start:1', 'cache:end:1']);
    wake.finish();
    await flush();
    expect(log.slice(3)).toEqual(['wake:end:1', 'broadcast:start:1']);
    broadcast.finish();
    await done;
  });

  it('goes on after a failing effect, alongside or not, and never throws', async () => {
    const ran: string[] = [];
    const boom = (name: string, alongside = false): Effect<number> => ({
      name,
      ...(alongside ? { alongside: true } : {}),
      run: () => {
        ran.push(name);
        throw new Error(name);
      },
    });
    const ok = (name: string): Effect<number> => ({ name, run: () => void ran.push(name) });
    await expect(
      effectRunner([boom('a'), boom('b', true), ok('c'), boom('d')], logger)([1, 2]),
    ).resolves.toBeUndefined();
    expect(ran).toEqual(['a', 'b', 'a', 'b', 'c', 'c', 'd', 'd']);
  });

  it('runs each step for every change, in the changes’ order, before the next step starts', async () => {
    const log: string[] = [];
    const cache = held('cache', log);
    const broadcast: Effect<number> = { name: 'broadcast', run: (n) => void log.push(`broadcast:${n}`) };
    const done = effectRunner([cache, broadcast], logger)([1, 2]);
    await flush();
    // Both changes' cache writes are in flight; the broadcast waits for both.
    expect(log).toEqual(['cache:start:1', 'cache:start:2']);
    cache.finish(2);
    await flush();
    expect(log).toEqual(['cache:start:1', 'cache:start:2', 'cache:end:2']);
    cache.finish(1);
    await done;
    expect(log.slice(3)).toEqual(['cache:end:1', 'broadcast:1', 'broadcast:2']);
  });
});

describe('transaction error classification', () => {
  it('answers BUSY only for the driver’s own misfire in withTransaction, not for a TypeError of ours', async () => {
    const { isCommitMisfire } = await import('../src/infra/transactions');
    const misfire = new TypeError('commitError.hasErrorLabel is not a function');
    misfire.stack =
      'TypeError: commitError.hasErrorLabel is not a function\n' +
      '    at ClientSession.withTransaction (node_modules/mongodb/src/sessions.ts:815:27)';
    expect(isCommitMisfire(misfire)).toBe(true);
    const ours = new TypeError("Cannot read properties of undefined (reading 'id')");
    expect(isCommitMisfire(ours)).toBe(false);
    const elsewhere = new TypeError('x.hasErrorLabel is not a function');
    elsewhere.stack =
      'TypeError: x.hasErrorLabel is not a function\n    at somewhere (server/src/booking/booking.service.ts:1:1)';
    expect(isCommitMisfire(elsewhere)).toBe(false);
  });
});
