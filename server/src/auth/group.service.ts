/**
 * (v3) `group:*` and `user:setGroups` (docs/protocol.md "Identity, groups and access"). Groups with
 * an `externalId` belong to the sign-in provider: only a sign-in or a refresh sets them, so
 * `user:setGroups` naming one answers INVALID_STATE. A change of anyone's groups bumps their token
 * version: their sockets close on every namespace within the session check's period (5 s).
 */
import { ErrorCode } from '@booking/shared';
import type { Group, User } from '@booking/shared';
import { AppError } from '../infra/errors';
import type { Logger } from '../infra/logger';
import type { GroupStore } from './group.store';
import type { UserStore } from './user.store';

export interface GroupService {
  create(input: { name: string; externalId?: string }): Promise<Group>;
  update(input: { id: string; name?: string; externalId?: string | null }): Promise<Group>;
  remove(id: string): Promise<void>;
  list(): Promise<Group[]>;
  setUserGroups(userId: string, groupIds: string[]): Promise<User>;
}

export function createGroupService(deps: { groups: GroupStore; users: UserStore; logger: Logger }): GroupService {
  const { groups, users } = deps;
  return {
    create: (input) => groups.create(input),
    update: ({ id, ...patch }) => groups.update(id, patch),
    async remove(id) {
      if (!(await groups.remove(id))) throw new AppError(ErrorCode.NOT_FOUND, 'no such group');
      const members = await users.removeGroup(id);
      deps.logger.info({ groupId: id, members }, 'group deleted');
    },
    list: () => groups.list(),
    async setUserGroups(userId, groupIds) {
      const wanted = [...new Set(groupIds)];
      const found = await groups.byIds(wanted);
      if (found.length !== wanted.length) throw new AppError(ErrorCode.NOT_FOUND, 'no such group');
      if (found.some((g) => g.externalId !== undefined)) {
        throw new AppError(ErrorCode.INVALID_STATE, 'groups with an externalId come from the sign-in provider');
      }
      const doc = await users.findById(userId);
      if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such user');
      // The provider's groups stay as they are; the others become exactly `groupIds`.
      const externalIds = new Set((await groups.external()).map((g) => g.id));
      const kept = (doc.groups ?? []).filter((id) => externalIds.has(id));
      const res = await users.setGroups(userId, [...kept, ...wanted]);
      if (!res) throw new AppError(ErrorCode.NOT_FOUND, 'no such user');
      if (res.changed) deps.logger.info({ userId }, 'groups changed; tokens revoked');
      return res.user;
    },
  };
}
