/**
 * The client library as one entry point: what `@booking/client` publishes. Socket commands with
 * their timeout and BUSY retry, version-aware availability, session renewal, the HTTP calls, the
 * sentences for error codes, and the wire types and event maps they are typed by. The contract
 * itself (schemas, event maps, error codes, wire types) lives in `@booking/shared`; the client
 * re-exports the part its callers need. `@booking/client/zod-jitless` is the one other entry: a
 * browser page imports it first (see zod-jitless.ts).
 */
export * from './act';
export * from './command';
export * from './http';
export * from './messages';
export * from './occupancy';
export * from './reconnect';
export * from './resync';
export * from './session';
export * from './slot-versions';
export { ErrorCode } from '@booking/shared';
export type {
  Ack,
  Actor,
  AdminBooking,
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  AuthResult,
  Availability,
  Booking,
  BookingEvent,
  BookingStatus,
  BusyInterval,
  CancelReason,
  ClientToServerEvents,
  DashboardSnapshotData,
  DataOf,
  ErrorBody,
  FailedJob,
  FoundSlot,
  NodeInfo,
  Notification,
  NotificationAction,
  NotificationType,
  PayloadOf,
  QueueCounts,
  Resource,
  Role,
  SeriesResult,
  ServerToClientEvents,
  SkippedOccurrence,
  SlotChange,
  SlotChanged,
  Stats,
  Stretch,
  User,
} from '@booking/shared';
