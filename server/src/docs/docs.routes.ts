import { Router } from 'express';
import { buildAsyncApi, buildOpenApi } from './api.documents';
import { DOCS_CSS, renderDocsPage } from './docs.page';

/**
 * `GET /api/openapi.json`, `GET /api/asyncapi.json` and the page at `/docs`, generated once when
 * the node starts (from the same registry, so they never disagree).
 */
export function docsRouter(): Router {
  const openapi = buildOpenApi();
  const asyncapi = buildAsyncApi();
  const page = renderDocsPage({ openapi, asyncapi });
  const router = Router();
  router.get('/api/openapi.json', (_req, res) => void res.json(openapi));
  router.get('/api/asyncapi.json', (_req, res) => void res.json(asyncapi));
  router.get('/docs', (_req, res) => void res.type('html').send(page));
  router.get(
    '/docs/docs.css',
    (_req, res) => void res.type('css').set('cache-control', 'public, max-age=3600').send(DOCS_CSS),
  );
  return router;
}
