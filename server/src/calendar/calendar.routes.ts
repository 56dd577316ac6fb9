import { Router } from 'express';
import type { Request } from 'express';
import { ErrorCode } from '@booking/shared';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../infra/errors';
import { parseOrThrow, principalOf, requireAuth } from '../infra/http-kit';
import { CalendarFeedCreate } from './calendar.schemas';
import type { CalendarService } from './calendar.service';

/** The absolute URL of this server as the caller reached it (`trust proxy`: the gateway's scheme and host). */
const originOf = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** `POST` / `DELETE /api/calendar/feeds` and the feeds themselves (docs/protocol.md "HTTP", v2). */
export function calendarRouter(deps: { auth: AuthService; calendar: CalendarService }): Router {
  const router = Router();
  router.post('/api/calendar/feeds', requireAuth(deps.auth), async (req, res) => {
    const body = parseOrThrow(CalendarFeedCreate, req.body);
    const { path } = await deps.calendar.create(principalOf(res), body);
    res.status(201).json({ url: `${originOf(req)}${path}` });
  });
  router.delete('/api/calendar/feeds', requireAuth(deps.auth), async (_req, res) => {
    await deps.calendar.revokeAll(principalOf(res));
    res.status(204).end();
  });
  // No Authorization header: calendar programs only know the URL, which is the secret.
  router.get('/api/calendar/feeds/:file', async (req, res) => {
    const file = req.params.file;
    const token = file.endsWith('.ics') ? file.slice(0, -4) : file;
    // The client's address as the trusted gateway saw it (`trust proxy`), else the peer's.
    const answer = await deps.calendar.serve({
      token,
      ifNoneMatch: req.get('if-none-match'),
      address: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    });
    if (answer.status === 404) throw new AppError(ErrorCode.NOT_FOUND, 'no such feed');
    // Revalidate on every poll: the ETag makes an unchanged feed a 304 without a body.
    res.set({ etag: answer.etag, 'cache-control': 'private, no-cache' });
    if (answer.status === 304) {
      res.status(304).end();
      return;
    }
    res
      .status(200)
      .type('text/calendar; charset=utf-8')
      .set('content-disposition', 'inline; filename="bookings.ics"')
      .send(answer.body);
  });
  return router;
}
