/**
 * (v3) API keys of service accounts: created by staff on `/admin` (the secret shown once), listed
 * with `lastUsedAt`, revoked. A request's key is looked up by the SHA-256 of its secret on every
 * request (one indexed read, no cache): a revocation answers 401 on every node from the next
 * request on, with nothing to invalidate.
 */
import { createHash, randomBytes } from 'node:crypto';
import { API_KEY_PREFIX, ErrorCode } from '@booking/shared';
import type { ApiKey, ApiKeyCreate, ApiScope } from '@booking/shared';
import type { Clock } from '../../infra/clock';
import { AppError } from '../../infra/errors';
import type { Logger } from '../../infra/logger';
import type { ApiKeyModel } from './api-key.model';
import { createApiKeyStore } from './api-key.store';

/** `lastUsedAt` is written at most this often per key (a busy key does not write on every request). */
export const LAST_USED_EVERY_MS = 60_000;

/** A key that passed the lookup: who is calling, with which scopes. */
export interface ApiKeyCaller {
  id: string;
  name: string;
  scopes: readonly ApiScope[];
}

export interface ApiKeyService {
  create(input: ApiKeyCreate, createdBy: string): Promise<{ key: ApiKey; secret: string }>;
  list(): Promise<ApiKey[]>;
  revoke(id: string): Promise<void>;
  /** The key of a `bk_` secret, or UNAUTHORIZED (unknown, malformed or revoked). */
  authenticate(secret: string): Promise<ApiKeyCaller>;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function createApiKeyService(deps: { model: ApiKeyModel; clock: Clock; logger: Logger }): ApiKeyService {
  const store = createApiKeyStore(deps.model);
  const { clock, logger } = deps;
  return {
    async create(input, createdBy) {
      const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url');
      const key = await store.insert({
        name: input.name,
        scopes: [...new Set(input.scopes)],
        secretHash: hashSecret(secret),
        createdBy,
        createdAt: clock.now(),
      });
      logger.info({ apiKeyId: key.id, scopes: key.scopes, createdBy }, 'api key created');
      return { key, secret };
    },
    list: () => store.list(),
    async revoke(id) {
      if (!(await store.revoke(id, clock.now()))) throw new AppError(ErrorCode.NOT_FOUND, 'no such API key');
      logger.info({ apiKeyId: id }, 'api key revoked');
    },
    async authenticate(secret) {
      if (!secret.startsWith(API_KEY_PREFIX) || secret.length > 200)
        throw new AppError(ErrorCode.UNAUTHORIZED, 'invalid API key');
      const record = await store.findByHash(hashSecret(secret));
      if (!record || record.revoked) throw new AppError(ErrorCode.UNAUTHORIZED, 'invalid API key');
      const now = clock.now();
      if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
        // Not awaited by the request: a failed write of lastUsedAt must not refuse the call.
        store.touch(record.id, now, new Date(now.getTime() - LAST_USED_EVERY_MS)).catch((err: unknown) => {
          logger.warn({ err, apiKeyId: record.id }, 'api key lastUsedAt not written');
        });
      }
      return { id: record.id, name: record.name, scopes: record.scopes };
    },
  };
}
