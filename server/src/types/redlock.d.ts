/** The slice of redlock 4's API this project uses (the package ships no types of its own). */
declare module 'redlock' {
  interface RedlockOptions {
    driftFactor?: number;
    retryCount?: number;
    retryDelay?: number;
    retryJitter?: number;
  }
  class Lock {
    readonly resource: string;
    readonly value: string;
    readonly expiration: number;
    unlock(): Promise<void>;
    extend(ttl: number): Promise<Lock>;
  }
  class LockError extends Error {}
  class Redlock {
    constructor(clients: ReadonlyArray<object>, options?: RedlockOptions);
    lock(resource: string | string[], ttl: number): Promise<Lock>;
    on(event: 'clientError', listener: (err: Error) => void): this;
    static LockError: typeof LockError;
    static Lock: typeof Lock;
  }
  export = Redlock;
}
