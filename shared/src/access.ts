/**
 * (v3) Who may view, book and manage a resource (docs/protocol.md "Identity, groups and access").
 * One pure function of the person (role and groups) and the resource's `access` answers all three;
 * every surface of the server calls it (through `server/src/access/`), and the booking page and the
 * dashboard call the same one to show what a person may do.
 *
 * - `access` null: every signed-in person may view and book.
 * - `visibleTo` null: everyone may view; else only members of those groups (and of the groups that
 *   may book or manage, since a group that may book may also view).
 * - `bookableBy` null: everyone who may view may book; else only members of those groups.
 * - `managers`: members act as staff for this resource on `/admin` (and may view and book it).
 * - Staff may view, book and manage everything.
 */
import { z } from 'zod';

/** At most this many groups in each of a resource's lists. */
export const MAX_ACCESS_GROUPS = 50;

const GroupIds = z
  .array(z.string().min(1).max(64))
  .max(MAX_ACCESS_GROUPS)
  .transform((ids) => [...new Set(ids)]);

export const ResourceAccessSchema = z.strictObject({
  visibleTo: GroupIds.nullable().default(null),
  bookableBy: GroupIds.nullable().default(null),
  managers: GroupIds.default([]),
});

/** A resource's access, whole. */
export interface ResourceAccess {
  visibleTo: string[] | null;
  bookableBy: string[] | null;
  managers: string[];
}

/** What the rules need of a person. */
export interface AccessPerson {
  role: 'user' | 'staff';
  groups: readonly string[];
}

/** What a person may do with one resource. */
export type AccessRight = 'view' | 'book' | 'manage';

const memberOf = (person: AccessPerson, groups: readonly string[]): boolean =>
  groups.some((g) => person.groups.includes(g));

/** Whether `person` may `right` a resource whose access is `access`. */
export function mayAccess(person: AccessPerson, access: ResourceAccess | null, right: AccessRight): boolean {
  if (person.role === 'staff') return true;
  if (access === null) return right !== 'manage';
  const manages = memberOf(person, access.managers);
  if (right === 'manage') return manages;
  if (manages) return true;
  const books = access.bookableBy === null ? null : memberOf(person, access.bookableBy);
  if (books === true) return true;
  const views = access.visibleTo === null || memberOf(person, access.visibleTo);
  if (right === 'view') return views;
  return views && books === null;
}

/**
 * The groups whose members may view a resource (viewers, bookers and managers), or null when
 * everyone may: where a restricted resource's broadcasts go (one room per group, and staff).
 */
export function viewerGroups(access: ResourceAccess | null): string[] | null {
  if (access === null || access.visibleTo === null) return null;
  return [...new Set([...access.visibleTo, ...(access.bookableBy ?? []), ...access.managers])];
}
