/**
 * A single booking's admission reads in one MongoDB command (split from `booking.store.ts`, which
 * composes it): the resource's bookings near the candidate (`activeBetween`) and the person's
 * tallies (`countActiveFuture`, anywhere and on this resource), as one aggregation whose `$or`
 * match uses each read's own index and whose `$facet` splits the rows again. Inside the booking's
 * transaction every read sees the one snapshot whatever their order or grouping, so the answers
 * are the separate reads' answers, one round trip instead of two or three.
 */
import type { ClientSession } from 'mongoose';
import { objectIdOrNull } from '../infra/ids';
import { holdingAt } from './booking.model';
import type { BookingDoc, BookingModel } from './booking.model';
import type { BusyRow } from './booking.store';

export interface AdmissionReadQuery {
  resourceId: string;
  /** The span whose bookings are read (buffer included). */
  from: Date;
  to: Date;
  now: Date;
  userId: string;
  /** The person's bookings on this resource, counted up to `atMost` (a verdict only asks "at the limit?"). */
  here?: { atMost: number; excludeId?: string };
  /** The person's bookings anywhere, counted up to `atMost`. */
  person?: { atMost: number };
}

export interface AdmissionRead {
  rows: BusyRow[];
  /** Null when not asked for; else min(count, atMost). */
  here: number | null;
  person: number | null;
}

type Row = Pick<BookingDoc, '_id' | 'start' | 'end' | 'quantity' | 'status' | 'expiresAt' | 'title'>;

/** An `activeBetween` row as availability and admission read it. */
export function busyRow(r: Row): BusyRow {
  return {
    id: r._id.toHexString(),
    start: r.start,
    end: r.end,
    quantity: r.quantity ?? 1,
    ...((r.status === 'held' || r.status === 'pending') && r.expiresAt
      ? { status: r.status, expiresAt: r.expiresAt }
      : { status: 'active' as const }),
    ...(r.title ? { title: r.title } : {}),
  };
}

export const BUSY_PROJECTION = { start: 1, end: 1, quantity: 1, status: 1, expiresAt: 1, title: 1 } as const;

/** Counts the facet's documents up to `atMost` (at least one, so `$count` has a stage to follow). */
const counted = (match: object, atMost: number) => [
  { $match: match },
  { $limit: Math.max(1, atMost) },
  { $count: 'n' },
];

export async function admissionRead(
  bookings: BookingModel,
  q: AdmissionReadQuery,
  session: ClientSession,
): Promise<AdmissionRead> {
  const resourceId = objectIdOrNull(q.resourceId);
  const userId = objectIdOrNull(q.userId);
  const holding = holdingAt(q.now);
  const near = { resourceId, ...holding, start: { $lt: q.to }, end: { $gt: q.from } };
  const mine = { userId, ...holding, end: { $gt: q.now } };
  const exclude = q.here?.excludeId ? objectIdOrNull(q.here.excludeId) : null;
  const mineHere = { ...mine, resourceId, ...(exclude ? { _id: { $ne: exclude } } : {}) };
  const counts = q.here || q.person;
  const [out] = await bookings.collection
    .aggregate<{ rows: Row[]; here?: Array<{ n: number }>; person?: Array<{ n: number }> }>(
      [
        { $match: counts ? { $or: [near, mine] } : near },
        {
          $facet: {
            rows: [{ $match: near }, { $project: BUSY_PROJECTION }],
            ...(q.here ? { here: counted(mineHere, q.here.atMost) } : {}),
            ...(q.person ? { person: counted(mine, q.person.atMost) } : {}),
          },
        },
      ],
      { session },
    )
    .toArray();
  const n = (facet: Array<{ n: number }> | undefined) => facet?.[0]?.n ?? 0;
  return {
    rows: (out?.rows ?? []).map(busyRow),
    here: q.here ? n(out?.here) : null,
    person: q.person ? n(out?.person) : null,
  };
}
