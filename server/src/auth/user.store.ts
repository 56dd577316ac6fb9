/**
 * The only code that touches the `users` collection (with `email-verification.store.ts`, which
 * owns the verification fields). Other capabilities (admin, notifications) reach users through
 * these interfaces, never through the model.
 */
import mongoose from 'mongoose';
import type { ClientSession } from 'mongoose';
import { ErrorCode, isLocale } from '@booking/shared';
import type { Locale, Role, User } from '@booking/shared';
import { AppError } from '../infra/errors';
import { objectIdOrNull } from '../infra/ids';
import type { UserDoc, UserModel } from './user.model';

export function toWireUser(
  doc: Pick<UserDoc, '_id' | 'name' | 'email' | 'role' | 'emailVerified' | 'groups' | 'locale'>,
): User {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    email: doc.email,
    role: doc.role,
    emailVerified: doc.emailVerified !== false,
    groups: doc.groups ?? [],
    locale: isLocale(doc.locale) ? doc.locale : 'en',
  };
}

/** The fields `toWireUser` reads. */
const WIRE_FIELDS = { name: 1, email: 1, role: 1, emailVerified: 1, groups: 1, locale: 1 } as const;

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

export interface NewUser {
  name: string;
  email: string;
  /** Missing on a single-sign-on account. */
  passwordHash?: string;
  role: Role;
  groups?: string[];
  oidc?: { issuer: string; subject: string; refreshToken?: string };
  /** False: a verification mail is asked for at once (`verifyMail`). */
  emailVerified?: boolean;
  verifyMail?: { requestedAt: Date };
  /** (v3) The person's language (absent: read as `en`). */
  locale?: Locale;
}

/** What a token is checked against at every handshake. */
export interface SessionState {
  name: string;
  role: Role;
  tokenVersion: number;
  /** (v3) Group ids; every change bumps `tokenVersion`, so they are fixed for one token version. */
  groups: string[];
}

export interface UserStore {
  /** Throws AppError(EMAIL_TAKEN) when the email is registered already. */
  insert(user: NewUser): Promise<UserDoc>;
  findByEmail(email: string): Promise<UserDoc | null>;
  findById(userId: string): Promise<UserDoc | null>;
  emailExists(email: string): Promise<boolean>;
  /** Name, email and (v3) language of one user (for notifications), or null when there is no such user. */
  contact(userId: string): Promise<{ name: string; email: string; locale: Locale } | null>;
  /** Names by user id; ids that name nobody are left out. */
  names(userIds: string[]): Promise<Map<string, string>>;
  /** (v3) The ids of staff members, oldest first, at most `limit` (the approvers every request is sent to). */
  staffIds(limit: number, session?: ClientSession): Promise<string[]>;
  /** (v3) Ids of the people in any of `groupIds`, oldest first, at most `limit`. */
  inGroups(groupIds: readonly string[], limit: number, session?: ClientSession): Promise<string[]>;
  /** Newest first; `query` matches name or email, case-insensitively. */
  list(opts: { query?: string; limit: number }): Promise<User[]>;
  /** The current session state of one user, or null when there is no such user. */
  session(userId: string): Promise<SessionState | null>;
  /** Session states by user id; ids that name nobody are left out. */
  sessions(userIds: string[]): Promise<Map<string, SessionState>>;
  /**
   * Sets a user's role; a change bumps `tokenVersion`, revoking every token issued before. Null
   * when there is no such user.
   */
  setRole(userId: string, role: Role): Promise<{ user: User; changed: boolean } | null>;
  /**
   * Bumps `tokenVersion` ("sign out everywhere"): every token issued before stops working. False
   * when there is no such user.
   */
  bumpTokenVersion(userId: string): Promise<boolean>;
  /**
   * Replaces the password hash, only if it is still `expectedHash` (two changes at once: one
   * wins, the other gets false), and bumps `tokenVersion` in the same write.
   */
  replacePassword(userId: string, expectedHash: string, passwordHash: string): Promise<boolean>;
  /** (v3) The single-sign-on account of (issuer, subject), or null. */
  findByOidc(issuer: string, subject: string): Promise<UserDoc | null>;
  /**
   * (v3) After a sign-in or a refresh at the provider: sets role, groups and the provider link
   * (with its newest refresh token); a change of role or groups bumps `tokenVersion`. Null when
   * there is no such user.
   */
  syncSso(
    userId: string,
    s: { role: Role; groups: string[]; oidc: { issuer: string; subject: string; refreshToken?: string } },
  ): Promise<UserDoc | null>;
  /** (v3) The provider refused: forget its refresh token and revoke every token of the user. */
  endSso(userId: string): Promise<void>;
  /** (v3) Sets a user's groups; a change bumps `tokenVersion`. Null when there is no such user. */
  setGroups(userId: string, groups: string[]): Promise<{ user: User; changed: boolean } | null>;
  /** (v3) Removes a deleted group from everyone in it (their tokens are revoked: their groups changed). */
  removeGroup(groupId: string): Promise<number>;
  /**
   * (v3) `profile:update`: sets the given name and language (nothing else); null when there is no
   * such user. Neither is part of a session's token, so no token is revoked.
   */
  updateProfile(userId: string, profile: { name?: string; locale?: Locale }): Promise<User | null>;
  /** Inside a booking transaction: bumps the user's booking fence; false when there is no such user. */
  fence(userId: string, session: ClientSession): Promise<boolean>;
}

type SessionFields = Pick<UserDoc, '_id' | 'name' | 'role' | 'tokenVersion' | 'groups'>;
const SESSION_FIELDS = { name: 1, role: 1, tokenVersion: 1, groups: 1 } as const;
const sessionOf = (doc: SessionFields): SessionState => ({
  name: doc.name,
  role: doc.role,
  tokenVersion: doc.tokenVersion ?? 0,
  groups: doc.groups ?? [],
});
const oids = (ids: string[]) =>
  [...new Set(ids)].flatMap((id) => {
    const oid = objectIdOrNull(id);
    return oid ? [oid] : [];
  });

export function createUserStore(users: UserModel): UserStore {
  return {
    async insert(user) {
      try {
        const doc = await users.create(user);
        return doc.toObject();
      } catch (err) {
        if (err instanceof mongoose.mongo.MongoServerError && err.code === 11000) {
          throw new AppError(ErrorCode.EMAIL_TAKEN, 'an account with that email exists', { cause: err });
        }
        throw err;
      }
    },
    findByEmail: (email) => users.findOne({ email }).lean<UserDoc>(),
    async findById(userId) {
      const _id = objectIdOrNull(userId);
      return _id ? users.findById(_id).lean<UserDoc>() : null;
    },
    async emailExists(email) {
      return (await users.exists({ email })) !== null;
    },
    async contact(userId) {
      const _id = objectIdOrNull(userId);
      const doc = _id
        ? await users.findById(_id, { name: 1, email: 1, locale: 1 }).lean<Pick<UserDoc, 'name' | 'email' | 'locale'>>()
        : null;
      return doc ? { name: doc.name, email: doc.email, locale: isLocale(doc.locale) ? doc.locale : 'en' } : null;
    },
    async names(userIds) {
      const docs = await users
        .find({ _id: { $in: oids(userIds) } }, { name: 1 })
        .lean<Array<Pick<UserDoc, '_id' | 'name'>>>();
      return new Map(docs.map((u) => [u._id.toHexString(), u.name]));
    },
    async inGroups(groupIds, limit, session) {
      const docs = await users
        .find({ groups: { $in: [...groupIds] } }, { _id: 1 })
        .sort({ _id: 1 })
        .limit(limit)
        .session(session ?? null)
        .lean<Array<Pick<UserDoc, '_id'>>>();
      return docs.map((u) => u._id.toHexString());
    },
    async staffIds(limit, session) {
      const docs = await users
        .find({ role: 'staff' }, { _id: 1 })
        .sort({ _id: 1 })
        .limit(limit)
        .session(session ?? null)
        .lean<Array<Pick<UserDoc, '_id'>>>();
      return docs.map((u) => u._id.toHexString());
    },
    findByOidc: (issuer, subject) => users.findOne({ 'oidc.issuer': issuer, 'oidc.subject': subject }).lean<UserDoc>(),
    async syncSso(userId, next) {
      const _id = objectIdOrNull(userId);
      const doc = _id ? await users.findById(_id, { role: 1, groups: 1 }).lean<UserDoc>() : null;
      if (!_id || !doc) return null;
      const changed = doc.role !== next.role || !sameSet(doc.groups ?? [], next.groups);
      return users
        .findByIdAndUpdate(
          _id,
          {
            $set: { role: next.role, groups: next.groups, oidc: next.oidc },
            ...(changed ? { $inc: { tokenVersion: 1 } } : {}),
          },
          { new: true },
        )
        .lean<UserDoc>();
    },
    async endSso(userId) {
      const _id = objectIdOrNull(userId);
      if (_id) await users.updateOne({ _id }, { $unset: { 'oidc.refreshToken': 1 }, $inc: { tokenVersion: 1 } });
    },
    async setGroups(userId, groups) {
      const _id = objectIdOrNull(userId);
      const doc = _id ? await users.findById(_id, WIRE_FIELDS).lean<UserDoc>() : null;
      if (!_id || !doc) return null;
      if (sameSet(doc.groups ?? [], groups)) return { user: toWireUser(doc), changed: false };
      const updated = await users
        .findByIdAndUpdate(_id, { $set: { groups }, $inc: { tokenVersion: 1 } }, { new: true, projection: WIRE_FIELDS })
        .lean<UserDoc>();
      return updated ? { user: toWireUser(updated), changed: true } : null;
    },
    async removeGroup(groupId) {
      const res = await users.updateMany(
        { groups: groupId },
        { $pull: { groups: groupId }, $inc: { tokenVersion: 1 } },
      );
      return res.modifiedCount;
    },
    async list({ query, limit }) {
      const filter = query
        ? {
            $or: [
              { name: { $regex: escapeRegex(query), $options: 'i' } },
              { email: { $regex: escapeRegex(query), $options: 'i' } },
            ],
          }
        : {};
      const docs = await users.find(filter, WIRE_FIELDS).sort({ createdAt: -1 }).limit(limit).lean<UserDoc[]>();
      return docs.map(toWireUser);
    },
    async session(userId) {
      const _id = objectIdOrNull(userId);
      const doc = _id ? await users.findById(_id, SESSION_FIELDS).lean<SessionFields>() : null;
      return doc ? sessionOf(doc) : null;
    },
    async sessions(userIds) {
      const docs = await users.find({ _id: { $in: oids(userIds) } }, SESSION_FIELDS).lean<SessionFields[]>();
      return new Map(docs.map((d) => [d._id.toHexString(), sessionOf(d)]));
    },
    setRole: (userId, role) => setRole(users, userId, role),
    async bumpTokenVersion(userId) {
      const _id = objectIdOrNull(userId);
      if (!_id) return false;
      return (await users.updateOne({ _id }, { $inc: { tokenVersion: 1 } })).matchedCount === 1;
    },
    async replacePassword(userId, expectedHash, passwordHash) {
      const _id = objectIdOrNull(userId);
      if (!_id) return false;
      const res = await users.updateOne(
        { _id, passwordHash: expectedHash },
        { $set: { passwordHash }, $inc: { tokenVersion: 1 } },
      );
      return res.modifiedCount === 1;
    },
    updateProfile: (userId, profile) => updateProfile(users, userId, profile),
    async fence(userId, session) {
      const _id = objectIdOrNull(userId);
      if (!_id) return false;
      // The driver directly (the booking path's hot loop; see BookingStore.insert).
      const res = await users.collection.updateOne({ _id }, { $inc: { bookingFence: 1 } }, { session });
      return res.matchedCount === 1;
    },
  };
}

/** A role change bumps the token version (the person's connections close); the same role changes nothing. */
async function setRole(users: UserModel, userId: string, role: Role): ReturnType<UserStore['setRole']> {
  const _id = objectIdOrNull(userId);
  if (!_id) return null;
  const projection = WIRE_FIELDS;
  const changed = await users
    .findOneAndUpdate(
      { _id, role: { $ne: role } },
      { $set: { role }, $inc: { tokenVersion: 1 } },
      { new: true, projection },
    )
    .lean<UserDoc>();
  if (changed) return { user: toWireUser(changed), changed: true };
  const same = await users.findById(_id, projection).lean<UserDoc>();
  return same ? { user: toWireUser(same), changed: false } : null;
}

/** (v3) `profile:update`: name and language; neither is in the token, so no session ends. */
async function updateProfile(
  users: UserModel,
  userId: string,
  profile: Parameters<UserStore['updateProfile']>[1],
): ReturnType<UserStore['updateProfile']> {
  const _id = objectIdOrNull(userId);
  if (!_id) return null;
  const set = {
    ...(profile.name !== undefined ? { name: profile.name } : {}),
    ...(profile.locale !== undefined ? { locale: profile.locale } : {}),
  };
  const doc =
    Object.keys(set).length === 0
      ? await users.findById(_id, WIRE_FIELDS).lean<UserDoc>()
      : await users.findByIdAndUpdate(_id, { $set: set }, { new: true, projection: WIRE_FIELDS }).lean<UserDoc>();
  return doc ? toWireUser(doc) : null;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
