/**
 * The MongoDB commands one `booking:create` sends (mongod's profiler on the suite's database):
 * the booking transaction's cost is counted in commands, so a read or write added to the hot path
 * shows here as a changed list, not only as a slower bench. The create's audit event is stored in
 * the booking's own document (`firstEvent`), so no `bookingEvents` insert is among them, and
 * `booking:history` still answers it first.
 */
import { MongoClient, ObjectId } from 'mongodb';
import { mergeFirst } from '../src/booking/booking-history.store';
import type { Document } from 'mongodb';
import { testUrls, withDb } from '../../test/support/env';
import {
  connectClient,
  createResource,
  loginStaff,
  registerUser,
  send,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';

let h: Harness;
let mongo: MongoClient;
const open: ClientSocket[] = [];

beforeAll(async () => {
  h = await startHarness({ label: 'booking-commands' });
  mongo = new MongoClient(withDb(testUrls().mongo, h.db));
  await mongo.connect();
});
afterAll(async () => {
  for (const s of open) s.close();
  await mongo?.close();
  await h?.close();
});

const hourAt = (i: number) => {
  const base = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 24 * 3_600_000;
  return {
    start: new Date(base + i * 3_600_000).toISOString(),
    end: new Date(base + (i + 1) * 3_600_000).toISOString(),
  };
};

/** One profiled operation as "collection operation" (the transaction's commit runs on `admin`: not here). */
function describeOp(p: Document): string {
  const ns = String(p.ns ?? '');
  const coll = ns.slice(ns.indexOf('.') + 1);
  const command = (p.command ?? {}) as Document;
  const name = p.op === 'command' ? (Object.keys(command)[0] ?? 'command') : String(p.op);
  return `${coll} ${name}`;
}

test('a booking:create on its own resource: the transaction reads and writes these commands, and no more', async () => {
  const staff = await loginStaff(h.node.url);
  const room = await createResource(h.node.url, staff.token, 'Commands room');
  const user = await registerUser(h.node.url, 'commands');
  const socket = await connectClient(h.node.url, user.token);
  open.push(socket);
  // Warm: the resource directory, the connection pool, the collections.
  unwrap(await send(socket, 'booking:create', { resourceId: room.id, ...hourAt(0) }));

  const db = mongo.db(h.db);
  await db.command({ profile: 2 });
  const booked = unwrap(await send(socket, 'booking:create', { resourceId: room.id, ...hourAt(2) })).booking;
  await db.command({ profile: 0 });
  // The transaction's operations: others of the node (a session check's user read) may run meanwhile.
  // MongoDB 4.0 profiles an update statement without its transaction's fields: the window has no other.
  const profiled = (await db.collection('system.profile').find({}).sort({ ts: 1 }).toArray()).filter(
    (p) => (p.command as Document | undefined)?.autocommit === false || p.op === 'update',
  );
  const ops = profiled.map(describeOp);
  // Before: 7 (the create's audit event was a bookingEvents insert of its own). The person's count
  // stays a command of its own: one aggregation ($or, $facet) with the resource's read cost mongod
  // more CPU than the two reads once a person has many bookings (1.8 against 1.0-1.5 ms at 200).
  expect(ops).toEqual([
    'bookings query',
    'users update',
    'bookings aggregate',
    'resources findAndModify',
    'bookings insert',
    'outbox insert',
  ]);

  // The embedded creation event is the history's first answer, as when it was a bookingEvents document.
  const events = unwrap(await send(socket, 'booking:history', { bookingId: booked.id })).events;
  expect(events).toEqual([
    {
      at: expect.any(String),
      action: 'create',
      actor: { id: user.user.id, name: 'commands', role: 'user' },
      start: booked.start,
      end: booked.end,
      status: 'active',
    },
  ]);
  expect(await db.collection('bookingEvents').countDocuments({})).toBe(0);

  // A later change is a bookingEvents document, answered after the embedded one.
  unwrap(await send(socket, 'booking:cancel', { bookingId: booked.id }));
  const after = unwrap(await send(socket, 'booking:history', { bookingId: booked.id })).events;
  expect(after.map((e) => [e.action, e.status])).toEqual([
    ['create', 'active'],
    ['cancel', 'cancelled'],
  ]);
  expect(after[0]).toEqual(events[0]);
}, 60_000);

test('mergeFirst puts the embedded event where the collection sorted by (at, _id) would', () => {
  const id = new ObjectId();
  const ev = (at: number, _id: ObjectId) => ({
    _id,
    bookingId: id,
    at: new Date(at),
    action: 'cancel' as const,
    actor: null,
    start: new Date(0),
    end: new Date(1),
    status: 'cancelled' as const,
  });
  const first = { ...ev(1000, id), action: 'create' as const, status: 'active' as const };
  const before = ev(1000, ObjectId.createFromTime(1));
  const later = ev(1000, new ObjectId());
  const last = ev(2000, ObjectId.createFromTime(1));
  expect(mergeFirst(id, first, [before, later, last], 10).map((e) => e.at.getTime())).toEqual([1000, 1000, 1000, 2000]);
  expect(mergeFirst(id, first, [before, later, last], 10)[1]).toBe(first);
  expect(mergeFirst(id, first, [later], 10)[0]).toBe(first);
  expect(mergeFirst(id, first, [before, later, last], 2)).toEqual([before, first]);
  expect(mergeFirst(id, undefined, [later], 10)).toEqual([later]);
});
