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

test("a booking's reads scan the weeks around it and the person's future, not the organisation's history", async () => {
  // Years of history, as an organisation has: the room's past bookings (still `active`: completed),
  // the person's many cancelled ones, and everyone's future bookings of other rooms. Before, the
  // overlap read had no lower bound on start (the room's whole past, or everyone's future, by
  // whichever index won) and the person's count had no index of its own (their whole history, or
  // everyone's future); each now has bounds that reach only the few bookings that can matter.
  const staff = await loginStaff(h.node.url);
  const room = await createResource(h.node.url, staff.token, 'History room');
  const user = await registerUser(h.node.url, 'history');
  const socket = await connectClient(h.node.url, user.token);
  open.push(socket);
  const db = mongo.db(h.db);
  const hour = 3_600_000;
  const now = Date.now();
  const someone = new ObjectId();
  const doc = (o: { resourceId: ObjectId; userId: ObjectId; status: string; start: number }) => ({
    _id: new ObjectId(),
    resourceId: o.resourceId,
    userId: o.userId,
    start: new Date(o.start),
    end: new Date(o.start + hour),
    status: o.status,
    quantity: 1,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  const roomId = new ObjectId(room.id);
  const userId = new ObjectId(user.user.id);
  const n = 1500;
  await db.collection('bookings').insertMany([
    ...Array.from({ length: n }, (_, i) =>
      doc({ resourceId: roomId, userId: someone, status: 'active', start: now - 400 * 24 * hour + i * 6 * hour }),
    ),
    ...Array.from({ length: n }, (_, i) =>
      doc({ resourceId: new ObjectId(), userId, status: 'cancelled', start: now - 200 * 24 * hour + i * 4 * hour }),
    ),
    ...Array.from({ length: n }, (_, i) =>
      doc({
        resourceId: new ObjectId(),
        userId: new ObjectId(),
        status: 'active',
        start: now + 48 * hour + i * hour,
      }),
    ),
  ]);
  unwrap(await send(socket, 'booking:create', { resourceId: room.id, ...hourAt(0) })); // warm

  const since = new Date(); // the test before profiled this database too
  await db.command({ profile: 2 });
  unwrap(await send(socket, 'booking:create', { resourceId: room.id, ...hourAt(3) }));
  await db.command({ profile: 0 });
  const reads = (
    await db
      .collection('system.profile')
      .find({ ns: `${h.db}.bookings`, ts: { $gte: since } })
      .toArray()
  ).filter(
    (p) => (p.command as Document | undefined)?.autocommit === false && ['query', 'command'].includes(String(p.op)),
  );
  const examined = reads.map((p) => ({
    op: describeOp(p),
    keys: Number(p.keysExamined),
    docs: Number(p.docsExamined),
  }));
  expect(examined.map((e) => e.op)).toEqual(['bookings query', 'bookings aggregate']);
  // A handful each (the warm-up booking, the index's seeks), against 1,500 and more before.
  for (const e of examined) {
    expect(e.keys).toBeLessThan(20);
    expect(e.docs).toBeLessThan(20);
  }
}, 60_000);
