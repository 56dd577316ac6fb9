/**
 * Commands received and not yet answered on this node, in all and per client connection (one
 * connection may carry several namespaces, and a goodbye closes all of them); a stopping node
 * waits for them. Once `stopping` is set, a connection is told goodbye as soon as it has no
 * command in flight, and a new command on a connection still waiting for an answer is answered
 * BUSY at once (safe to retry: the client does so on the node it reconnects to), so the commands
 * in flight only run out.
 */
export interface InFlight {
  count: number;
  stopping: boolean;
  /** Keyed by the connection (Socket.IO's `socket.client`, shared by its namespaces). */
  byConnection: Map<object, number>;
}

export function createInFlight(): InFlight {
  return { count: 0, stopping: false, byConnection: new Map() };
}
