/** (v3) The `/admin` display commands: staff only (a resource's manager is FORBIDDEN). */
import { DisplayCreate, DisplayRevoke, Empty } from '@booking/shared';
import type { AdminCommandSet } from '../admin/admin.handlers';
import type { DisplayService } from './display.service';

export function displayCommandSet(displays: DisplayService): AdminCommandSet {
  return (on, scope) => {
    on('display:create', DisplayCreate, async (d, { principal }) => {
      scope.staffOnly(principal);
      return displays.create(d);
    });
    on('display:list', Empty, async (_d, { principal }) => {
      scope.staffOnly(principal);
      return { displays: await displays.list() };
    });
    on('display:revoke', DisplayRevoke, async (d, { principal }) => {
      scope.staffOnly(principal);
      await displays.revoke(d.id);
      return {};
    });
  };
}
