/** The dashboard's state: the day (kept by `day-sync.ts`) and what staff pick and type. */
import type { User } from '@booking/shared';
import type { DayState } from './day-sync';

export interface DashboardState extends DayState {
  users: User[];
  userQuery: string;
  selectedId: string | null;
  /** The failed-job count last seen in `stats` (a rise raises a desktop notification). */
  failedSeen: number | null;
}
