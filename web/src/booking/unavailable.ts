/** Why an unavailable cell cannot be chosen, in the resource's own terms. */
import { policyRuleSentence } from '@booking/client';
import type { Policy, Resource } from '@booking/shared';
import type { Unavailable } from './availability-grid';
import { freeUnits } from './capacity';
import type { CellContext } from './cell-state';
import type { GridCell, LocalGrid } from './local-grid';
import { translate } from '../i18n';

/** Why a cell of a resource of several units is too full: none free, or fewer than the quantity chosen. */
function tooFew(cell: GridCell, ctx: CellContext): string {
  const free = freeUnits(ctx.occupancy, ctx.capacity, cell.start, cell.end);
  if (free === 0) return translate('unavailable.allBooked', { capacity: ctx.capacity });
  return translate('unavailable.fewFree', { free, capacity: ctx.capacity });
}

export function explainUnavailable(
  state: Unavailable,
  cell: GridCell,
  o: { grid: LocalGrid; policy: Policy; resource: Resource | null; now: number; context: CellContext },
): string {
  if (state === 'taken' && o.context.capacity > 1) return tooFew(cell, o.context);
  if (state === 'taken') return translate('unavailable.taken');
  if (state === 'past') return translate('unavailable.past');
  if (state === 'closed') {
    const day = o.grid.days.find((d) => d.from <= cell.start && cell.start < d.to)?.date ?? '';
    return policyRuleSentence(o.policy.closures.some((c) => c.date === day) ? 'closure' : 'openingHours', o.resource);
  }
  return policyRuleSentence(cell.start < o.now + o.policy.minNoticeMinutes * 60_000 ? 'notice' : 'advance', o.resource);
}
