/** Polls `check` until it returns a truthy value or the deadline passes (then throws with `what`). */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  everyMs = 25,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Polls `check` like `waitFor`, but fails only once `progress()` (a count that grows while the
 * work goes on, e.g. mails received) has not grown for `stallMs`, or after `maxMs` in all. For
 * work whose pace depends on the machine's load (a queue of mails sent one at a time) where what
 * must not happen is that it stops.
 */
export async function waitWhileProgressing<T>(
  what: string,
  check: () => T | Promise<T>,
  progress: () => number | Promise<number>,
  opts: { stallMs: number; maxMs: number; everyMs?: number },
): Promise<NonNullable<T>> {
  const end = Date.now() + opts.maxMs;
  let seen = await progress();
  let movedAt = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    const now = await progress();
    if (now !== seen) {
      seen = now;
      movedAt = Date.now();
    }
    if (Date.now() - movedAt > opts.stallMs || Date.now() > end) {
      const why = Date.now() > end ? `${opts.maxMs} ms in all` : `no progress for ${opts.stallMs} ms`;
      throw new Error(`gave up after ${why} waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 200));
  }
}

/** The promise's value, or null when it takes longer than `ms` (the timer is cleared either way). */
export async function within<T>(ms: number, p: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}
