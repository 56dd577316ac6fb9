/**
 * Every capability's collections, registered on one connection, and the stores built on them.
 * Both roots (node, notifier) and the seed script open their stores with `registerCollections`,
 * so every process creates the same collections and indexes at start. Each store is the only
 * code that touches its collection; capabilities reach each other's data through these
 * interfaces, never through a model.
 */
import type { Connection } from 'mongoose';
import type { Config } from './infra/config';
import type { Logger } from './infra/logger';
import type { Lifecycle } from './infra/process';
import { openStores } from './infra/stores';
import type { Stores } from './infra/stores';
import { registerUserModel } from './auth/user.model';
import { createUserStore } from './auth/user.store';
import type { UserStore } from './auth/user.store';
import { registerCalendarFeedModel } from './calendar/calendar-feed.model';
import { createCalendarFeedStore } from './calendar/calendar-feed.store';
import type { CalendarFeedStore } from './calendar/calendar-feed.store';
import { registerBookingEventModel } from './booking/booking-history.model';
import { createBookingHistoryStore } from './booking/booking-history.store';
import type { BookingHistoryStore } from './booking/booking-history.store';
import { registerBookingModel } from './booking/booking.model';
import { createBookingStore } from './booking/booking.store';
import type { BookingStore } from './booking/booking.store';
import { registerSeriesModel } from './booking/series.model';
import { createSeriesStore } from './booking/series.store';
import type { SeriesStore } from './booking/series.store';
import { registerOutboxModel } from './notifications/outbox.model';
import { registerGroupModel } from './auth/group.model';
import { createGroupStore } from './auth/group.store';
import type { GroupStore } from './auth/group.store';
import { createOutboxStore } from './notifications/outbox.store';
import type { OutboxStore } from './notifications/outbox.store';
import { registerSentNotificationModel } from './notifications/sent-notification.model';
import { createSentNotificationStore } from './notifications/sent-notification.store';
import type { SentNotificationStore } from './notifications/sent-notification.store';
import { registerResourceModel } from './resources/resource.model';
import { createResourceStore } from './resources/resource.store';
import type { ResourceStore } from './resources/resource.store';
import { registerWaitlistModel } from './waitlist/waitlist.model';
import { registerApiKeyModel } from './integrations/api-keys/api-key.model';
import { registerDisplayModel } from './displays/display.model';
import { registerWebhookModels } from './integrations/webhooks/webhook.model';
import { createWaitlistStore } from './waitlist/waitlist.store';
import type { WaitlistStore } from './waitlist/waitlist.store';

export function registerCollections(conn: Connection) {
  return {
    User: registerUserModel(conn),
    Group: registerGroupModel(conn),
    Resource: registerResourceModel(conn),
    Booking: registerBookingModel(conn),
    BookingEvent: registerBookingEventModel(conn),
    BookingSeries: registerSeriesModel(conn),
    Outbox: registerOutboxModel(conn),
    SentNotification: registerSentNotificationModel(conn),
    CalendarFeed: registerCalendarFeedModel(conn),
    WaitlistEntry: registerWaitlistModel(conn),
    ApiKey: registerApiKeyModel(conn),
    Display: registerDisplayModel(conn),
    // Registered here with the rest, so connectMongo creates their collections and indexes (the
    // connection builds none by itself: autoIndex is off). The webhook parts get them again by name.
    Webhooks: registerWebhookModels(conn),
  };
}

export type Collections = ReturnType<typeof registerCollections>;

export interface DataStores {
  users: UserStore;
  /** (v3) Groups of people. */
  groups: GroupStore;
  resources: ResourceStore;
  bookings: BookingStore;
  /** Recurring bookings as asked for (their occurrences are bookings). */
  series: SeriesStore;
  /** Every change of a booking with its actor (the audit behind `booking:history`). */
  history: BookingHistoryStore;
  outbox: OutboxStore;
  sent: SentNotificationStore;
  /** Calendar feed tokens (hashed). */
  calendarFeeds: CalendarFeedStore;
  /** (v3) Waitlist entries. */
  waitlist: WaitlistStore;
}

/** Both roots' first step: the stores opened (their close registered in the lifecycle) and the capability stores on them. */
export async function openData(opts: {
  config: Config;
  logger: Logger;
  appName: string;
  lifecycle: Lifecycle;
  dbName?: string;
}): Promise<{ stores: Stores<Collections>; data: DataStores }> {
  const stores = await openStores({
    config: opts.config,
    logger: opts.logger,
    appName: opts.appName,
    register: registerCollections,
    signal: opts.lifecycle.signal,
    ...(opts.dbName ? { dbName: opts.dbName } : {}),
  });
  opts.lifecycle.onStop('stores', () => stores.close());
  return { stores, data: createDataStores(stores.collections) };
}

export function createDataStores(c: Collections): DataStores {
  return {
    users: createUserStore(c.User),
    groups: createGroupStore(c.Group),
    resources: createResourceStore(c.Resource),
    bookings: createBookingStore(c.Booking),
    series: createSeriesStore(c.BookingSeries),
    history: createBookingHistoryStore(c.BookingEvent, c.Booking),
    outbox: createOutboxStore(c.Outbox),
    sent: createSentNotificationStore(c.SentNotification),
    calendarFeeds: createCalendarFeedStore(c.CalendarFeed),
    waitlist: createWaitlistStore(c.WaitlistEntry),
  };
}
