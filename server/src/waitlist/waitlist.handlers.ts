import { Empty, WaitlistJoin, WaitlistLeave } from '@booking/shared';
import type { ClientToServerEvents } from '@booking/shared';
import type { CommandOn } from '../infra/contract';
import type { WaitlistService } from './waitlist.service';

type On = CommandOn<ClientToServerEvents>;

export function registerWaitlistHandlers(on: On, waitlist: WaitlistService): void {
  on('waitlist:join', WaitlistJoin, async (d, { principal }) => ({
    entry: await waitlist.join({
      principal,
      resourceId: d.resourceId,
      start: d.start,
      end: d.end,
      quantity: d.quantity ?? 1,
    }),
  }));
  on('waitlist:leave', WaitlistLeave, async (d, { principal }) => ({
    entry: await waitlist.leave({ principal, entryId: d.entryId }),
  }));
  on('waitlist:mine', Empty, async (_d, { principal }) => ({ entries: await waitlist.mine(principal) }));
}
