import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';

/** (v3) A group of people; `externalId` ties it to a value of the sign-in provider's groups claim. */
export interface GroupDoc {
  _id: Types.ObjectId;
  name: string;
  externalId?: string;
  createdAt: Date;
  updatedAt: Date;
}

const groupSchema = new Schema<GroupDoc>(
  {
    name: { type: String, required: true },
    externalId: { type: String },
  },
  { timestamps: true, collection: 'groups' },
);
// One group per provider value (a sign-in maps the claim's values to groups by it).
groupSchema.index({ externalId: 1 }, { unique: true, sparse: true });

export type GroupModel = Model<GroupDoc>;

export function registerGroupModel(conn: Connection): GroupModel {
  return conn.models.Group ? (conn.models.Group as GroupModel) : conn.model<GroupDoc>('Group', groupSchema);
}
