/** (v3) The HTTP booking API's parts, from the node's services and commands (one call in `app.ts`). */
import type { NodeBase, NodeCommands, NodeServices } from '../../node/node-services';
import type { BookingRestDeps } from './booking.routes';
import { createFirstAnswerClaim } from './idempotency';

export function restDeps(base: NodeBase, services: NodeServices, commands: NodeCommands): BookingRestDeps {
  const { stores, data } = services;
  return {
    access: services.apiAccess,
    userBookings: commands.userBookings,
    bookings: commands.bookings,
    availability: services.availability,
    gate: services.access,
    bookingModel: stores.collections.Booking,
    bookingStore: data.bookings,
    users: data.users,
    history: data.history,
    firstAnswer: createFirstAnswerClaim({ redis: stores.redis.cmd, prefix: stores.names.prefix, logger: base.logger }),
    clock: base.clock,
  };
}
