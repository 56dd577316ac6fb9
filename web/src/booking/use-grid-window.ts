/**
 * The grid of the shown days in the resource's zone, the instants it spans (`from`, `to`: what
 * availability is read for) and its open stretches by the shared `openStretches`, the same
 * function the server decides with.
 */
import { useMemo } from 'react';
import { localDayRange, openStretches } from '@booking/shared';
import type { Policy } from '@booking/shared';
import { buildGrid } from './local-grid';
import type { LocalGrid, ViewMode } from './local-grid';

export interface GridWindow {
  grid: LocalGrid;
  from: string;
  to: string;
  open: Array<{ start: number; end: number }>;
}

export function useGridWindow(o: { anchor: string; mode: ViewMode; zone: string; policy: Policy }): GridWindow {
  const { anchor, mode, zone, policy } = o;
  const grid = useMemo(
    () => buildGrid({ anchor, mode, zone, slotMinutes: policy.slotMinutes }),
    [anchor, mode, zone, policy.slotMinutes],
  );
  const firstDay = grid.days[0];
  const lastDay = grid.days[grid.days.length - 1];
  const from = new Date(firstDay?.from ?? localDayRange(anchor, zone).from.getTime()).toISOString();
  const to = new Date(lastDay?.to ?? localDayRange(anchor, zone).to.getTime()).toISOString();
  const open = useMemo(
    () =>
      openStretches(policy, zone, new Date(from), new Date(to)).map((o) => ({
        start: o.start.getTime(),
        end: o.end.getTime(),
      })),
    [policy, zone, from, to],
  );
  return { grid, from, to, open };
}
