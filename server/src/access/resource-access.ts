/**
 * (v3) The one place the server decides who may view, book and manage a resource
 * (docs/protocol.md "Identity, groups and access"). The rule itself is `mayAccess` (shared, so the
 * page and the dashboard show the same); this module applies it to a principal and a resource id
 * and answers the contract's errors: a resource the caller may not view answers exactly as one
 * that does not exist (NOT_FOUND), one they may view but not book (or manage) FORBIDDEN.
 *
 * Every surface calls it: the lists, availability, `slots:find` and `slots:watch`, the booking
 * and waitlist commands, feeds, the dashboard and its broadcasts.
 */
import { ErrorCode, mayAccess, viewerGroups } from '@booking/shared';
import type { AccessPerson, AccessRight, Resource, ResourceAccess } from '@booking/shared';
import { AppError } from '../infra/errors';
import type { Principal } from '../infra/contract';
import type { ResourceDirectory } from '../resources/resource.directory';

/** The person the rules see in a principal (no groups when it carries none). */
export function personOf(principal: Pick<Principal, 'role' | 'groups'>): AccessPerson {
  return { role: principal.role, groups: principal.groups ?? [] };
}

/** Whether `principal` may `right` `resource`. */
export function may(
  principal: Pick<Principal, 'role' | 'groups'>,
  resource: Pick<Resource, 'access'>,
  right: AccessRight,
): boolean {
  return mayAccess(personOf(principal), resource.access, right);
}

/** The resources of `list` the principal may `right` (default: view), in their order. */
export function allowed<R extends Pick<Resource, 'access'>>(
  principal: Pick<Principal, 'role' | 'groups'>,
  list: readonly R[],
  right: AccessRight = 'view',
): R[] {
  const person = personOf(principal);
  return list.filter((r) => mayAccess(person, r.access, right));
}

/** Whether a principal manages at least one of `list` (a manager may open `/admin`). */
export function managesAny(
  principal: Pick<Principal, 'role' | 'groups'>,
  list: readonly Pick<Resource, 'access'>[],
): boolean {
  const person = personOf(principal);
  return person.role === 'staff' || list.some((r) => mayAccess(person, r.access, 'manage'));
}

export { viewerGroups };
export type { ResourceAccess };

export interface AccessGate {
  /**
   * The resource, when the principal may `right` it. NOT_FOUND when it does not exist or they may
   * not view it; FORBIDDEN when they may view it but not `right` it.
   */
  require(principal: Pick<Principal, 'role' | 'groups'>, resourceId: string, right: AccessRight): Promise<Resource>;
  /** The ids among `ids` of resources the principal may view, in their order (others dropped, unknown ids too). */
  viewable(principal: Pick<Principal, 'role' | 'groups'>, ids: readonly string[]): Promise<string[]>;
}

export function createAccessGate(directory: Pick<ResourceDirectory, 'get' | 'known'>): AccessGate {
  return {
    async require(principal, resourceId, right) {
      const resource = await directory.get(resourceId);
      if (!resource || !may(principal, resource, 'view')) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      // `details.reason` is what clients decide by (as `unverified` for an unconfirmed account).
      if (right === 'book' && !may(principal, resource, 'book'))
        throw new AppError(ErrorCode.FORBIDDEN, 'you may view this resource but not book it', {
          details: { reason: 'notBookable' },
        });
      if (right === 'manage' && !may(principal, resource, 'manage'))
        throw new AppError(ErrorCode.FORBIDDEN, 'you do not manage this resource', {
          details: { reason: 'notManager' },
        });
      return resource;
    },
    async viewable(principal, ids) {
      const known = await directory.known(ids);
      const resources = await Promise.all(known.map((id) => directory.get(id)));
      return known.filter((_id, i) => {
        const r = resources[i];
        return r !== null && r !== undefined && may(principal, r, 'view');
      });
    },
  };
}
