import pino from 'pino';
import { effectRunner } from '../src/infra/effects';
import type { Effect } from '../src/infra/effects';

/** An effect whose run is held open until the test lets it finish; it records start and end. */
function held(name: string, log: string[], alongside = false): Effect<number> & { finish(): void } {
  let finish: () => void = () => undefined;
  return {
    name,
    ...(alongside ? { alongside: true } : {}),
    finish: () => finish(),
    run: (n) =>
      new Promise<void>((resolve) => {
        log.push(`${name}:start:${n}`);
        finish = () => {
          log.push(`${name}:end:${n}`);
          resolve();
        };
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
    await expect(effectRunner([boom('a'), boom('b', true), ok('c'), boom('d')], logger)([1, 2])).resolves.toBeUndefined();
    expect(ran).toEqual(['a', 'b', 'c', 'd', 'a', 'b', 'c', 'd']);
  });
});
