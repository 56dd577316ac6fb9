/**
 * (v3) Room displays: created and revoked by staff, each with a token (shown once, in the URL
 * fragment; stored as its SHA-256) and its own service account, a user who cannot sign in (no
 * password, no single-sign-on identity) and owns the display's walk-in bookings.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { ErrorCode } from '@booking/shared';
import type { Display } from '@booking/shared';
import type { UserStore } from '../auth/user.store';
import type { Clock } from '../infra/clock';
import type { Principal } from '../infra/contract';
import { AppError } from '../infra/errors';
import type { Logger } from '../infra/logger';
import type { ResourceDirectory } from '../resources/resource.directory';
import type { DisplayDoc } from './display.model';
import { toWireDisplay } from './display.store';
import type { DisplayStore } from './display.store';

/** The undeliverable domain (RFC 2606 `.invalid`) of every display's service account. */
export const DISPLAY_EMAIL_DOMAIN = 'displays.invalid';

/** A connected display: which one, its resource, and the principal its commands act as. */
export interface DisplayIdentity {
  displayId: string;
  resourceId: string;
  principal: Principal;
}

export interface DisplayService {
  create(input: { resourceId: string; name: string }): Promise<{ display: Display; url: string }>;
  list(): Promise<Display[]>;
  revoke(id: string): Promise<void>;
  /** The display a token opens, or null (unknown, revoked, or its resource is gone: then it is revoked). */
  authenticate(token: unknown): Promise<DisplayIdentity | null>;
  /** Displays of a deleted resource are revoked (and disconnected). */
  resourceGone(resourceId: string): Promise<void>;
  touch(displayId: string): Promise<void>;
  revokedAmong(ids: readonly string[]): Promise<Set<string>>;
}

export const hashDisplayToken = (token: string): string => createHash('sha256').update(token).digest('hex');

const principalOf = (doc: DisplayDoc): Principal => ({
  id: doc.serviceUserId.toHexString(),
  name: `Display: ${doc.name}`,
  role: 'user',
});

export function createDisplayService(deps: {
  store: DisplayStore;
  users: Pick<UserStore, 'insert'>;
  directory: Pick<ResourceDirectory, 'get'>;
  publicUrl: string;
  clock: Clock;
  logger: Logger;
  /** Disconnects these displays' sockets on every node (the adapter). */
  disconnect: (displayIds: readonly string[]) => void;
}): DisplayService {
  const { store, clock } = deps;
  const log = deps.logger.child({ part: 'displays' });
  const resourceGone = async (resourceId: string): Promise<void> => {
    const ids = await store.revokeForResource(resourceId, clock.now());
    if (ids.length === 0) return;
    deps.disconnect(ids);
    log.info({ resourceId, displays: ids.length }, 'resource deleted: its displays revoked');
  };
  return {
    async create({ resourceId, name }) {
      if (!(await deps.directory.get(resourceId))) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      const id = new Types.ObjectId();
      const token = randomBytes(32).toString('base64url');
      const user = await deps.users.insert({
        name: `Display: ${name}`,
        email: `display-${id.toHexString()}@${DISPLAY_EMAIL_DOMAIN}`,
        role: 'user',
        // No password and no provider identity: nobody signs in as it; nothing asks to verify it.
        emailVerified: true,
      });
      const doc = await store.insert({
        _id: id,
        resourceId: new Types.ObjectId(resourceId),
        name,
        tokenHash: hashDisplayToken(token),
        serviceUserId: user._id,
        createdAt: clock.now(),
      });
      log.info({ displayId: id.toHexString(), resourceId }, 'display created');
      return { display: toWireDisplay(doc), url: `${deps.publicUrl.replace(/\/+$/, '')}/display/#${token}` };
    },
    async list() {
      return (await store.list()).map(toWireDisplay);
    },
    async revoke(id) {
      const doc = await store.revoke(id, clock.now());
      if (!doc) throw new AppError(ErrorCode.NOT_FOUND, 'no such display');
      deps.disconnect([id]);
      log.info({ displayId: id }, 'display revoked');
    },
    async authenticate(token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > 200) return null;
      const doc = await store.byTokenHash(hashDisplayToken(token));
      if (!doc || doc.revokedAt) return null;
      const resourceId = doc.resourceId.toHexString();
      if (!(await deps.directory.get(resourceId))) {
        await resourceGone(resourceId);
        return null;
      }
      return { displayId: doc._id.toHexString(), resourceId, principal: principalOf(doc) };
    },
    resourceGone,
    touch: (displayId) => store.touch(displayId, clock.now()),
    revokedAmong: (ids) => store.revokedAmong(ids),
  };
}
