/** Connections one user may hold on one node, across namespaces (docs/protocol.md). */
export const CONNECTIONS_PER_USER = 20;

/**
 * This node's connections by user, for the per-user connection cap. The handshake refuses the
 * one over the cap; `attachSession` counts again once connected (two handshakes can pass the
 * first check together) and drops the extra one.
 */
export interface ConnectionTracker {
  full(userId: string): boolean;
  add(userId: string, socketId: string): boolean;
  remove(userId: string, socketId: string): void;
}

export function createConnectionTracker(perUser: number = CONNECTIONS_PER_USER): ConnectionTracker {
  const byUser = new Map<string, Set<string>>();
  return {
    full: (userId) => (byUser.get(userId)?.size ?? 0) >= perUser,
    add(userId, socketId) {
      const set = byUser.get(userId) ?? new Set<string>();
      if (set.size >= perUser) return false;
      set.add(socketId);
      byUser.set(userId, set);
      return true;
    },
    remove(userId, socketId) {
      const set = byUser.get(userId);
      if (!set) return;
      set.delete(socketId);
      if (set.size === 0) byUser.delete(userId);
    },
  };
}
