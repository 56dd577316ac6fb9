/**
 * (v3) Entries of the API registry for integrations (engineer A's part of issue 28): the `/admin`
 * API-key commands, and the HTTP booking routes (`api.routes.ts` spreads them).
 */
import { z } from 'zod';
import * as S from '@booking/shared';
import type { CommandDoc } from './api.v3-commands';
import * as O from './wire.schemas';
import { EXAMPLE_IDS } from './api.v3-commands';
import type { RouteDoc } from './api.routes';
import { RestBookingCreate, RestBookingDecline, RestBookingModify } from '../integrations/rest/booking.routes';

const ACTION_COMMANDS = {
  'check-in': 'checkIn',
  confirm: 'confirm',
  approve: 'approve',
  decline: 'decline',
  cancel: 'cancel',
} as const;

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

const R = EXAMPLE_IDS.resource;
const at = (day: string, hm: string) => `2030-01-${day}T${hm}:00Z`;
/** On these routes staff and keys see whose booking it is. */
const BookingNamed = O.BookingOut.extend({ userName: z.string().optional() });
const one = (description: string, status = 200) => ({
  status,
  schema: z.object({ booking: BookingNamed }),
  description,
});
const READ = ['UNAUTHORIZED', 'FORBIDDEN', 'VALIDATION_ERROR', 'NOT_FOUND'] as const;
const WRITE = ['UNAUTHORIZED', 'FORBIDDEN', 'VALIDATION_ERROR', 'NOT_FOUND', 'INVALID_STATE', 'BUSY'] as const;

/** (v3) The HTTP booking API: people (`Bearer <token>`) and API keys (`Bearer bk_…`) with the scope. */
export const bookingRoutes: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/resources/:id/availability',
    summary: 'As `availability:get`: query `from`, `to` (at most 31 days).',
    auth: 'user',
    scope: 'bookings:read',
    ok: { status: 200, schema: O.AvailabilityOut, description: 'busy and open stretches' },
    errors: READ,
    example: { query: { from: at('07', '00:00'), to: at('08', '00:00') } },
  },
  {
    method: 'get',
    path: '/api/bookings',
    summary:
      'Bookings overlapping `[from, to)` in the order (start, id): the caller’s own; staff and keys any, with `userName`. Query ' +
      '`resourceId?`, `status?`, `limit?` (default 100, at most 1,000), `cursor?` (the `nextCursor` of the page before; opaque).',
    auth: 'user',
    scope: 'bookings:read',
    ok: {
      status: 200,
      schema: z.object({ bookings: z.array(BookingNamed), nextCursor: z.string().nullable() }),
      description: 'one page; `nextCursor` null on the last',
    },
    errors: READ,
    example: { query: { from: at('07', '00:00'), to: at('08', '00:00'), limit: '10' } },
  },
  {
    method: 'post',
    path: '/api/bookings',
    summary:
      'As `booking:create` (the `Idempotency-Key` header is its `idempotencyKey`): a repeat answers the first booking with 200, ' +
      'the same key with another body 400. `userId`: staff and keys book for that person (a key must name one).',
    auth: 'user',
    scope: 'bookings:write',
    body: RestBookingCreate,
    ok: one('booked (200: a repeat of the same key)', 201),
    errors: [...WRITE, 'SLOT_TAKEN', 'POLICY_VIOLATION', 'QUOTA_EXCEEDED'],
    example: {
      headers: { 'Idempotency-Key': 'order-1' },
      body: { resourceId: R, start: at('07', '13:00'), end: at('07', '14:00'), userId: EXAMPLE_IDS.user },
    },
  },
  {
    method: 'get',
    path: '/api/bookings/:id',
    summary: 'One booking: the caller’s own (another’s answers NOT_FOUND); staff and keys any.',
    auth: 'user',
    scope: 'bookings:read',
    ok: one('the booking'),
    errors: READ,
    example: {},
  },
  {
    method: 'get',
    path: '/api/bookings/:id/history',
    summary: 'As `booking:history`: every change with its actor, oldest first (a person: their own bookings).',
    auth: 'user',
    scope: 'bookings:read',
    ok: { status: 200, schema: z.object({ events: z.array(O.BookingEventOut) }), description: 'the changes' },
    errors: READ,
    example: {},
  },
  {
    method: 'patch',
    path: '/api/bookings/:id',
    summary: 'As `booking:modify`: moves the booking atomically to `[start, end)`.',
    auth: 'user',
    scope: 'bookings:write',
    body: RestBookingModify,
    ok: one('moved'),
    errors: [...WRITE, 'SLOT_TAKEN', 'POLICY_VIOLATION'],
    example: { body: { start: at('07', '15:00'), end: at('07', '16:00') } },
  },
  ...(['check-in', 'confirm', 'approve', 'decline', 'cancel'] as const).map((action): RouteDoc => ({
    method: 'post',
    path: `/api/bookings/:id/${action}`,
    summary: `As \`booking:${ACTION_COMMANDS[action]}\`.${action === 'decline' ? ' Body `{reason?}`.' : ''}`,
    auth: 'user',
    scope: 'bookings:write',
    ...(action === 'decline' ? { body: RestBookingDecline } : {}),
    ok: one('the booking as it is now'),
    errors: WRITE,
    example: action === 'decline' ? { body: { reason: 'room closed' } } : {},
  })),
];
