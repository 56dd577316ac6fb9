import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';
import type { Role } from '@booking/shared';

export interface UserDoc {
  _id: Types.ObjectId;
  name: string;
  /** Unique, stored lower-case. */
  email: string;
  /** Optional contact details beyond the email (phone, desk…). */
  contact?: string;
  /** `scrypt$N$r$p$salt$hash`, never sent anywhere. */
  passwordHash: string;
  role: Role;
  /**
   * Part of every token; bumping it (a role change, "sign out everywhere") revokes every token
   * issued before. Missing on users created before it existed: read as 0.
   */
  tokenVersion?: number;
  /**
   * The user's booking fence: every transaction that books against the user's quota bumps it, so
   * two of them conflict and the retried one counts again (DESIGN.md "Booking").
   */
  bookingFence?: number;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    name: { type: String, required: true },
    email: { type: String, required: true },
    contact: { type: String },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: ['user', 'staff'], required: true, default: 'user' },
    tokenVersion: { type: Number, default: 0 },
    bookingFence: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'users' },
);
userSchema.index({ email: 1 }, { unique: true });

export type UserModel = Model<UserDoc>;

export function registerUserModel(conn: Connection): UserModel {
  return conn.models.User ? (conn.models.User as UserModel) : conn.model<UserDoc>('User', userSchema);
}
