/**
 * The after-commit effect list both roots run for a booking change (`booking-effects.ts`): the
 * cache, with the relay and the feeds alongside it, then the broadcast once all three are done.
 */
import pino from 'pino';
import { bookingEffectList } from '../src/booking-effects';
import { afterCommit } from '../src/booking/booking.effects';
import type { CommittedChange } from '../src/booking/booking.effects';

const flush = () => new Promise((r) => setImmediate(r));

describe('booking change effects', () => {
  it('writes the cache with the relay and the feeds in one step, then broadcasts', async () => {
    const log: string[] = [];
    const open: Array<() => void> = [];
    const held = (name: string) => () =>
      new Promise<void>((resolve) => {
        log.push(`${name}:start`);
        open.push(() => {
          log.push(`${name}:end`);
          resolve();
        });
      });
    const list = bookingEffectList({
      availability: { apply: held('cache') },
      relay: { name: 'relay wake', run: held('relay') },
      feeds: { bookingChanged: held('feeds') },
      broadcast: () => void log.push('broadcast'),
    });
    expect(list.map((e) => `${e.name}${e.alongside ? ' (alongside)' : ''}`)).toEqual([
      'cache',
      'relay wake (alongside)',
      'calendar feeds (alongside)',
      'broadcast',
    ]);

    const change: CommittedChange = {
      resourceId: 'r1',
      bookingId: 'b1',
      userId: 'u1',
      change: 'booked',
      start: new Date('2026-01-05T09:00:00Z'),
      end: new Date('2026-01-05T10:00:00Z'),
      version: 1,
      zone: 'UTC',
      status: 'active',
      quantity: 1,
    };
    const done = afterCommit(list, pino({ level: 'silent' }))([change]);
    await flush();
    expect(log).toEqual(['cache:start', 'relay:start', 'feeds:start']);
    for (const finish of open.splice(0, 2)) finish();
    await flush();
    expect(log).not.toContain('broadcast');
    for (const finish of open.splice(0)) finish();
    await done;
    expect(log.slice(-1)).toEqual(['broadcast']);
  });
});
