/**
 * Many test users at once, without running scrypt for each: one password hash is computed per
 * test process and shared, each user is inserted through the auth capability's store, and its
 * token is issued by the node's auth service (the same signing path the server uses). The real
 * register path stays covered by the tests that call `registerUser`.
 */
import type { AuthResult } from '@booking/shared';
import type { BookingNode } from '../../server/src/app';
import { hashPassword } from '../../server/src/auth/password';
import { toWireUser } from '../../server/src/auth/user.store';

/** The password every bulk user has. */
export const BULK_PASSWORD = 'password123';

let sharedHash: Promise<string> | null = null;

export async function createUsers(
  node: Pick<BookingNode, 'data' | 'auth'>,
  opts: { count: number; label: string },
): Promise<AuthResult[]> {
  sharedHash ??= hashPassword(BULK_PASSWORD);
  const passwordHash = await sharedHash;
  const stamp = Math.random().toString(36).slice(2, 8);
  return Promise.all(
    Array.from({ length: opts.count }, async (_, i) => {
      const name = `${opts.label}${i}`;
      const doc = await node.data.users.insert({
        name,
        email: `${name}-${stamp}@example.com`,
        passwordHash,
        role: 'user',
      });
      const user = toWireUser(doc);
      return { token: await node.auth.issueToken({ id: user.id, name: user.name, role: user.role }), user };
    }),
  );
}
