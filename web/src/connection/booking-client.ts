/** The typed Socket.IO connection of the page and one promise-returning function per command. */
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { ErrorCode, retryBusy } from '@booking/shared';
import type {
  Ack,
  Availability,
  AvailabilityWindow,
  Booking,
  ClientToServerEvents,
  Resource,
  ServerToClientEvents,
} from '@booking/shared';

export type BookingSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 10_000;

/** Same origin as the page; websocket only, so no sticky sessions are needed behind a gateway. */
export function connectSocket(token: string): BookingSocket {
  return io({ auth: { token }, transports: ['websocket'] });
}

/** Sends through `emit` and resolves with the ack, or with an error when none comes in time. */
function ask<T>(emit: (ack: (res: Ack<T>) => void) => void): Promise<Ack<T>> {
  return new Promise((resolve) => {
    const timer = window.setTimeout(
      () =>
        resolve({
          ok: false,
          error: { code: ErrorCode.INTERNAL, message: 'The server did not answer in time. Check your connection and try again.' },
        }),
      ACK_TIMEOUT_MS,
    );
    emit((res) => {
      window.clearTimeout(timer);
      resolve(res);
    });
  });
}

export interface BookingClient {
  listResources(): Promise<Ack<{ resources: Resource[] }>>;
  availability(window: AvailabilityWindow): Promise<Ack<Availability>>;
  create(input: { resourceId: string; start: string; end: string; idempotencyKey: string }): Promise<Ack<{ booking: Booking }>>;
  cancel(bookingId: string): Promise<Ack<{ booking: Booking }>>;
  modify(input: { bookingId: string; start: string; end: string }): Promise<Ack<{ booking: Booking }>>;
  mine(): Promise<Ack<{ bookings: Booking[] }>>;
}

/** Every command retries `BUSY` (the protocol says it is safe) before reporting it. */
export function bookingClient(socket: BookingSocket): BookingClient {
  return {
    listResources: () => retryBusy(() => ask((ack) => socket.emit('resources:list', {}, ack))),
    availability: (w) => ask((ack) => socket.emit('availability:get', w, ack)),
    create: (input) => retryBusy(() => ask((ack) => socket.emit('booking:create', input, ack))),
    cancel: (bookingId) => retryBusy(() => ask((ack) => socket.emit('booking:cancel', { bookingId }, ack))),
    modify: (input) => retryBusy(() => ask((ack) => socket.emit('booking:modify', input, ack))),
    mine: () => retryBusy(() => ask((ack) => socket.emit('bookings:mine', {}, ack))),
  };
}
