/**
 * (v3) Entries of the API registry for integrations (engineer A's part of issue 28): the `/admin`
 * API-key commands, and the HTTP booking routes (`api.routes.ts` spreads them).
 */
import { z } from 'zod';
import * as S from '@booking/shared';
import type { CommandDoc } from './api.v3-commands';
import * as O from './wire.schemas';

const ApiKeyOut = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(S.ApiScopeSchema),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().optional(),
});

/** A key id for the examples; the contract test swaps in a real one. */
export const EXAMPLE_API_KEY_ID = '665f1c2e8b3a4d0012345607';

/** (v3) API keys of service accounts (staff only; managers FORBIDDEN). */
export const apiKeyCommands = {
  'apiKey:create': {
    summary: 'Creates an API key; `secret` (`bk_…`) is in this answer only and is stored as a hash.',
    payload: S.ApiKeyCreate,
    data: z.object({ key: ApiKeyOut, secret: z.string() }),
    errors: ['FORBIDDEN'],
    example: { name: 'HR system', scopes: ['bookings:read', 'bookings:write'] },
  },
  'apiKey:list': {
    summary: 'Every API key, newest first, with `lastUsedAt` (written at most once a minute per key) and `revokedAt`.',
    payload: S.ApiKeyList,
    data: z.object({ keys: z.array(ApiKeyOut) }),
    errors: ['FORBIDDEN'],
    example: {},
  },
  'apiKey:revoke': {
    summary: 'Revokes a key: its next request answers 401 on every node.',
    payload: S.ApiKeyRevoke,
    data: O.EmptyOut,
    errors: ['FORBIDDEN', 'NOT_FOUND'],
    example: { id: EXAMPLE_API_KEY_ID },
  },
} as const satisfies Record<string, CommandDoc>;
