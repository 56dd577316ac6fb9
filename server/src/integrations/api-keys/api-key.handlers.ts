/** (v3) The `/admin` API-key commands: staff only (a manager is FORBIDDEN). */
import { ApiKeyCreate, ApiKeyList, ApiKeyRevoke } from '@booking/shared';
import type { AdminCommandSet } from '../../admin/admin.handlers';
import type { ApiKeyService } from './api-key.service';

export function apiKeyCommandSet(apiKeys: ApiKeyService): AdminCommandSet {
  return (on, scope) => {
    on('apiKey:create', ApiKeyCreate, async (d, { principal }) => {
      scope.staffOnly(principal);
      return apiKeys.create(d, principal.id);
    });
    on('apiKey:list', ApiKeyList, async (_d, { principal }) => {
      scope.staffOnly(principal);
      return { keys: await apiKeys.list() };
    });
    on('apiKey:revoke', ApiKeyRevoke, async (d, { principal }) => {
      scope.staffOnly(principal);
      await apiKeys.revoke(d.id);
      return {};
    });
  };
}
