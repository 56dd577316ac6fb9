/**
 * (v3) Staff's dashboard and a manager's: a manager (a user in a resource's managers group) sees
 * only the resources they manage and none of staff's own panels (groups and people's groups,
 * notifications retry, the new-resource form, the access editor), which the server refuses them
 * anyway (FORBIDDEN). Which one is shown is decided from the signed-in user's role; the token's
 * claim is read for display only, the server checks every command.
 */
import type { Role } from '@booking/shared';
import { t } from './i18n';

/** The dashboard's panels that only staff see, by the id of their element in the layout. */
export const STAFF_ONLY_PANELS = [
  'groups-panel',
  'failed-panel',
  'new-resource',
  'access-panel',
  'api-keys-panel',
  'webhooks-panel',
  'displays-panel',
] as const;
export type StaffOnlyPanel = (typeof STAFF_ONLY_PANELS)[number];

export interface DashboardScope {
  role: Role;
  /** The staff-only panels shown: all of them for staff, none for a manager. */
  staffPanels: readonly StaffOnlyPanel[];
  /** The heading's word for who is signed in. */
  title: string;
}

export function dashboardScope(role: Role): DashboardScope {
  return role === 'staff'
    ? { role, staffPanels: STAFF_ONLY_PANELS, title: t('role.staff') }
    : { role, staffPanels: [], title: t('role.manager') };
}

/** The line that says the view is narrowed (null for staff, who see everything). */
export function scopeNote(role: Role, managed: number): string | null {
  if (role === 'staff') return null;
  if (managed === 0) return t('scope.none');
  return t('scope.some', { count: managed });
}

/** The role claim of a token (display only); anything unreadable counts as a user's. */
export function roleFromToken(token: string): Role {
  const part = token.split('.')[1];
  if (!part) return 'user';
  try {
    const claims: unknown = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
    const role: unknown = typeof claims === 'object' && claims !== null ? Reflect.get(claims, 'role') : undefined;
    return role === 'staff' ? 'staff' : 'user';
  } catch {
    return 'user';
  }
}

/** Takes staff's own panels out of a manager's page, and says how narrowed the view is. */
export function applyScope(
  scope: DashboardScope,
  el: { scope: HTMLElement; role: HTMLElement },
): (managed: number) => void {
  el.role.textContent = scope.title;
  for (const id of STAFF_ONLY_PANELS) if (!scope.staffPanels.includes(id)) document.getElementById(id)?.remove();
  return (managed) => {
    const note = scopeNote(scope.role, managed);
    el.scope.textContent = note ?? '';
    el.scope.hidden = note === null;
  };
}
