/**
 * Effects that run after something committed, declared by the composition root as one ordered
 * list. Each runs in turn; a failure is logged with the effect's name and the next one runs, so
 * an effect never undoes a commit or fails the command that made it.
 */
import type { Logger } from './logger';

export interface Effect<C> {
  name: string;
  run(change: C): Promise<void> | void;
}

/** Runs every effect, in order, for each change. Never throws. */
export function effectRunner<C>(effects: ReadonlyArray<Effect<C>>, logger: Logger): (changes: readonly C[]) => Promise<void> {
  return async (changes) => {
    for (const change of changes) {
      for (const effect of effects) {
        try {
          await effect.run(change);
        } catch (err) {
          logger.warn({ err, effect: effect.name }, 'after-commit effect failed');
        }
      }
    }
  };
}
