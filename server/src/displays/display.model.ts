/**
 * (v3) The `displays` collection: one room display per document, with its token's hash (never the
 * token), the service account that owns its walk-in bookings, and when it was revoked.
 */
import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';

export interface DisplayDoc {
  _id: Types.ObjectId;
  resourceId: Types.ObjectId;
  name: string;
  /** SHA-256 (hex) of the token in the display's URL fragment. */
  tokenHash: string;
  /** The display's own user (role `user`, no password): owner of its walk-in bookings, actor of its commands. */
  serviceUserId: Types.ObjectId;
  createdAt: Date;
  /** When it last connected. */
  lastSeenAt?: Date;
  /** Set once revoked (or once its resource was deleted); it never connects again. */
  revokedAt?: Date;
}

const displaySchema = new Schema<DisplayDoc>(
  {
    resourceId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    tokenHash: { type: String, required: true },
    serviceUserId: { type: Schema.Types.ObjectId, required: true },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date },
    revokedAt: { type: Date },
  },
  { collection: 'displays', versionKey: false },
);
// Every handshake looks its token up by hash.
displaySchema.index({ tokenHash: 1 }, { unique: true });
displaySchema.index({ resourceId: 1 });

export type DisplayModel = Model<DisplayDoc>;

export function registerDisplayModel(conn: Connection): DisplayModel {
  return conn.models.Display ? (conn.models.Display as DisplayModel) : conn.model<DisplayDoc>('Display', displaySchema);
}
