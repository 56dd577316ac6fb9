/**
 * A suite's lifecycle written once: `useHarness` starts in-process nodes in `beforeAll` and
 * closes them in `afterAll`; `useSockets` closes every socket a test opened after that test.
 *
 * Both register jest hooks where they are called (at a file's or a `describe`'s top level).
 * jest-circus runs `beforeAll` and `afterAll` hooks of one block in the order they were declared,
 * so a file that starts something the nodes need (a Redis, a mail catcher) declares that first.
 */
import { connectAdmin, connectClient, startHarness } from './harness';
import type { AdminSocket, ClientSocket, Harness } from './harness';

export type HarnessOptions = Parameters<typeof startHarness>[0];

/**
 * A harness filled in by `beforeAll` and closed by `afterAll`. `opts` may be a function, read in
 * `beforeAll`, for options that depend on what an earlier hook started. Reading a field before
 * the nodes are up throws.
 */
export function useHarness(opts: HarnessOptions | (() => HarnessOptions), timeoutMs?: number): Harness {
  let current: Harness | undefined;
  const need = (): Harness => {
    if (!current) throw new Error('useHarness: the nodes are not started yet (read it inside a hook or a test)');
    return current;
  };
  beforeAll(async () => {
    current = await startHarness(typeof opts === 'function' ? opts() : opts);
  }, timeoutMs);
  afterAll(async () => {
    await current?.close();
  }, timeoutMs);
  return {
    get db() {
      return need().db;
    },
    get nodes() {
      return need().nodes;
    },
    get node() {
      return need().node;
    },
    close: () => need().close(),
  };
}

/** Anything with a `close()`: a socket.io client of either namespace, a reconnecting one. */
export interface Closable {
  close(): unknown;
}

export interface SocketTracker {
  /** Keeps `socket` to be closed; answers it. */
  track<S extends Closable>(socket: S): S;
  /** Connects a client (to `namespace`, `/` by default) and tracks it. */
  client(base: string, token: string | undefined, namespace?: string): Promise<ClientSocket>;
  /** Connects to `/admin` and tracks it. */
  admin(base: string, token: string): Promise<AdminSocket>;
  /** Closes every tracked socket now. */
  closeAll(): void;
}

/**
 * Tracks sockets and closes them after each test (`'each'`, the default), or once after the
 * suite (`'all'`, for sockets a `beforeAll` opens for every test).
 */
export function useSockets(when: 'each' | 'all' = 'each'): SocketTracker {
  const open: Closable[] = [];
  const track = <S extends Closable>(socket: S): S => {
    open.push(socket);
    return socket;
  };
  const closeAll = (): void => {
    while (open.length > 0) open.pop()?.close();
  };
  if (when === 'each') afterEach(closeAll);
  afterAll(closeAll);
  return {
    track,
    closeAll,
    client: async (base, token, namespace) => track(await connectClient(base, token, namespace)),
    admin: async (base, token) => track(await connectAdmin(base, token)),
  };
}
