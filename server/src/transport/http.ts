import express from 'express';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { ErrorCode } from '@booking/shared';
import type { AuthService, Principal } from '../auth/auth.service';
import { AppError, toErrorBody } from '../infra/errors';
import type { Logger } from '../infra/logger';
import type { Metrics } from '../infra/metrics';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  SLOT_TAKEN: 409,
  INVALID_STATE: 409,
  POLICY_VIOLATION: 422,
  QUOTA_EXCEEDED: 422,
  RATE_LIMITED: 429,
  BUSY: 503,
  INTERNAL: 500,
};

export interface HttpDeps {
  logger: Logger;
  nodeId: string;
  /** True while MongoDB and Redis both answer. */
  healthy: () => Promise<boolean>;
  routers: Router[];
  /** Extra handlers mounted last (static pages, metrics). */
  extras?: RequestHandler[];
}

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(express.json({ limit: '16kb' }));

  app.get('/healthz', async (_req, res) => {
    const ok = await deps.healthy();
    res.status(ok ? 200 : 503).json({ ok, nodeId: deps.nodeId });
  });
  for (const router of deps.routers) app.use(router);
  for (const extra of deps.extras ?? []) app.use(extra);

  app.use('/api', (_req, _res, next) => next(new AppError(ErrorCode.NOT_FOUND, 'no such endpoint')));
  const onError: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    let appErr: unknown = err;
    // body-parser errors carry a `type`: malformed JSON, a body over the limit, …
    if (err instanceof Error && 'type' in err && typeof err.type === 'string') {
      appErr = new AppError(ErrorCode.VALIDATION_ERROR, err.type === 'entity.too.large' ? 'body too large' : 'malformed body');
    }
    if (!(appErr instanceof AppError)) deps.logger.error({ err, path: req.path }, 'request failed');
    const body = toErrorBody(appErr);
    res.status(STATUS[body.code]).json({ error: body });
  };
  app.use(onError);
  return app;
}

/** Puts the verified principal on `res.locals.principal`, or answers 401. */
export function requireAuth(auth: AuthService): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    res.locals.principal = await auth.verify(token);
    next();
  };
}

export function principalOf(res: Response): Principal {
  const p: unknown = res.locals.principal;
  if (!p || typeof p !== 'object') throw new AppError(ErrorCode.UNAUTHORIZED, 'not signed in');
  return p as Principal;
}

/** `GET /metrics` in Prometheus' text format. */
export function metricsRoute(metrics: Metrics): RequestHandler {
  const router = express.Router();
  router.get('/metrics', async (_req, res) => {
    res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
