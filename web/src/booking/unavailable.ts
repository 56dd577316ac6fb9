/** Why an unavailable cell cannot be chosen, in the resource's own terms. */
import { policyRuleSentence } from '@booking/client';
import type { Policy, Resource } from '@booking/shared';
import type { Unavailable } from './availability-grid';
import type { GridCell, LocalGrid } from './local-grid';

export function explainUnavailable(
  state: Unavailable,
  cell: GridCell,
  o: { grid: LocalGrid; policy: Policy; resource: Resource | null; now: number },
): string {
  if (state === 'taken') return 'That time is already booked by someone else. Pick a free time.';
  if (state === 'past') return 'That time has already passed. Pick a later time.';
  if (state === 'closed') {
    const day = o.grid.days.find((d) => d.from <= cell.start && cell.start < d.to)?.date ?? '';
    return policyRuleSentence(o.policy.closures.some((c) => c.date === day) ? 'closure' : 'openingHours', o.resource);
  }
  return policyRuleSentence(cell.start < o.now + o.policy.minNoticeMinutes * 60_000 ? 'notice' : 'advance', o.resource);
}
