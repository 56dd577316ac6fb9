/**
 * Every HTTP route the API documents describe (body, answers, error codes), beside the Socket.IO
 * registry (`api.registry.ts`); `api.documents.ts` renders both.
 */
import { z } from 'zod';
import * as S from '@booking/shared';
import { CalendarFeedCreate, CalendarFeedCreated } from '../calendar/calendar.schemas';
import * as O from './wire.schemas';
import { bookingRoutes } from './api.integrations';
import { reportRoutes } from './api.reports';
import { webhookRoutes } from './api.webhooks';

/** One HTTP route. `auth`: a bearer token is required (`staff`: of a staff user). */
export interface RouteDoc {
  method: 'get' | 'post' | 'delete' | 'patch';
  /** Express path (`:param`). */
  path: string;
  summary: string;
  auth: 'none' | 'user' | 'staff' | 'metrics';
  /** (v3) Also open to API keys (`Bearer bk_…`) with this scope (`integrations/api-access.ts`). */
  scope?: S.ApiScope;
  /** (v3) A request the docs test replays against a live node (ids replaced by real ones). */
  example?: { query?: Record<string, string>; headers?: Record<string, string>; body?: unknown };
  body?: z.ZodType;
  /** Status → schema of the JSON answer (null: no JSON body). */
  ok: { status: number; schema: z.ZodType | null; contentType?: string; description: string };
  errors: readonly S.ErrorCode[];
}

export const httpRoutes: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/healthz',
    summary: 'Readiness: MongoDB and Redis answer.',
    auth: 'none',
    ok: {
      status: 200,
      schema: z.object({ ok: z.boolean(), nodeId: z.string() }),
      description: 'healthy (503 with `ok: false` otherwise)',
    },
    errors: [],
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (Bearer `METRICS_TOKEN` when set).',
    auth: 'metrics',
    ok: { status: 200, schema: null, contentType: 'text/plain', description: 'Prometheus text format' },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'post',
    path: '/api/auth/register',
    summary: 'Creates a user and signs in.',
    auth: 'none',
    body: S.RegisterBody,
    ok: { status: 201, schema: O.AuthResultOut, description: 'registered' },
    errors: ['VALIDATION_ERROR', 'EMAIL_TAKEN', 'FORBIDDEN', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/auth/login',
    summary: 'Signs in.',
    auth: 'none',
    body: S.LoginBody,
    ok: { status: 200, schema: O.AuthResultOut, description: 'signed in' },
    errors: ['VALIDATION_ERROR', 'INVALID_CREDENTIALS', 'FORBIDDEN', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/auth/refresh',
    summary:
      'A new token for the holder of a valid one; a single-sign-on session asks the provider again (a refusal: 401).',
    auth: 'user',
    ok: { status: 200, schema: O.AuthResultOut, description: 'renewed' },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'get',
    path: '/api/auth/config',
    summary: '(v3) Which sign-in buttons to show.',
    auth: 'none',
    ok: { status: 200, schema: O.AuthConfigOut, description: 'password sign-in on or off; the single sign-on button' },
    errors: [],
  },
  {
    method: 'get',
    path: '/api/auth/oidc/login',
    summary:
      '(v3) Query `returnTo` (a path of this site). Redirects to the provider (code flow, PKCE S256, state, nonce).',
    auth: 'none',
    ok: { status: 302, schema: null, description: 'to the provider' },
    errors: ['NOT_FOUND', 'RATE_LIMITED'],
  },
  {
    method: 'get',
    path: '/api/auth/oidc/callback',
    summary:
      '(v3) The provider comes back here; redirects to `returnTo#signin=<one-time code>`; a bad state, nonce or code: a 400 page.',
    auth: 'none',
    ok: { status: 302, schema: null, description: 'to `returnTo` with the one-time code in the fragment' },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/auth/oidc/exchange',
    summary: '(v3) Trades the one-time code (once, within 60 s) for a session.',
    auth: 'none',
    body: S.OidcExchangeBody,
    ok: { status: 200, schema: O.AuthResultOut, description: 'signed in' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED'],
  },
  {
    method: 'post',
    path: '/api/auth/logout-all',
    summary:
      'Sign out everywhere: every token of the caller stops working; their sockets are disconnected on every node within 5 s.',
    auth: 'user',
    ok: { status: 204, schema: null, description: 'signed out everywhere' },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'post',
    path: '/api/auth/password',
    summary:
      'Changes the password and revokes every token of the caller (theirs too: sign in again with the new password).',
    auth: 'user',
    body: S.PasswordChangeBody,
    ok: { status: 204, schema: null, description: 'changed' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'INVALID_CREDENTIALS', 'INVALID_STATE', 'RATE_LIMITED'],
  },
  {
    method: 'post',
    path: '/api/auth/verify',
    summary: 'Confirms an email address with the one-time token of its link (`PUBLIC_URL/#verify=<token>`).',
    auth: 'none',
    body: S.VerifyEmailBody,
    ok: { status: 200, schema: z.object({ user: O.UserOut }), description: 'verified' },
    errors: ['VALIDATION_ERROR', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/api/auth/verify/resend',
    summary: 'Mails a new verification link (the previous one stops working); 5 an hour.',
    auth: 'user',
    ok: { status: 204, schema: null, description: 'asked for' },
    errors: ['UNAUTHORIZED', 'INVALID_STATE', 'RATE_LIMITED'],
  },
  {
    method: 'get',
    path: '/api/resources',
    summary: 'Every resource the caller may view (API keys: with `resources:read` or `bookings:read`).',
    auth: 'user',
    scope: 'resources:read',
    ok: { status: 200, schema: z.object({ resources: z.array(O.ResourceOut) }), description: 'the resources' },
    errors: ['UNAUTHORIZED', 'FORBIDDEN'],
    example: {},
  },
  {
    method: 'post',
    path: '/api/resources',
    summary: 'Creates a resource.',
    auth: 'staff',
    body: S.ResourceCreate,
    ok: { status: 201, schema: z.object({ resource: O.ResourceOut }), description: 'created' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'FORBIDDEN'],
  },
  {
    method: 'post',
    path: '/api/calendar/feeds',
    summary: "A new calendar feed URL: the caller's bookings (`mine`) or one resource's busy times.",
    auth: 'user',
    body: CalendarFeedCreate,
    ok: { status: 201, schema: CalendarFeedCreated, description: 'an absolute, unguessable feed URL' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'NOT_FOUND'],
  },
  {
    method: 'delete',
    path: '/api/calendar/feeds',
    summary: 'Every feed URL of the caller stops working.',
    auth: 'user',
    ok: { status: 204, schema: null, description: 'revoked' },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'get',
    path: '/api/calendar/feeds/:file',
    summary: 'A feed (`<token>.ics`, the URL is the secret): RFC 5545; `If-None-Match` with its ETag answers 304.',
    auth: 'none',
    ok: { status: 200, schema: null, contentType: 'text/calendar', description: 'the calendar (304 when unchanged)' },
    errors: ['NOT_FOUND', 'RATE_LIMITED'],
  },
  ...bookingRoutes,
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document.',
    auth: 'none',
    ok: { status: 200, schema: null, contentType: 'application/json', description: 'OpenAPI 3.1' },
    errors: [],
  },
  {
    method: 'get',
    path: '/api/asyncapi.json',
    summary: 'The Socket.IO API as AsyncAPI 3.0.',
    auth: 'none',
    ok: { status: 200, schema: null, contentType: 'application/json', description: 'AsyncAPI 3.0' },
    errors: [],
  },
  {
    method: 'get',
    path: '/docs',
    summary: 'Both documents, readable.',
    auth: 'none',
    ok: { status: 200, schema: null, contentType: 'text/html', description: 'HTML' },
    errors: [],
  },
  {
    method: 'get',
    path: '/docs/docs.css',
    summary: 'The stylesheet of `/docs`.',
    auth: 'none',
    ok: { status: 200, schema: null, contentType: 'text/css', description: 'CSS' },
    errors: [],
  },
  ...reportRoutes,
  ...webhookRoutes,
];

// ---- compile-time completeness ----------------------------------------------------------------
