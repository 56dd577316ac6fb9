/**
 * The only code that touches the `users` collection. Other capabilities (admin, notifications)
 * reach users through this interface, never through the model.
 */
import mongoose from 'mongoose';
import { ErrorCode } from '@booking/shared';
import type { Role, User } from '@booking/shared';
import { AppError } from '../infra/errors';
import { objectIdOrNull } from '../infra/ids';
import type { UserDoc, UserModel } from './user.model';

export function toWireUser(doc: Pick<UserDoc, '_id' | 'name' | 'email' | 'role'>): User {
  return { id: doc._id.toHexString(), name: doc.name, email: doc.email, role: doc.role };
}

export interface NewUser {
  name: string;
  email: string;
  passwordHash: string;
  role: Role;
}

export interface UserStore {
  /** Throws AppError(EMAIL_TAKEN) when the email is registered already. */
  insert(user: NewUser): Promise<UserDoc>;
  findByEmail(email: string): Promise<UserDoc | null>;
  emailExists(email: string): Promise<boolean>;
  /** Name and email of one user (for notifications), or null when there is no such user. */
  contact(userId: string): Promise<{ name: string; email: string } | null>;
  /** Names by user id; ids that name nobody are left out. */
  names(userIds: string[]): Promise<Map<string, string>>;
  /** Newest first; `query` matches name or email, case-insensitively. */
  list(opts: { query?: string; limit: number }): Promise<User[]>;
}

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
    async emailExists(email) {
      return (await users.exists({ email })) !== null;
    },
    async contact(userId) {
      const _id = objectIdOrNull(userId);
      const doc = _id ? await users.findById(_id, { name: 1, email: 1 }).lean<Pick<UserDoc, 'name' | 'email'>>() : null;
      return doc ? { name: doc.name, email: doc.email } : null;
    },
    async names(userIds) {
      const ids = [...new Set(userIds)].flatMap((id) => {
        const oid = objectIdOrNull(id);
        return oid ? [oid] : [];
      });
      const docs = await users.find({ _id: { $in: ids } }, { name: 1 }).lean<Array<Pick<UserDoc, '_id' | 'name'>>>();
      return new Map(docs.map((u) => [u._id.toHexString(), u.name]));
    },
    async list({ query, limit }) {
      const filter = query
        ? { $or: [{ name: { $regex: escapeRegex(query), $options: 'i' } }, { email: { $regex: escapeRegex(query), $options: 'i' } }] }
        : {};
      const docs = await users.find(filter, { name: 1, email: 1, role: 1 }).sort({ createdAt: -1 }).limit(limit).lean<UserDoc[]>();
      return docs.map(toWireUser);
    },
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
