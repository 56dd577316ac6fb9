/** (v3) The report routes for the API documents (docs/protocol.md "Reports (v3)"); `api.routes.ts` spreads them. */
import { z } from 'zod';
import { REPORT_MAX_DAYS, WEEKDAYS } from '@booking/shared';
import type { RouteDoc } from './api.routes';

const UtilisationRowOut = z.object({
  resourceId: z.string(),
  name: z.string(),
  capacity: z.number().int(),
  openHours: z.number(),
  bookedHours: z.number(),
  utilisation: z.number(),
  bookings: z.number().int(),
  cancellations: z.number().int(),
  noShows: z.number().int(),
  noShowRate: z.number(),
  checkInRate: z.number(),
  releasedHours: z.number(),
});
const WeekdayHourRowOut = z.object({
  resourceId: z.string(),
  weekday: z.enum(WEEKDAYS),
  hour: z.number().int().min(0).max(23),
  utilisation: z.number(),
});

const who =
  'Staff, managers (their resources; another resource id answers NOT_FOUND) and API keys with `reports:read`.';

export const reportRoutes: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/reports/utilisation',
    summary:
      `Utilisation over \`?from&to\` (ISO instants, at most ${REPORT_MAX_DAYS} days), \`resourceId?\`, ` +
      '`groupBy=resource` (default) or `weekdayHour` (needs `resourceId`; local weekday × hour rows). ' +
      `\`Accept: text/csv\` answers CSV with a header row. ${who}`,
    auth: 'user',
    ok: {
      status: 200,
      schema: z.object({ rows: z.union([z.array(UtilisationRowOut), z.array(WeekdayHourRowOut)]) }),
      description: 'one row per resource, or 7 × 24 rows (Monday 00 first)',
    },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/reports/bookings.csv',
    summary:
      `Every booking starting in \`?from&to\` (at most ${REPORT_MAX_DAYS} days), \`resourceId?\`, whatever its status, ` +
      `streamed as CSV with local times in the resource's zone. ${who}`,
    auth: 'user',
    ok: { status: 200, schema: null, contentType: 'text/csv', description: 'CSV (RFC 4180, CRLF), streamed' },
    errors: ['VALIDATION_ERROR', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND'],
  },
];
