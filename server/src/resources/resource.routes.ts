import { Router } from 'express';
import { ErrorCode, ResourceCreate } from '@booking/shared';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../infra/errors';
import { parseOrThrow, principalOf, requireAuth } from '../infra/http-kit';
import { allowed } from '../access/resource-access';
import type { ResourceService } from './resource.service';
import { keyHasScope, requireCaller } from '../integrations/api-access';
import type { ApiAccessDeps } from '../integrations/api-access';

export function resourceRouter(deps: {
  auth: AuthService;
  resources: ResourceService;
  apiAccess?: ApiAccessDeps;
}): Router {
  const router = Router();
  // (v3) API keys too, with `resources:read` or `bookings:read`.
  const reader = deps.apiAccess ? requireCaller(deps.apiAccess) : requireAuth(deps.auth);
  router.get('/api/resources', reader, async (_req, res) => {
    const p = principalOf(res);
    if (p.apiKey && !keyHasScope(p, 'resources:read') && !keyHasScope(p, 'bookings:read'))
      throw new AppError(ErrorCode.FORBIDDEN, 'this API key lacks the scope resources:read');
    // (v3) Only those the caller may view.
    res.json({ resources: allowed(principalOf(res), await deps.resources.list()) });
  });
  router.post('/api/resources', requireAuth(deps.auth), async (req, res) => {
    if (principalOf(res).role !== 'staff') throw new AppError(ErrorCode.FORBIDDEN, 'staff only');
    res.status(201).json({ resource: await deps.resources.create(parseOrThrow(ResourceCreate, req.body)) });
  });
  return router;
}
