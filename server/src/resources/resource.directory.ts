/**
 * Every resource's settings (zone, policy, name, type) held in memory, for the reads that need
 * them on every call: `availability:get` (local days, `open`) and `slots:find` (all resources).
 * The list is re-read when older than `ttlMs`, when an id is not in it (a resource created on
 * another node), and at once after a change (`invalidate`, which the root also runs when another
 * node announces a change). A stale entry can only make availability a hint from a few seconds
 * ago; bookings check the policy in their own transaction.
 */
import type { Resource } from '@booking/shared';
import { objectIdOrNull } from '../infra/ids';
import type { ResourceStore } from './resource.store';
import { TUNABLES } from '../infra/tunables';

export interface ResourceDirectory {
  get(id: string): Promise<Resource | null>;
  all(): Promise<Resource[]>;
  /** The ids among `ids` that name a resource, in their order (re-read at most once for misses, as `get`). */
  known(ids: readonly string[]): Promise<string[]>;
  /** The resource as a fresh snapshot holds it, without waiting; undefined otherwise (then `get`). */
  peek(id: string): Resource | undefined;
  invalidate(): void;
}

export function createResourceDirectory(opts: {
  store: Pick<ResourceStore, 'list'>;
  ttlMs?: number;
  now?: () => number;
}): ResourceDirectory {
  const ttlMs = opts.ttlMs ?? TUNABLES.directoryTtlMs;
  const now = opts.now ?? Date.now;
  interface Snapshot {
    at: number;
    list: Resource[];
    byId: Map<string, Resource>;
  }
  let loaded: Snapshot | null = null;
  let loading: Promise<Snapshot> | null = null;
  let generation = 0;

  const load = (): Promise<Snapshot> => {
    if (!loading) {
      const started = generation;
      loading = opts.store.list().then(
        (list) => {
          const fresh: Snapshot = { at: now(), list, byId: new Map(list.map((r) => [r.id, r])) };
          // An invalidation during the read means the read may predate the change: do not keep it.
          if (started === generation) loaded = fresh;
          loading = null;
          return fresh;
        },
        (err: unknown) => {
          loading = null;
          throw err;
        },
      );
    }
    return loading;
  };
  const current = async (): Promise<Snapshot> => (loaded && now() - loaded.at < ttlMs ? loaded : load());

  return {
    async get(id) {
      if (!objectIdOrNull(id)) return null;
      const hit = (await current()).byId.get(id);
      if (hit) return hit;
      // Possibly created on another node since the last read; concurrent misses share one read.
      return (await load()).byId.get(id) ?? null;
    },
    async all() {
      return (await current()).list;
    },
    async known(ids) {
      const wellFormed = ids.filter((id) => objectIdOrNull(id) !== null);
      const snapshot = await current();
      if (wellFormed.every((id) => snapshot.byId.has(id))) return wellFormed;
      // Some may have been created on another node since the last read: one fresh read for all.
      const fresh = await load();
      return wellFormed.filter((id) => fresh.byId.has(id));
    },
    peek(id) {
      if (!loaded || now() - loaded.at >= ttlMs) return undefined;
      return loaded.byId.get(id) ?? undefined;
    },
    invalidate() {
      generation += 1;
      loaded = null;
    },
  };
}
