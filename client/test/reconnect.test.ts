/** reconnectAfterServerDisconnect on a stand-in socket, with jest's fake timers. */
import { reconnectAfterServerDisconnect } from '../src/reconnect';
import type { ReconnectableSocket } from '../src/reconnect';

function fakeSocket(): ReconnectableSocket & { drop(reason: string): void; connects: number; removeAll(): void } {
  let listeners: Array<(reason: string) => void> = [];
  const s = {
    connected: true,
    connects: 0,
    connect() {
      s.connects += 1;
      s.connected = true;
    },
    on(_event: 'disconnect', l: (reason: string) => void) {
      listeners.push(l);
    },
    off(_event: 'disconnect', l: (reason: string) => void) {
      listeners = listeners.filter((x) => x !== l);
    },
    listeners: () => [...listeners],
    drop(reason: string) {
      s.connected = false;
      for (const l of [...listeners]) l(reason);
    },
    removeAll() {
      listeners = [];
    },
  };
  return s;
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('reconnects after the server said goodbye, within the random wait', () => {
  const s = fakeSocket();
  reconnectAfterServerDisconnect(s, { minDelayMs: 100, maxDelayMs: 300, random: () => 0.5 });
  s.drop('io server disconnect');
  jest.advanceTimersByTime(199);
  expect(s.connects).toBe(0);
  jest.advanceTimersByTime(1);
  expect(s.connects).toBe(1);
  s.drop('io server disconnect');
  jest.advanceTimersByTime(300);
  expect(s.connects).toBe(2);
});

test('leaves every other disconnect to Socket.IO', () => {
  const s = fakeSocket();
  reconnectAfterServerDisconnect(s);
  for (const reason of ['transport close', 'ping timeout', 'io client disconnect', 'transport error']) s.drop(reason);
  jest.advanceTimersByTime(5000);
  expect(s.connects).toBe(0);
});

test('does not reopen a socket its owner stopped or gave up on', () => {
  const stopped = fakeSocket();
  const stop = reconnectAfterServerDisconnect(stopped, { random: () => 0 });
  stopped.drop('io server disconnect');
  stop();
  jest.advanceTimersByTime(5000);
  expect(stopped.connects).toBe(0);

  const abandoned = fakeSocket();
  reconnectAfterServerDisconnect(abandoned, { random: () => 0 });
  abandoned.drop('io server disconnect');
  abandoned.removeAll(); // the page's cleanup: removeAllListeners(), then close()
  jest.advanceTimersByTime(5000);
  expect(abandoned.connects).toBe(0);
});
