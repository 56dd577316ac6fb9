/**
 * (v3, issue 27) What the signed-in person may do with a resource, as the server decides it (the
 * shared `mayAccess`): the list holds only resources they may view, and one they may view but not
 * book is shown view only (its grid shows busy and free, nothing can be selected or booked). A
 * booking command refused because access changed meanwhile (`FORBIDDEN`, `details.reason`
 * `notBookable`) reads the same sentence as the view-only note.
 */
import { commonTranslator, mayAccess } from '@booking/shared';
import type { AccessPerson, AccessRight, Resource, User } from '@booking/shared';
import { currentLocale } from '../i18n';

/** The note of a view-only resource, and the sentence of a refusal because it is not bookable. */
export const viewOnlySentence = (): string => commonTranslator(currentLocale()).t('access.notBookable');

/** The person as the access rules need them. */
export function accessPerson(user: Pick<User, 'role' | 'groups'>): AccessPerson {
  return { role: user.role, groups: user.groups ?? [] };
}

/** Whether `user` may `right` the resource (`null`: no resource, nothing to forbid). */
export function mayOnResource(
  user: Pick<User, 'role' | 'groups'>,
  resource: Resource | null,
  right: AccessRight,
): boolean {
  return resource === null || mayAccess(accessPerson(user), resource.access ?? null, right);
}

/** The access sentence of a refusal because the resource may not be booked, else null (other errors read as usual). */
export function describeAccessError(error: { code: string; details?: unknown }): string | null {
  const { details } = error;
  const notBookable =
    error.code === 'FORBIDDEN' &&
    typeof details === 'object' &&
    details !== null &&
    'reason' in details &&
    details.reason === 'notBookable';
  return notBookable ? viewOnlySentence() : null;
}
