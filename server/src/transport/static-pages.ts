/**
 * The built booking page at `/` and staff dashboard at `/admin`, when they have been built (`npm run
 * server` and `npm start` build them first; a node started otherwise says in its log which one it
 * cannot serve). Source maps stay on disk for the developers: they are never served (they would
 * publish the source).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import type { Logger } from '../infra/logger';

const ROOT = join(__dirname, '..', '..', '..');

export function staticPages(logger: Logger): express.RequestHandler[] {
  const pages: Array<[string, string]> = [
    ['/admin', join(ROOT, 'admin-desktop', 'dist', 'renderer')],
    ['/', join(ROOT, 'web', 'dist')],
  ];
  const handlers: express.RequestHandler[] = [
    (req, res, next) => {
      if (req.path.endsWith('.map')) res.status(404).type('text/plain').send('not found');
      else next();
    },
  ];
  for (const [mount, dir] of pages) {
    if (!existsSync(join(dir, 'index.html'))) {
      logger.warn({ mount, dir }, 'page not built, not served: run npm run build:web and npm run build:admin');
      continue;
    }
    const router = express.Router();
    router.use(mount, express.static(dir, { index: 'index.html', maxAge: '1h' }));
    // Single-page apps: unknown non-API paths under the mount get the page itself.
    router.get(mount === '/' ? /^\/(?!api\/|admin|socket\.io).*/ : /^\/admin(\/.*)?$/, (_req, res) =>
      res.sendFile(join(dir, 'index.html')),
    );
    handlers.push(router);
  }
  return handlers;
}
