/** (v3) What a node hands the report routes: its models, clock and logger, and who may call (people and API keys). */
import type { Clock } from '../infra/clock';
import type { Logger } from '../infra/logger';
import { requireCaller, requireScope } from '../integrations/api-access';
import type { ApiAccessDeps } from '../integrations/api-access';
import type { ReportRouterDeps } from './report.routes';
import type { ReportModels } from './utilisation';

export function reportDeps(
  base: { clock: Clock; logger: Logger },
  models: ReportModels,
  apiAccess: ApiAccessDeps,
): Omit<ReportRouterDeps, 'resources'> {
  return {
    caller: requireCaller(apiAccess),
    scope: requireScope('reports:read'),
    models,
    clock: base.clock,
    logger: base.logger,
  };
}
