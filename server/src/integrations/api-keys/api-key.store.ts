/** The only code that touches the `api_keys` collection. */
import type { ApiKey, ApiScope } from '@booking/shared';
import { objectIdOrNull } from '../../infra/ids';
import type { ApiKeyDoc, ApiKeyModel } from './api-key.model';

/** What a request's key lookup needs: who it is and what it may do, or that it is revoked. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  scopes: ApiScope[];
  lastUsedAt: Date | null;
  revoked: boolean;
}

export interface ApiKeyStore {
  insert(key: {
    name: string;
    scopes: ApiScope[];
    secretHash: string;
    createdBy: string;
    createdAt: Date;
  }): Promise<ApiKey>;
  findByHash(secretHash: string): Promise<ApiKeyRecord | null>;
  /** Every key, newest first, revoked ones included (they show `revokedAt`). */
  list(): Promise<ApiKey[]>;
  /** Marks the key revoked; false when no such key exists. Revoking twice keeps the first time. */
  revoke(id: string, at: Date): Promise<boolean>;
  /** Sets `lastUsedAt` unless it was set after `notAfter` (at most one write per key and minute, across nodes). */
  touch(id: string, at: Date, notAfter: Date): Promise<void>;
}

function toWire(doc: Pick<ApiKeyDoc, '_id' | 'name' | 'scopes' | 'createdAt' | 'lastUsedAt' | 'revokedAt'>): ApiKey {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    scopes: [...doc.scopes],
    createdAt: doc.createdAt.toISOString(),
    lastUsedAt: doc.lastUsedAt ? doc.lastUsedAt.toISOString() : null,
    ...(doc.revokedAt ? { revokedAt: doc.revokedAt.toISOString() } : {}),
  };
}

export function createApiKeyStore(model: ApiKeyModel): ApiKeyStore {
  return {
    async insert(key) {
      const doc = await model.create({ ...key, lastUsedAt: null, revokedAt: null });
      return toWire(doc);
    },
    async findByHash(secretHash) {
      const doc = await model.findOne({ secretHash }, { name: 1, scopes: 1, lastUsedAt: 1, revokedAt: 1 }).lean();
      if (!doc) return null;
      return {
        id: doc._id.toHexString(),
        name: doc.name,
        scopes: [...doc.scopes],
        lastUsedAt: doc.lastUsedAt ?? null,
        revoked: doc.revokedAt !== null && doc.revokedAt !== undefined,
      };
    },
    async list() {
      const docs = await model.find({}, { secretHash: 0 }).sort({ createdAt: -1, _id: -1 }).limit(1000).lean();
      return docs.map(toWire);
    },
    async revoke(id, at) {
      const _id = objectIdOrNull(id);
      if (!_id) return false;
      const found = await model.exists({ _id });
      if (!found) return false;
      await model.updateOne({ _id, revokedAt: null }, { $set: { revokedAt: at } });
      return true;
    },
    async touch(id, at, notAfter) {
      const _id = objectIdOrNull(id);
      if (!_id) return;
      await model.updateOne(
        { _id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lte: notAfter } }] },
        { $set: { lastUsedAt: at } },
      );
    },
  };
}
