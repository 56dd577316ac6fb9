/**
 * The typed `/admin` namespace, a leaf of the socket layer: the slot broadcaster reaches staff
 * through it without importing the admin capability, and `admin.namespace.ts` registers on it.
 */
import type { Namespace } from 'socket.io';
import type {
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  DisplayClientToServerEvents,
  DisplayServerToClientEvents,
} from '@booking/shared';
import { ADMIN_NAMESPACE } from '../infra/channels';
import type { InterServerEvents, IoServer, SocketData } from './socket-types';

export type AdminNamespace = Namespace<
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/**
 * `io.of()` is not generic: it types every namespace with the server's `/` event maps. The admin
 * namespace speaks the admin maps, so it is re-typed here, in one place.
 */
export function adminNamespace(io: IoServer): AdminNamespace {
  return io.of(ADMIN_NAMESPACE) as unknown as AdminNamespace;
}

/** (v3) The room displays' namespace (`displays/display.namespace.ts`). */
export const DISPLAY_NAMESPACE = '/display';

export type DisplayNamespace = Namespace<
  DisplayClientToServerEvents,
  DisplayServerToClientEvents,
  InterServerEvents,
  SocketData
>;

export function displayNamespace(io: IoServer): DisplayNamespace {
  return io.of(DISPLAY_NAMESPACE) as unknown as DisplayNamespace;
}
