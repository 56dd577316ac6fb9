import type { Connection } from 'mongoose';
import { registerUserModel } from '../auth/user.model';
import type { UserModel } from '../auth/user.model';
import { registerBookingModel } from '../booking/booking.model';
import type { BookingModel } from '../booking/booking.model';
import { registerOutboxModel } from '../booking/outbox.model';
import type { OutboxModel } from '../booking/outbox.model';
import { registerResourceModel } from '../resources/resource.model';
import type { ResourceModel } from '../resources/resource.model';

export interface Models {
  User: UserModel;
  Resource: ResourceModel;
  Booking: BookingModel;
  Outbox: OutboxModel;
}

/** Registers every model on the connection (used by connectMongo before collections are created). */
export function registerModels(conn: Connection): Models {
  return {
    User: registerUserModel(conn),
    Resource: registerResourceModel(conn),
    Booking: registerBookingModel(conn),
    Outbox: registerOutboxModel(conn),
  };
}
