/** What `startNode` takes and what it hands back (tests and `main.ts` use both). */
import type { Express } from 'express';
import type { AuthService } from '../auth/auth.service';
import type { AvailabilityService } from '../availability/availability.service';
import type { BookingCommands } from '../booking/booking.effects';
import type { Collections, DataStores } from '../data';
import type { Clock } from '../infra/clock';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { Lifecycle } from '../infra/process';
import type { Stores } from '../infra/stores';
import type { ResourceService } from '../resources/resource.service';
import type { Budget } from '../transport/command-budget';
import type { IoServer } from '../transport/socket-types';
import type { Counters } from './node-metrics';

export interface NodeOptions {
  config: Config;
  logger?: Logger;
  /** Where the parts register their stops (default: a lifecycle of its own, closed by `close()`). */
  lifecycle?: Lifecycle;
  /** Database name when the URL names none. */
  dbName?: string;
  clock?: Clock;
  /** Per-socket command budget (default 50 per second). */
  rateLimit?: Budget;
  /** Per-user command budget across the user's connections (default twice the per-socket one). */
  userRateLimit?: Budget;
  /** Test seam: runs between an availability read of MongoDB and its cache fill. */
  beforeCacheFill?: () => Promise<void>;
}

export interface BookingNode {
  nodeId: string;
  url: string;
  port: number;
  io: IoServer;
  /** The HTTP app, for tests that list its routes (the API documents must cover them all). */
  app: Express;
  logger: Logger;
  stores: Stores<Collections>;
  /** The collections, for tests that inspect what was stored. */
  models: Collections;
  data: DataStores;
  auth: AuthService;
  resources: ResourceService;
  availability: AvailabilityService;
  bookings: BookingCommands;
  counters: Counters;
  startedAt: Date;
  healthy(): Promise<boolean>;
  /** Stops accepting, disconnects sockets, stops the admin parts, closes Redis and MongoDB. */
  close(): Promise<void>;
}
