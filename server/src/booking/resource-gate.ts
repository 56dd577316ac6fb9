/**
 * A node's queue per resource in front of the resource's lock: this node's commands for one
 * resource take their turn in arrival order, so at most one of them at a time asks Redis for the
 * lock. Without it every waiter polls Redis every few tens of milliseconds and the lock sits free
 * between a release and the next lucky poll; with it the next command of this node goes the
 * moment the one before it is done, and only the fronts of the nodes' queues contend in Redis.
 * Like the lock it is a hint for contention: the fence in the transaction is the guarantee.
 */

export interface GateTurn {
  /** Gives the turn to the next command; call once, when the command is done. */
  leave(): void;
  /** Whether another command of this node was ahead (a contended resource). */
  waited: boolean;
}

export interface ResourceGate {
  /** Waits for the turn at `resourceId` until `deadline` (epoch ms); null when the deadline came first. */
  enter(resourceId: string, deadline: number): Promise<GateTurn | null>;
}

export function createResourceGate(): ResourceGate {
  /** Per resource, the promise that settles when the last command in its queue leaves. */
  const tails = new Map<string, Promise<void>>();
  return {
    async enter(resourceId, deadline) {
      const ahead = tails.get(resourceId);
      let open: () => void = () => undefined;
      const mine = new Promise<void>((resolve) => {
        open = resolve;
      });
      // A command that gives up early opens `mine` at once; the one behind it still waits for `ahead`.
      const tail = ahead ? ahead.then(() => mine) : mine;
      tails.set(resourceId, tail);
      const forget = () => {
        if (tails.get(resourceId) === tail) tails.delete(resourceId);
      };
      // Having had the turn, everything ahead is done: with nobody behind, the queue is empty now.
      const leave = () => {
        open();
        forget();
      };
      if (!ahead) return { leave, waited: false };
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
      });
      const turn = await Promise.race([ahead.then(() => true as const), expired]);
      clearTimeout(timer);
      if (!turn) {
        // Those ahead may still run: the queue is forgotten only once they are done.
        open();
        void tail.then(forget);
        return null;
      }
      return { leave, waited: true };
    },
  };
}
