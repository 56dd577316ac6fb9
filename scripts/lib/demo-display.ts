/**
 * (v3) The demo room display: `npm run seed` makes one for the seeded room Atlas (idempotent: once),
 * and `npm start` gives it a fresh token at every start (the previous start's token stops working)
 * and prints its URL. The token exists only in that printed URL; the store keeps its SHA-256.
 */
import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { Collections } from '../../server/src/data';
import { DISPLAY_EMAIL_DOMAIN, hashDisplayToken } from '../../server/src/displays/display.service';

export const DEMO_DISPLAY = { resource: 'Atlas', name: 'Atlas door' } as const;

type Models = Pick<Collections, 'Display' | 'Resource' | 'User'>;

/**
 * The demo display of the seeded room, made if missing. With `token`, its token becomes that one.
 * Answers how many documents it created (0 or 2: the display and its service account), or null
 * when the room does not exist (the seed has not run).
 */
export async function ensureDemoDisplay(models: Models, token?: string): Promise<number | null> {
  const room = await models.Resource.findOne({ name: DEMO_DISPLAY.resource }, { _id: 1 }).lean();
  if (!room) return null;
  const tokenHash = hashDisplayToken(token ?? randomBytes(32).toString('base64url'));
  const existing = await models.Display.findOne(
    { resourceId: room._id, name: DEMO_DISPLAY.name, revokedAt: { $exists: false } },
    { _id: 1 },
  ).lean();
  if (existing) {
    if (token) await models.Display.updateOne({ _id: existing._id }, { $set: { tokenHash } });
    return 0;
  }
  const id = new Types.ObjectId();
  const user = await models.User.create({
    name: `Display: ${DEMO_DISPLAY.name}`,
    email: `display-${id.toHexString()}@${DISPLAY_EMAIL_DOMAIN}`,
    role: 'user',
    emailVerified: true,
  });
  await models.Display.create({
    _id: id,
    resourceId: room._id,
    name: DEMO_DISPLAY.name,
    tokenHash,
    serviceUserId: user._id,
    createdAt: new Date(),
  });
  return 2;
}

/** A fresh token for the demo display and its URL under `publicUrl`, or null when there is no seeded room. */
export async function rekeyDemoDisplay(models: Models, publicUrl: string): Promise<string | null> {
  const token = randomBytes(32).toString('base64url');
  const made = await ensureDemoDisplay(models, token);
  return made === null ? null : `${publicUrl.replace(/\/+$/, '')}/display/#${token}`;
}
