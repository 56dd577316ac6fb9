import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';
import pLimit from 'p-limit';
import { ErrorCode } from '@booking/shared';
import { AppError } from '../infra/errors';

const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LEN = 32;

/**
 * At most this many hashes run at once; the rest wait their turn. scrypt runs on libuv's thread
 * pool (4 threads by default), which file reads (static pages), DNS and zlib share: a login flood
 * must leave threads free for them, or every other request waits behind it.
 */
export const HASH_CONCURRENCY = 2;
const hashSlots = pLimit(HASH_CONCURRENCY);

/**
 * At most this many hashes wait behind the running ones (about a second of work at ~40 ms a hash);
 * past it a login or registration is answered `RATE_LIMITED` at once, with a `Retry-After`, rather
 * than queued without bound: a flood then costs the node a bounded amount of memory and waiting
 * connections, and every person gets an answer instead of a timeout or a reset.
 */
export const HASH_QUEUE_LIMIT = 48;
const HASH_QUEUE_RETRY_MS = 1000;

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  if (hashSlots.pendingCount >= HASH_QUEUE_LIMIT) {
    return Promise.reject(
      new AppError(ErrorCode.RATE_LIMITED, 'too many sign-ins at once; try again in a moment', {
        details: { retryAfterMs: HASH_QUEUE_RETRY_MS },
      }),
    );
  }
  return hashSlots(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(password, salt, KEY_LEN, { ...opts, maxmem: 64 * 1024 * 1024 }, (err, key) =>
          err ? reject(err) : resolve(key),
        );
      }),
  );
}

/** Hashes waiting for a slot (for tests and metrics). */
export function hashesWaiting(): number {
  return hashSlots.pendingCount;
}

/** `scrypt$N$r$p$salt$hash` (base64url parts), so parameters can be raised later without a migration. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time comparison against a stored hash; malformed hashes simply do not match. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64url');
  const key = await derive(password, Buffer.from(saltB64, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A well-formed hash of a random password: login compares against it when the email is unknown, so timing does not reveal which emails exist. */
export const DUMMY_HASH_PROMISE: Promise<string> = hashPassword(randomBytes(16).toString('hex'));
