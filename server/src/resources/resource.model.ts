import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';
import type { Policy, ResourceAccess } from '@booking/shared';

export interface ResourceDoc {
  _id: Types.ObjectId;
  name: string;
  type: string;
  description: string;
  /** IANA zone; documents from before v2 have none and read as `UTC`. */
  timeZone?: string;
  /** Whole policy as stored; documents from before v2 have none and read as the defaults. */
  policy?: Policy | null;
  /** Units that can be booked at once; documents from before v3 have none and read as 1. */
  capacity?: number;
  /** People the space holds, or null when not said. */
  seats?: number | null;
  /** (v3) Who may view, book and manage it; documents from before v3 have none and read as null (everyone). */
  access?: ResourceAccess | null;
  /**
   * The fence: every transaction that changes this resource's bookings increments it, so two such
   * transactions always write the same document and cannot both commit on one snapshot. Its value
   * is the resource's public `version`.
   */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const resourceSchema = new Schema<ResourceDoc>(
  {
    name: { type: String, required: true },
    type: { type: String, required: true },
    description: { type: String, default: '' },
    timeZone: { type: String, default: 'UTC' },
    // Validated by the shared zod schema at the edge and stored whole; MongoDB keeps it as given.
    policy: { type: Schema.Types.Mixed, default: null },
    capacity: { type: Number, default: 1 },
    seats: { type: Number, default: null },
    access: { type: Schema.Types.Mixed, default: null },
    version: { type: Number, required: true, default: 0 },
  },
  { timestamps: true, collection: 'resources' },
);
resourceSchema.index({ type: 1, name: 1 });

export type ResourceModel = Model<ResourceDoc>;

export function registerResourceModel(conn: Connection): ResourceModel {
  return conn.models.Resource
    ? (conn.models.Resource as ResourceModel)
    : conn.model<ResourceDoc>('Resource', resourceSchema);
}
