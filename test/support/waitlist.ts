/**
 * Helpers of the hold and waitlist tests: people connected across a harness's nodes, and what the
 * database holds about offers (held bookings with a waitlist entry) and their outbox entries.
 */
import type { AuthResult, Resource } from '@booking/shared';
import type { BookingNode } from '../../server/src/app';
import { http } from './harness';
import type { ClientSocket, Harness } from './harness';
import type { SocketTracker } from './suite';
import { createUsers } from './users';

export interface Person {
  user: AuthResult['user'];
  socket: ClientSocket;
}

/** `count` people, each connected to the harness's nodes in turn. */
export async function people(h: Harness, sockets: SocketTracker, label: string, count: number): Promise<Person[]> {
  const users = await createUsers(h.node, { count, label });
  return Promise.all(
    users.map(async (u, i) => ({
      user: u.user,
      socket: await sockets.client(h.nodes[i % h.nodes.length]?.url ?? h.node.url, u.token),
    })),
  );
}

/** A resource of `capacity` units, made by staff over HTTP. */
export async function createPool(base: string, staffToken: string, name: string, capacity = 1): Promise<Resource> {
  const res = await http<{ resource: Resource }>(base, '/api/resources', {
    body: { name, type: capacity > 1 ? 'desk' : 'room', capacity },
    token: staffToken,
  });
  if (res.status !== 201) throw new Error(`create resource failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.resource;
}

export interface StoredOffer {
  id: string;
  userId: string;
  resourceId: string;
  entryId: string;
  status: string;
  expiresAt: Date | null;
}

/** Every booking that is a waitlist offer (it carries a waitlist entry), whatever its status now. */
export async function storedOffers(node: BookingNode, filter: Record<string, unknown> = {}): Promise<StoredOffer[]> {
  const rows = await node.models.Booking.find({ waitlistEntryId: { $exists: true }, ...filter }).lean();
  return rows.map((r) => ({
    id: r._id.toHexString(),
    userId: r.userId.toHexString(),
    resourceId: r.resourceId.toHexString(),
    entryId: r.waitlistEntryId?.toHexString() ?? '',
    status: r.status,
    expiresAt: r.expiresAt ?? null,
  }));
}

/** The stored status of each waitlist entry, by id. */
export async function entryStatuses(node: BookingNode, ids: string[]): Promise<Map<string, string>> {
  const rows = await node.models.WaitlistEntry.find({ _id: { $in: ids } }, { status: 1 }).lean();
  return new Map(rows.map((r) => [r._id.toHexString(), r.status]));
}

/** How many `waitlist.offered` outbox entries each booking has. */
export async function offeredOutbox(
  node: BookingNode,
  filter: Record<string, unknown> = {},
): Promise<Map<string, number>> {
  const rows = await node.models.Outbox.find({ type: 'waitlist.offered', ...filter }, { bookingId: 1 }).lean();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.bookingId.toHexString(), (counts.get(r.bookingId.toHexString()) ?? 0) + 1);
  return counts;
}
