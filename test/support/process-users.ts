/**
 * Many users at once for suites whose nodes are separate processes (test/support/spawn.ts), as
 * users.ts makes them for in-process nodes: one scrypt hash per test process shared by all, each
 * user inserted through the auth capability's store into the suite's database, and its token
 * signed with the run's TEST_SECRET, the secret the spawned nodes verify with. Registering them
 * over HTTP cost a password hash each on the nodes' two hash slots (seconds for 60 people on a busy
 * machine, and RATE_LIMITED retries past the queue), which these suites do not test; the register
 * path stays covered by the tests that call `registerUser`.
 */
import type mongoose from 'mongoose';
import type { AuthResult } from '@booking/shared';
import { hashPassword } from '../../server/src/auth/password';
import { createTokenSigner } from '../../server/src/auth/tokens';
import { registerUserModel } from '../../server/src/auth/user.model';
import { createUserStore, toWireUser } from '../../server/src/auth/user.store';
import { systemClock } from '../../server/src/infra/clock';
import { TEST_SECRET } from './env';
import { BULK_PASSWORD } from './users';

let sharedHash: Promise<string> | null = null;

/** `count` people named `<label><i>` in the database of `conn`, each with a token the suite's nodes accept. */
export async function createUsersIn(
  conn: mongoose.Connection,
  opts: { count: number; label: string },
): Promise<AuthResult[]> {
  sharedHash ??= hashPassword(BULK_PASSWORD);
  const passwordHash = await sharedHash;
  const users = createUserStore(registerUserModel(conn));
  const signer = createTokenSigner(TEST_SECRET, systemClock);
  const stamp = Math.random().toString(36).slice(2, 8);
  return Promise.all(
    Array.from({ length: opts.count }, async (_, i) => {
      const name = `${opts.label}${i}`;
      const doc = await users.insert({ name, email: `${name}-${stamp}@example.com`, passwordHash, role: 'user' });
      const user = toWireUser(doc);
      const token = await signer.sign({
        id: user.id,
        role: user.role,
        tokenVersion: doc.tokenVersion ?? 0,
        signedInAt: Date.now(),
      });
      return { token, user };
    }),
  );
}
