import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';
import { API_SCOPES } from '@booking/shared';
import type { ApiScope } from '@booking/shared';

/**
 * (v3) One API key of a service account. Only the SHA-256 of its secret is stored: a copy of the
 * database (or a log line) cannot be turned back into a working key.
 */
export interface ApiKeyDoc {
  _id: Types.ObjectId;
  name: string;
  secretHash: string;
  scopes: ApiScope[];
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const apiKeySchema = new Schema<ApiKeyDoc>(
  {
    name: { type: String, required: true },
    secretHash: { type: String, required: true },
    scopes: { type: [String], enum: API_SCOPES, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastUsedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'api_keys', versionKey: false },
);
// Every request of a key looks it up by its hash (the revocation check is this read).
apiKeySchema.index({ secretHash: 1 }, { unique: true });

export type ApiKeyModel = Model<ApiKeyDoc>;

export function registerApiKeyModel(conn: Connection): ApiKeyModel {
  return conn.models.ApiKey ? (conn.models.ApiKey as ApiKeyModel) : conn.model<ApiKeyDoc>('ApiKey', apiKeySchema);
}
