/**
 * The verification fields of the `users` collection (`emailVerified`, `verifyTokenHash`,
 * `verifyTokenExpiresAt`, `verifyMail`). Only SHA-256 of a token is stored, so a database dump
 * verifies nobody.
 *
 * The mail goes the durable way: asking for it writes `verifyMail.requestedAt` (in the same write
 * that creates the account, or a resend), and the notifier's sender (notifications/
 * email-verification.mailer.ts) claims such a user with a fresh token in one conditional write,
 * mails the link, and clears the request only if its claim still stands. A sender that crashes
 * mid-way leaves the claim to lapse, and the next pass sends again with a new token (the last
 * link mailed is the one that works).
 */
import { createHash, randomBytes } from 'node:crypto';
import { isLocale } from '@booking/shared';
import type { Locale } from '@booking/shared';
import type { UserDoc, UserModel } from './user.model';
import { objectIdOrNull } from '../infra/ids';

/** A claimed mail that is still unsent after this long is claimed again (a crashed sender). */
export const VERIFY_CLAIM_MS = 60_000;
/** A verification link works this long after it was mailed. */
export const VERIFY_TOKEN_TTL_MS = 48 * 3600_000;

export const hashVerifyToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A claimed mail: whom to write, and the token the link carries. */
export interface VerificationClaim {
  userId: string;
  name: string;
  email: string;
  /** (v3) The person's language: the mail is written in it. */
  locale: Locale;
  token: string;
  attempts: number;
  /** The request this claim answers; a later one (a resend meanwhile) is sent again. */
  requestedAt: Date;
}

export interface EmailVerificationStore {
  /** True unless the user exists and is unverified (false when there is no such user). */
  isVerified(userId: string): Promise<boolean>;
  /** Asks for a (new) mail for an unverified user; false when verified or unknown. */
  requestMail(userId: string, at: Date): Promise<boolean>;
  /** Marks the token's user verified and spends the token; the user's id, or null for a bad, used or expired token. */
  consume(token: string, at: Date): Promise<string | null>;
  /** Claims one user whose mail is asked for and not claimed by a live sender, with a fresh token. */
  claim(at: Date): Promise<VerificationClaim | null>;
  /** The mail was accepted: clears the request, unless a newer claim or request replaced it. */
  sent(claim: VerificationClaim): Promise<void>;
  /** Gives up on a request (its user is gone from the mail, or it failed for too long). */
  drop(userId: string): Promise<void>;
}

export function createEmailVerificationStore(users: UserModel): EmailVerificationStore {
  return {
    async isVerified(userId) {
      const _id = objectIdOrNull(userId);
      const doc = _id ? await users.findById(_id, { emailVerified: 1 }).lean<Pick<UserDoc, 'emailVerified'>>() : null;
      return doc !== null && doc.emailVerified !== false;
    },
    async requestMail(userId, at) {
      const _id = objectIdOrNull(userId);
      if (!_id) return false;
      // A claim in progress keeps its claim: the sender clears only a request not newer than its own.
      const res = await users.updateOne({ _id, emailVerified: false }, { $set: { 'verifyMail.requestedAt': at } });
      return res.matchedCount === 1;
    },
    async consume(token, at) {
      const doc = await users
        .findOneAndUpdate(
          { verifyTokenHash: hashVerifyToken(token), verifyTokenExpiresAt: { $gt: at } },
          { $set: { emailVerified: true }, $unset: { verifyTokenHash: 1, verifyTokenExpiresAt: 1, verifyMail: 1 } },
          { projection: { _id: 1 } },
        )
        .lean<Pick<UserDoc, '_id'>>();
      return doc ? doc._id.toHexString() : null;
    },
    async claim(at) {
      const token = randomBytes(32).toString('base64url');
      const doc = await users
        .findOneAndUpdate(
          {
            emailVerified: false,
            // `$exists` lets the planner use the sparse index: only users with a request are in it.
            'verifyMail.requestedAt': { $exists: true },
            $or: [{ 'verifyMail.claimedUntil': null }, { 'verifyMail.claimedUntil': { $lte: at } }],
          },
          {
            $set: {
              'verifyMail.claimedUntil': new Date(at.getTime() + VERIFY_CLAIM_MS),
              verifyTokenHash: hashVerifyToken(token),
              verifyTokenExpiresAt: new Date(at.getTime() + VERIFY_TOKEN_TTL_MS),
            },
            $inc: { 'verifyMail.attempts': 1 },
          },
          {
            new: true,
            sort: { 'verifyMail.requestedAt': 1 },
            projection: { name: 1, email: 1, locale: 1, verifyMail: 1 },
          },
        )
        .lean<Pick<UserDoc, '_id' | 'name' | 'email' | 'locale' | 'verifyMail'>>();
      if (!doc) return null;
      return {
        userId: doc._id.toHexString(),
        name: doc.name,
        email: doc.email,
        locale: isLocale(doc.locale) ? doc.locale : 'en',
        token,
        attempts: doc.verifyMail?.attempts ?? 1,
        requestedAt: doc.verifyMail?.requestedAt ?? at,
      };
    },
    async sent(claim) {
      const _id = objectIdOrNull(claim.userId);
      if (!_id) return;
      const mine = { _id, verifyTokenHash: hashVerifyToken(claim.token) };
      const cleared = await users.updateOne(
        { ...mine, 'verifyMail.requestedAt': { $lte: claim.requestedAt } },
        { $unset: { verifyMail: 1 } },
      );
      // A resend that arrived while this mail was on its way stays asked for: free it for the next pass.
      if (cleared.matchedCount === 0) await users.updateOne(mine, { $unset: { 'verifyMail.claimedUntil': 1 } });
    },
    async drop(userId) {
      const _id = objectIdOrNull(userId);
      if (_id) await users.updateOne({ _id }, { $unset: { verifyMail: 1 } });
    },
  };
}
