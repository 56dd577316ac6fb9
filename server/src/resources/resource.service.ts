import type { ClientSession, Connection } from 'mongoose';
import { DEFAULT_POLICY, ErrorCode, PolicySchema, mergePolicy } from '@booking/shared';
import type { Policy, PolicyInput, Resource, ResourceAccess, ResourceCreate, ResourceUpdate } from '@booking/shared';
import type { GroupStore } from '../auth/group.store';
import type { AvailabilityService } from '../availability/availability.service';
import type { BookingStore } from '../booking/booking.store';
import type { CommittedChange } from '../booking/booking.types';
import type { OutboxStore } from '../notifications/outbox.store';
import type { ResourceRules } from './resource.store';
import { AppError, zodDetails } from '../infra/errors';
import { inTransaction } from '../infra/transactions';
import type { TxCounters } from '../infra/transactions';
import { firstOver } from '../booking/occupancy';
import type { ResourceFields, ResourceStore } from './resource.store';

/** A committed change of a resource's settings, for the after-change effects. */
export type ResourceChange = { resource: Resource; zoneChanged: boolean } | { removedId: string };

/** What a change returns: its answer and what it changed. */
export interface ResourceChanged<T> {
  result: T;
  change: ResourceChange;
}

/** The changes as the service makes them; `withResourceEffects` turns them into `ResourceService`. */
export interface ResourceOps {
  list(): Promise<Resource[]>;
  create(input: ResourceCreate): Promise<ResourceChanged<Resource>>;
  update(input: ResourceUpdate, now: Date): Promise<ResourceChanged<Resource>>;
  remove(id: string, now: Date): Promise<ResourceChanged<void>>;
}

export interface ResourceService {
  list(): Promise<Resource[]>;
  create(input: ResourceCreate): Promise<Resource>;
  /**
   * A policy given here is merged into the current one; `null` fields clear a limit. A capacity
   * below what the bookings that have not ended already occupy is INVALID_STATE (`details.at`: the
   * first instant that would be over) unless `force`, which keeps every booking.
   */
  update(input: ResourceUpdate, now: Date): Promise<Resource>;
  /** INVALID_STATE while the resource has active bookings that have not ended. */
  remove(id: string, now: Date): Promise<void>;
}

/** The whole policy after applying `input`; a result that breaks the schema is VALIDATION_ERROR at `policy.*`. */
function resolvePolicy(base: Policy, input: PolicyInput | undefined): Policy {
  const merged = PolicySchema.safeParse(mergePolicy(base, input));
  if (!merged.success) {
    const issues = merged.error.issues.map((i) => ({ ...i, path: ['policy', ...i.path] }));
    throw new AppError(ErrorCode.VALIDATION_ERROR, issues[0]?.message ?? 'invalid policy', {
      details: zodDetails(issues),
    });
  }
  return merged.data;
}

/**
 * (v3) The waitlist's side of a raised capacity: inside the update's transaction, the new units are
 * offered to the waiting entries (`promote`); after the commit, the offers' effects (cache,
 * broadcast, relay wake) run like those of every other booking change (`applied`). The booking
 * core implements this port; the resource service only calls it.
 */
export interface RaisedCapacityOffers {
  promote(session: ClientSession, a: { resourceId: string; rules: ResourceRules }): Promise<CommittedChange[]>;
  applied(changes: readonly CommittedChange[]): Promise<void>;
}

/**
 * (v3) An access whose groups all exist; an unknown group is VALIDATION_ERROR at its path (an
 * access naming a group nobody can be in would hide the resource from its intended viewers).
 */
async function checkedAccess(
  groups: Pick<GroupStore, 'byIds'> | undefined,
  access: ResourceAccess | null | undefined,
): Promise<ResourceAccess | null | undefined> {
  if (!access || !groups) return access;
  const named = [...(access.visibleTo ?? []), ...(access.bookableBy ?? []), ...access.managers];
  const known = new Set((await groups.byIds([...new Set(named)])).map((g) => g.id));
  for (const key of ['visibleTo', 'bookableBy', 'managers'] as const) {
    const list = access[key] ?? [];
    const i = list.findIndex((id) => !known.has(id));
    if (i >= 0)
      throw new AppError(ErrorCode.VALIDATION_ERROR, 'no such group', {
        details: zodDetails([{ path: ['access', key, i], message: 'no such group' }]),
      });
  }
  return access;
}

export function createResourceService(deps: {
  conn: Connection;
  /** (v3) Where the groups an access names are checked. */
  groups?: Pick<GroupStore, 'byIds'>;
  resources: ResourceStore;
  bookings: Pick<BookingStore, 'hasFutureActive' | 'activeBetween'>;
  availability: Pick<AvailabilityService, 'forget'>;
  counters: TxCounters;
  offers?: RaisedCapacityOffers;
  /**
   * (v3) Where an update records its `resource.updated` entry (a webhook event, no email), in the
   * update's transaction; `wake` tells the relay after the commit. Without it nothing is recorded.
   */
  outbox?: { store: Pick<OutboxStore, 'append'>; wake(): Promise<void> };
}): ResourceOps {
  const { resources } = deps;
  return {
    list: () => resources.list(),
    async create(input) {
      const resource = await resources.insert({
        name: input.name,
        type: input.type,
        description: input.description ?? '',
        timeZone: input.timeZone ?? 'UTC',
        policy: resolvePolicy(DEFAULT_POLICY, input.policy),
        capacity: input.capacity ?? 1,
        seats: input.seats ?? null,
        access: (await checkedAccess(deps.groups, input.access)) ?? null,
      });
      return { result: resource, change: { resource, zoneChanged: false } };
    },
    async update(input, now) {
      const current = await resources.get(input.id);
      if (!current) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      const set: ResourceFields = {};
      if (input.name !== undefined) set.name = input.name;
      if (input.type !== undefined) set.type = input.type;
      if (input.description !== undefined) set.description = input.description;
      if (input.timeZone !== undefined) set.timeZone = input.timeZone;
      if (input.policy !== undefined) set.policy = resolvePolicy(current.policy, input.policy);
      if (input.seats !== undefined) set.seats = input.seats;
      if (input.access !== undefined) set.access = (await checkedAccess(deps.groups, input.access)) ?? null;
      if (input.capacity !== undefined) set.capacity = input.capacity;
      // Whether the capacity goes down is decided in the fenced transaction, on the document it
      // bumps: a read before it could miss another edit committed meanwhile. A raise offers the
      // new units to the waitlist in that transaction.
      const capacityChange = input.capacity !== undefined;
      const outcome = capacityChange
        ? await setCapacity(deps, { id: input.id, set, policy: set.policy, now, force: input.force === true })
        : await updateFenced(deps, { id: input.id, set, now });
      const updated = outcome.resource;
      if (!updated) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      if (deps.outbox) await deps.outbox.wake().catch(() => undefined); // a lost wake costs one relay sweep interval
      if (outcome.offers.length > 0) await deps.offers?.applied(outcome.offers);
      const zoneChanged = updated.timeZone !== current.timeZone;
      // Cached days are local days of the zone: a new zone makes every cached day the wrong day.
      if (zoneChanged) await deps.availability.forget(updated.id);
      return { result: updated, change: { resource: updated, zoneChanged } };
    },
    async remove(id, now) {
      // Bumping the fence in the same transaction makes a concurrent booking of this resource
      // conflict with the delete: either the booking commits first (and we refuse) or it finds
      // no resource.
      await inTransaction(deps.conn, deps.counters, async (session) => {
        if ((await resources.fence(id, session)) === null) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
        if (await deps.bookings.hasFutureActive(id, now, session)) {
          throw new AppError(ErrorCode.INVALID_STATE, 'the resource has future active bookings');
        }
        await resources.delete(id, session);
      });
      await deps.availability.forget(id);
      return { result: undefined, change: { removedId: id } };
    },
  };
}

type CapacityDeps = Pick<
  Parameters<typeof createResourceService>[0],
  'conn' | 'resources' | 'bookings' | 'counters' | 'offers' | 'outbox'
>;

/**
 * (v3) The `resource.updated` entry of an update, in its transaction (after the fence): the
 * resource as the update left it, at the version the fence produced, so its webhook event sorts
 * in its resource's stream after every booking change committed before it and before every later
 * one (the streams order by version, then commit time).
 */
async function recordUpdated(
  deps: Pick<CapacityDeps, 'outbox'>,
  session: ClientSession,
  a: { resource: Resource | null; version: number; now: Date },
): Promise<void> {
  if (!deps.outbox || !a.resource) return;
  const { id } = a.resource;
  await deps.outbox.store.append(
    {
      type: 'resource.updated',
      // No booking: the resource's own id stands in (outbox.model.ts `OutboxType`).
      bookingId: id,
      userId: id,
      resourceId: id,
      start: a.now,
      end: a.now,
      version: a.version,
      createdAt: a.now,
      resource: { ...a.resource },
    },
    session,
  );
}

/**
 * An update that leaves the capacity alone: one transaction that bumps the fence (the update's
 * place among its resource's booking changes), writes the fields and records the entry.
 */
function updateFenced(
  deps: CapacityDeps,
  a: { id: string; set: ResourceFields; now: Date },
): Promise<{ resource: Resource | null; offers: CommittedChange[] }> {
  return inTransaction(deps.conn, deps.counters, async (session) => {
    const version = await deps.resources.fence(a.id, session);
    if (version === null) return { resource: null, offers: [] };
    const resource = await deps.resources.update(a.id, a.set, session);
    await recordUpdated(deps, session, { resource, version, now: a.now });
    return { resource, offers: [] };
  });
}

/** Far enough ahead to hold every booking that can exist (bookings start at most ten years ahead). */
const HORIZON_MS = 3700 * 86_400_000;

/**
 * A new capacity, written only if, when it is lower than the stored one, the bookings that have
 * not ended fit it at every instant (each occupying `[start, end + buffer)`). In one transaction
 * that bumps the fence, so a booking or another edit committed meanwhile conflicts with it and is
 * counted on the retry.
 */
async function setCapacity(
  deps: CapacityDeps,
  a: { id: string; set: ResourceFields; policy: Policy | undefined; now: Date; force: boolean },
): Promise<{ resource: Resource | null; offers: CommittedChange[] }> {
  const capacity = a.set.capacity ?? 1;
  return inTransaction(deps.conn, deps.counters, async (session) => {
    const fenced = await deps.resources.fenceWithRules(a.id, session);
    if (fenced === null) return { resource: null, offers: [] };
    const written = async () => {
      const resource = await deps.resources.update(a.id, a.set, session);
      await recordUpdated(deps, session, { resource, version: fenced.version, now: a.now });
      return resource;
    };
    if (capacity > fenced.rules.capacity) {
      const resource = await written();
      const rules = {
        timeZone: a.set.timeZone ?? fenced.rules.timeZone,
        policy: a.policy ?? fenced.rules.policy,
        capacity,
        access: a.set.access !== undefined ? a.set.access : fenced.rules.access,
      };
      const offers = resource && deps.offers ? await deps.offers.promote(session, { resourceId: a.id, rules }) : [];
      return { resource, offers };
    }
    if (capacity === fenced.rules.capacity || a.force) return { resource: await written(), offers: [] };
    const gap = (a.policy ?? fenced.rules.policy).bufferMinutes * 60_000;
    const rows = await deps.bookings.activeBetween(
      a.id,
      new Date(a.now.getTime() - gap),
      new Date(a.now.getTime() + HORIZON_MS),
      a.now,
      session,
    );
    const over = firstOver(
      rows.map((r) => ({ start: r.start.getTime(), end: r.end.getTime() + gap, quantity: r.quantity })),
      capacity,
    );
    if (over !== null) {
      const at = new Date(Math.max(over, a.now.getTime())).toISOString();
      throw new AppError(ErrorCode.INVALID_STATE, `more than ${capacity} units are already booked at ${at}`, {
        details: { at, capacity },
      });
    }
    return { resource: await written(), offers: [] };
  });
}

/** The resource commands as handlers see them: the answer, after the root's effects ran. */
export function withResourceEffects(
  ops: ResourceOps,
  run: (changes: readonly ResourceChange[]) => Promise<void>,
): ResourceService {
  const applied = async <T>(changed: ResourceChanged<T>): Promise<T> => {
    await run([changed.change]);
    return changed.result;
  };
  return {
    list: () => ops.list(),
    create: async (input) => applied(await ops.create(input)),
    update: async (input, now) => applied(await ops.update(input, now)),
    remove: async (id, now) => applied(await ops.remove(id, now)),
  };
}
