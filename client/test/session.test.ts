/** The clients' silent token refresh (client/src/session.ts), on a fake socket and fake timers. */
import type { AuthResult } from '@booking/shared';
import { keepSessionFresh, renewDelay, tokenExpiry } from '../src/session';

const jwt = (exp: number) => `h.${Buffer.from(JSON.stringify({ sub: 'u1', exp })).toString('base64url')}.s`;
const user = { id: 'u1', name: 'U', email: 'u@example.com', role: 'user' as const };

function fakeSocket(answer: () => unknown) {
  const listeners: Array<(reason: string) => void> = [];
  const sent: string[] = [];
  return {
    auth: {} as unknown,
    connected: true,
    sent,
    on(_event: 'disconnect', l: (reason: string) => void) {
      listeners.push(l);
    },
    disconnect(reason: string) {
      for (const l of listeners) l(reason);
    },
    timeout: () => ({
      emitWithAck: async (event: never) => {
        sent.push(event);
        return answer();
      },
    }),
  };
}

beforeEach(() => jest.useFakeTimers({ now: 1_000_000_000_000 }));
afterEach(() => jest.useRealTimers());

describe('token refresh', () => {
  it('reads a token’s expiry and renews five minutes before it (80% of a short remainder)', () => {
    expect(tokenExpiry(jwt(1_000_003_600))).toBe(1_000_003_600_000);
    expect(tokenExpiry('garbage')).toBeNull();
    expect(renewDelay(Date.now() + 3_600_000, Date.now())).toBe(55 * 60_000);
    expect(renewDelay(Date.now() + 60_000, Date.now())).toBe(48_000);
  });

  it('sends session:refresh before expiry, keeps the new token for reconnects and hands it on, again and again', async () => {
    let n = 0;
    const tokens = [jwt(1_000_007_200), jwt(1_000_010_800)];
    const socket = fakeSocket(() => ({ ok: true, data: { token: tokens[n++], user } }));
    const got: AuthResult[] = [];
    keepSessionFresh({ socket, token: jwt(1_000_003_600), onToken: (a) => got.push(a) });
    await jest.advanceTimersByTimeAsync(54 * 60_000);
    expect(socket.sent).toEqual([]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(socket.sent).toEqual(['session:refresh']);
    expect(socket.auth).toEqual({ token: tokens[0] });
    expect(got.map((a) => a.token)).toEqual([tokens[0]]);
    await jest.advanceTimersByTimeAsync(60 * 60_000);
    expect(got.map((a) => a.token)).toEqual(tokens);
  });

  it('retries a failed refresh, and stops when the client closes the socket', async () => {
    let ok = false;
    const socket = fakeSocket(() =>
      ok
        ? { ok: true, data: { token: jwt(1_000_007_200), user } }
        : { ok: false, error: { code: 'INTERNAL', message: 'x' } },
    );
    const got: string[] = [];
    keepSessionFresh({ socket, token: jwt(1_000_003_600), onToken: (a) => got.push(a.token) });
    await jest.advanceTimersByTimeAsync(55 * 60_000);
    expect(socket.sent).toHaveLength(1);
    ok = true;
    await jest.advanceTimersByTimeAsync(30_000);
    expect(got).toHaveLength(1);
    socket.disconnect('io client disconnect');
    await jest.advanceTimersByTimeAsync(3 * 3_600_000);
    expect(socket.sent).toHaveLength(2);
  });
});
