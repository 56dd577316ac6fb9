/** The only code that touches the `calendar_feeds` collection. */
import { objectIdOrNull } from '../infra/ids';
import type { CalendarFeedModel, FeedScope } from './calendar-feed.model';

/** A feed as the service sees it (ids as strings). */
export interface FeedRecord {
  userId: string;
  scope: FeedScope;
  resourceId?: string;
}

export interface CalendarFeedStore {
  insert(feed: FeedRecord & { tokenHash: string }): Promise<void>;
  findByHash(tokenHash: string): Promise<FeedRecord | null>;
  /** The token hashes of every feed of the user. */
  hashesOfUser(userId: string): Promise<string[]>;
  /** Deletes every feed of the user; answers the token hashes that were deleted. */
  deleteOfUser(userId: string): Promise<string[]>;
}

export function createCalendarFeedStore(model: CalendarFeedModel): CalendarFeedStore {
  return {
    async insert(feed) {
      const userId = objectIdOrNull(feed.userId);
      if (!userId) throw new Error('feed without a valid user id');
      const resourceId = feed.resourceId ? objectIdOrNull(feed.resourceId) : null;
      await model.create({
        tokenHash: feed.tokenHash,
        userId,
        scope: feed.scope,
        ...(resourceId ? { resourceId } : {}),
      });
    },
    async findByHash(tokenHash) {
      const doc = await model.findOne({ tokenHash }, { userId: 1, scope: 1, resourceId: 1 }).lean();
      if (!doc) return null;
      return {
        userId: doc.userId.toHexString(),
        scope: doc.scope,
        ...(doc.resourceId ? { resourceId: doc.resourceId.toHexString() } : {}),
      };
    },
    async hashesOfUser(userId) {
      const _id = objectIdOrNull(userId);
      if (!_id) return [];
      const docs = await model.find({ userId: _id }, { tokenHash: 1 }).lean();
      return docs.map((d) => d.tokenHash);
    },
    async deleteOfUser(userId) {
      const _id = objectIdOrNull(userId);
      if (!_id) return [];
      const docs = await model.find({ userId: _id }, { tokenHash: 1 }).lean();
      if (docs.length === 0) return [];
      // Every feed of the user, also one created since the read (its token is not cached yet).
      await model.deleteMany({ userId: _id });
      return docs.map((d) => d.tokenHash);
    },
  };
}
