/**
 * Effects that run after something committed, declared by the composition root as one ordered
 * list. Each runs in turn; a failure is logged with the effect's name and the next one runs, so
 * an effect never undoes a commit or fails the command that made it.
 *
 * An effect marked `alongside` starts together with the one before it instead of after it: the
 * effects that need no order between them (the cache write, the relay wake, the feeds' counters)
 * go out in one Redis round trip (the command connection pipelines what one tick sends).
 */
import type { Logger } from './logger';

export interface Effect<C> {
  name: string;
  run(change: C): Promise<void> | void;
  /** Starts with the effect before it (not after it); the next effect waits for both. */
  alongside?: boolean;
}

/** Consecutive effects grouped: each group starts after the previous one has finished. */
function steps<C>(effects: ReadonlyArray<Effect<C>>): Array<Array<Effect<C>>> {
  const out: Array<Array<Effect<C>>> = [];
  for (const effect of effects) {
    const last = out[out.length - 1];
    if (effect.alongside && last) last.push(effect);
    else out.push([effect]);
  }
  return out;
}

/**
 * Runs every effect for every change: the effects in order (an `alongside` one with the one
 * before it), each step for all the changes (started in their order) before the next step. Never
 * throws.
 */
export function effectRunner<C>(
  effects: ReadonlyArray<Effect<C>>,
  logger: Logger,
): (changes: readonly C[]) => Promise<void> {
  const grouped = steps(effects);
  const guarded = async (effect: Effect<C>, change: C): Promise<void> => {
    try {
      await effect.run(change);
    } catch (err) {
      logger.warn({ err, effect: effect.name }, 'after-commit effect failed');
    }
  };
  // Step by step over all the changes (a series commits up to 100 at once): every change's cache
  // write goes out in one pipelined round trip, then every broadcast, in the changes' order.
  return async (changes) => {
    for (const step of grouped) {
      await Promise.all(changes.flatMap((change) => step.map((effect) => guarded(effect, change))));
    }
  };
}
