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
  },
  { timestamps: true, collection: 'users' },
);
userSchema.index({ email: 1 }, { unique: true });

export type UserModel = Model<UserDoc>;

export function registerUserModel(conn: Connection): UserModel {
  return conn.models.User ? (conn.models.User as UserModel) : conn.model<UserDoc>('User', userSchema);
}
