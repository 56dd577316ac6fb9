/**
 * (v3) Integrations: API keys for service accounts (docs/protocol.md "HTTP booking API and API
 * keys"). A key is shown once (`secret`, `bk_...`), stored only as a hash, and limited to its scopes.
 */
import { z } from 'zod';

export const API_SCOPES = [
  'bookings:read',
  'bookings:write',
  'resources:read',
  'reports:read',
  'webhooks:manage',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];
export const ApiScopeSchema = z.enum(API_SCOPES);

/** The prefix of every API key secret: a bearer token starting with it is a key, never a person's token. */
export const API_KEY_PREFIX = 'bk_';

/** An API key as `apiKey:list` shows it (never its secret or hash). Times are ISO UTC. */
export interface ApiKey {
  id: string;
  name: string;
  scopes: ApiScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt?: string;
}

/** `apiKey:create` (admin, staff only): a name and at least one scope. */
export const ApiKeyCreate = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(ApiScopeSchema).min(1).max(API_SCOPES.length),
});
export type ApiKeyCreate = z.infer<typeof ApiKeyCreate>;

/** `apiKey:revoke` (admin, staff only). */
export const ApiKeyRevoke = z.object({ id: z.string().min(1).max(64) });
export type ApiKeyRevoke = z.infer<typeof ApiKeyRevoke>;

/** `apiKey:list` (admin, staff only). */
export const ApiKeyList = z.strictObject({});
export type ApiKeyList = z.infer<typeof ApiKeyList>;
