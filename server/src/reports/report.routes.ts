/**
 * (v3) `GET /api/reports/utilisation` and `GET /api/reports/bookings.csv` (docs/protocol.md
 * "Reports (v3)"). Staff (and API keys, which are staff with scopes) see every resource; a manager
 * only the resources they manage, and a resource id outside those answers NOT_FOUND as one that
 * does not exist; anyone else FORBIDDEN.
 */
import { Router } from 'express';
import type { Request, RequestHandler, Response } from 'express';
import {
  ErrorCode,
  ReportQuery,
  ReportRange,
  UTILISATION_CSV_COLUMNS,
  WEEKDAY_HOUR_CSV_COLUMNS,
} from '@booking/shared';
import type { Resource } from '@booking/shared';
import { allowed } from '../access/resource-access';
import type { Clock } from '../infra/clock';
import { AppError } from '../infra/errors';
import { parseOrThrow, principalOf } from '../infra/http-kit';
import type { Logger } from '../infra/logger';
import { streamBookingsCsv } from './bookings-csv';
import { csvTable } from './csv';
import { utilisationByResource, utilisationByWeekdayHour } from './utilisation';
import type { ReportModels } from './utilisation';

export interface ReportRouterDeps {
  /** Who is calling: a person's token or (with issue 28's API keys) a key; sets `res.locals.principal`. */
  caller: RequestHandler;
  /** Refuses an API key without `reports:read` (people pass). */
  scope: RequestHandler;
  resources: { list(): Promise<Resource[]> };
  models: ReportModels;
  clock: Clock;
  logger: Logger;
}

/** The resources the caller may report on, narrowed to `resourceId` when given. */
async function reportable(deps: ReportRouterDeps, res: Response, resourceId: string | undefined): Promise<Resource[]> {
  const principal = principalOf(res);
  const list = await deps.resources.list();
  const mine = principal.role === 'staff' ? list : allowed(principal, list, 'manage');
  if (principal.role !== 'staff' && mine.length === 0)
    throw new AppError(ErrorCode.FORBIDDEN, 'staff and managers only');
  if (resourceId === undefined) return mine;
  const one = mine.find((r) => r.id === resourceId);
  if (!one) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
  return [one];
}

const wantsCsv = (req: Request): boolean => req.accepts(['application/json', 'text/csv']) === 'text/csv';

const fileName = (kind: string, q: { from: Date; to: Date }): string =>
  `${kind}-${q.from.toISOString().slice(0, 10)}-${q.to.toISOString().slice(0, 10)}.csv`;

function sendCsv(res: Response, name: string, body: string): void {
  res
    .status(200)
    .type('text/csv; charset=utf-8')
    .set('content-disposition', `attachment; filename="${name}"`)
    .send(body);
}

export function reportRouter(deps: ReportRouterDeps): Router {
  const router = Router();
  const guard = [deps.caller, deps.scope];
  router.get('/api/reports/utilisation', ...guard, async (req, res) => {
    const q = parseOrThrow(ReportQuery, req.query);
    const resources = await reportable(deps, res, q.resourceId);
    const range = { from: q.from, to: q.to };
    res.set('cache-control', 'private, no-store').vary('accept');
    if (q.groupBy === 'weekdayHour') {
      const [resource] = resources;
      if (!resource) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      const rows = await utilisationByWeekdayHour(deps.models, resource, range);
      if (wantsCsv(req)) sendCsv(res, fileName('utilisation-hours', q), csvTable(WEEKDAY_HOUR_CSV_COLUMNS, rows));
      else res.json({ rows });
      return;
    }
    const rows = await utilisationByResource(deps.models, resources, range);
    if (wantsCsv(req)) sendCsv(res, fileName('utilisation', q), csvTable(UTILISATION_CSV_COLUMNS, rows));
    else res.json({ rows });
  });
  router.get('/api/reports/bookings.csv', ...guard, async (req, res) => {
    const q = parseOrThrow(ReportRange, req.query);
    const resources = await reportable(deps, res, q.resourceId);
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .set({
        'content-disposition': `attachment; filename="${fileName('bookings', q)}"`,
        'cache-control': 'private, no-store',
      });
    try {
      await streamBookingsCsv(deps.models.Booking, res, { resources, from: q.from, to: q.to, now: deps.clock.now() });
    } catch (err) {
      // Headers are gone once the first row is: a failure mid-stream can only cut the response short.
      deps.logger.warn({ err, from: q.from.toISOString(), to: q.to.toISOString() }, 'bookings CSV stream ended early');
      if (!res.headersSent) throw err;
      res.destroy();
    }
  });
  return router;
}
