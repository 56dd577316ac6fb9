import { createHash, timingSafeEqual } from 'node:crypto';
import express from 'express';
import helmet from 'helmet';
import type { ErrorRequestHandler, Request, RequestHandler, Router } from 'express';
import { ErrorCode, HTTP_STATUS } from '@booking/shared';
import { AppError, toErrorBody } from '../infra/errors';
import { bearerToken } from '../infra/http-kit';
import type { Logger } from '../infra/logger';
import type { Metrics } from '../infra/metrics';

export interface HttpDeps {
  logger: Logger;
  nodeId: string;
  /** True while MongoDB and Redis both answer. */
  healthy: () => Promise<boolean>;
  /** The gateways whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`, express's `trust proxy`). */
  trustProxy: string[];
  routers: Router[];
  /** Extra handlers mounted last (static pages, metrics). */
  extras?: RequestHandler[];
}

/**
 * Standard security headers on every answer (pages, API, health): a strict CSP (scripts, styles
 * and connections only from this origin, no inline code, never framed), nosniff, frame and
 * referrer policies. `upgrade-insecure-requests` is left out: a plain-HTTP deployment behind a
 * TLS-less gateway would otherwise ask browsers for https subresources that do not exist.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        // Socket.IO's websocket to this same host ('self' does not cover ws: everywhere).
        connectSrc: [
          "'self'",
          (req) => `ws://${req.headers.host ?? 'localhost'}`,
          (req) => `wss://${req.headers.host ?? 'localhost'}`,
        ],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/** The app with all its routes at once (tests); a node builds it in two steps (`createHttpShell`, `mountRoutes`). */
export function createHttpApp(deps: HttpDeps): express.Express {
  return mountRoutes(createHttpShell(deps), deps);
}

/**
 * The first step: headers, body parsing and `/healthz`, so the HTTP server and Socket.IO can be
 * built on it before the parts whose routes `mountRoutes` adds (nothing listens yet).
 */
export function createHttpShell(deps: Omit<HttpDeps, 'routers' | 'extras'>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // The gateway's X-Forwarded-For names the client (per-address login limits), believed only when
  // the peer is one of the configured gateways (TRUSTED_PROXIES): a client's own header, from any
  // other peer, is ignored and the peer address counts.
  app.set('trust proxy', deps.trustProxy);
  app.use(securityHeaders());
  app.use(express.json({ limit: '16kb' }));

  app.get('/healthz', async (_req, res) => {
    const ok = await deps.healthy();
    res.status(ok ? 200 : 503).json({ ok, nodeId: deps.nodeId });
  });
  return app;
}

/** The second step: the routers, the extras, the `/api` 404 and the error handler, in that order. */
export function mountRoutes(
  app: express.Express,
  deps: Pick<HttpDeps, 'logger' | 'routers' | 'extras'>,
): express.Express {
  for (const router of deps.routers) app.use(router);
  for (const extra of deps.extras ?? []) app.use(extra);

  app.use('/api', (_req, _res, next) => next(new AppError(ErrorCode.NOT_FOUND, 'no such endpoint')));
  const onError: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    let appErr: unknown = err;
    // body-parser errors carry a `type`: malformed JSON, a body over the limit, …
    if (err instanceof Error && 'type' in err && typeof err.type === 'string') {
      appErr = new AppError(
        ErrorCode.VALIDATION_ERROR,
        err.type === 'entity.too.large' ? 'body too large' : 'malformed body',
      );
    }
    if (!(appErr instanceof AppError))
      deps.logger.error({ err, method: req.method, route: routePattern(req) }, 'request failed');
    const body = toErrorBody(appErr);
    const retryAfterMs = retryAfterOf(body.details);
    if (body.code === ErrorCode.RATE_LIMITED && retryAfterMs !== null)
      res.set('retry-after', String(Math.ceil(retryAfterMs / 1000)));
    res.status(HTTP_STATUS[body.code]).json({ error: body });
  };
  app.use(onError);
  return app;
}

/**
 * The pattern of the route that failed (`/api/calendar/feeds/:file`), never the path itself: a
 * path can carry a secret (a feed URL's token is the feed's only key) and logs travel further
 * than the database. A failure outside any route logs null.
 */
export function routePattern(req: Request): string | null {
  const route: unknown = req.route;
  if (!route || typeof route !== 'object' || !('path' in route)) return null;
  return `${req.baseUrl}${String(route.path)}`;
}

function retryAfterOf(details: unknown): number | null {
  if (!details || typeof details !== 'object' || !('retryAfterMs' in details)) return null;
  return typeof details.retryAfterMs === 'number' ? details.retryAfterMs : null;
}

/** Equal-time comparison of two secrets of any length (hashed first, so lengths do not leak). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * `GET /metrics` in Prometheus' text format; with a token, only for `Authorization: Bearer
 * <token>` (401 otherwise). The gateway never forwards `/metrics` either: the scraper talks to
 * each node directly.
 */
export function metricsRoute(metrics: Metrics, token: string | null): RequestHandler {
  const router = express.Router();
  router.get('/metrics', async (req, res) => {
    if (token !== null && !sameSecret(bearerToken(req), token)) {
      res
        .set('www-authenticate', 'Bearer')
        .status(401)
        .json({ error: { code: ErrorCode.UNAUTHORIZED, message: 'metrics token required' } });
      return;
    }
    res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
