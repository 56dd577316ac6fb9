import { Router } from 'express';
import { ErrorCode, ResourceCreate } from '@booking/shared';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../infra/errors';
import { parseOrThrow, principalOf, requireAuth } from '../infra/http-kit';
import { allowed } from '../access/resource-access';
import type { ResourceService } from './resource.service';

export function resourceRouter(deps: { auth: AuthService; resources: ResourceService }): Router {
  const router = Router();
  router.get('/api/resources', requireAuth(deps.auth), async (_req, res) => {
    // (v3) Only those the caller may view.
    res.json({ resources: allowed(principalOf(res), await deps.resources.list()) });
  });
  router.post('/api/resources', requireAuth(deps.auth), async (req, res) => {
    if (principalOf(res).role !== 'staff') throw new AppError(ErrorCode.FORBIDDEN, 'staff only');
    res.status(201).json({ resource: await deps.resources.create(parseOrThrow(ResourceCreate, req.body)) });
  });
  return router;
}
