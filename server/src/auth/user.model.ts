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
  /** `scrypt$N$r$p$salt$hash`, never sent anywhere; missing on a single-sign-on account. */
  passwordHash?: string;
  role: Role;
  /**
   * Part of every token; bumping it (a role change, "sign out everywhere") revokes every token
   * issued before. Missing on users created before it existed: read as 0.
   */
  tokenVersion?: number;
  /**
   * The user's booking fence: every transaction that books against the user's quota bumps it, so
   * two of them conflict and the retried one counts again (docs/design.md "Booking").
   */
  bookingFence?: number;
  /**
   * False only for a password account created while `EMAIL_VERIFICATION=required` that has not
   * followed its link yet; missing (accounts from before, or from `off`) reads as verified.
   */
  emailVerified?: boolean;
  /** SHA-256 (hex) of the one-time verification token last mailed, and when it stops working. */
  verifyTokenHash?: string;
  verifyTokenExpiresAt?: Date;
  /**
   * A verification mail waiting for the notifier (email-verification.mailer.ts): asked for at
   * `requestedAt`, claimed by a sender until `claimedUntil`. Removed once the mail is accepted.
   */
  verifyMail?: { requestedAt: Date; claimedUntil?: Date; attempts?: number };
  /** (v3) Ids of the person's groups (`groups` collection). */
  groups?: string[];
  /** (v3) The person's language (`en` when absent: accounts from before v3). */
  locale?: string;
  /**
   * (v3) A single-sign-on account: who the provider says it is, and the provider's refresh token
   * (server-side only; asked again at every refresh of the session).
   */
  oidc?: { issuer: string; subject: string; refreshToken?: string };
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    name: { type: String, required: true },
    email: { type: String, required: true },
    contact: { type: String },
    passwordHash: { type: String },
    role: { type: String, enum: ['user', 'staff'], required: true, default: 'user' },
    tokenVersion: { type: Number, default: 0 },
    bookingFence: { type: Number, default: 0 },
    emailVerified: { type: Boolean },
    verifyTokenHash: { type: String },
    verifyTokenExpiresAt: { type: Date },
    verifyMail: {
      type: new Schema({ requestedAt: Date, claimedUntil: Date, attempts: Number }, { _id: false }),
      required: false,
    },
    groups: { type: [String], default: undefined },
    locale: { type: String },
    oidc: {
      type: new Schema({ issuer: String, subject: String, refreshToken: String }, { _id: false }),
      required: false,
    },
  },
  { timestamps: true, collection: 'users' },
);
userSchema.index({ email: 1 }, { unique: true });
// Only the few users with a token or a mail waiting are in these (sparse) indexes.
userSchema.index({ verifyTokenHash: 1 }, { sparse: true });
userSchema.index({ 'verifyMail.requestedAt': 1 }, { sparse: true });
// (v3) One account per person at a provider; group membership is looked up when a group is deleted.
userSchema.index(
  { 'oidc.issuer': 1, 'oidc.subject': 1 },
  { unique: true, partialFilterExpression: { 'oidc.subject': { $exists: true } } },
);
userSchema.index({ groups: 1 }, { sparse: true });

export type UserModel = Model<UserDoc>;

export function registerUserModel(conn: Connection): UserModel {
  return conn.models.User ? (conn.models.User as UserModel) : conn.model<UserDoc>('User', userSchema);
}
