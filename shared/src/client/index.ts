/**
 * The client library as one entry point: what `@booking/client` publishes. Socket commands with
 * their timeout and BUSY retry, version-aware availability, session renewal, the HTTP calls, the
 * sentences for error codes, and the wire types and event maps they are typed by.
 */
export * from './command';
export * from './http';
export * from './messages';
export * from './reconnect';
export * from './resync';
export * from './session';
export * from './slot-versions';
export { ErrorCode } from '../errors';
export type { Ack, ErrorBody } from '../errors';
export type {
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  ClientToServerEvents,
  DataOf,
  PayloadOf,
  ServerToClientEvents,
} from '../events';
export type * from '../wire';
