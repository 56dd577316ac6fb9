/**
 * (v3) Reports (docs/protocol.md "Reports (v3)") on a live node: the figures of a Berlin resource
 * with capacity 2, opening hours and a closure over the weekend the clocks go forward (Sunday
 * 29 March 2026, 02:00 → 03:00), against a hand computation; the weekday × hour cells; CSV shape
 * and quoting; the bookings CSV streamed in chunks; managers limited to their resources; the
 * 366-day limit. Bookings are written straight into MongoDB (they lie in the past).
 */
import { get } from 'node:http';
import type { AuthResult, Group, Resource, UtilisationRow, WeekdayHourRow } from '@booking/shared';
import { Types } from 'mongoose';
import {
  connectAdmin,
  createResource,
  http,
  loginStaff,
  registerUser,
  sendAdmin,
  unwrap,
} from '../../test/support/harness';
import type { AdminSocket } from '../../test/support/harness';
import { useHarness } from '../../test/support/suite';

const h = useHarness({ label: 'reports' });
let staffToken: string;
let staff: AdminSocket;
let berlin: Resource;
let other: Resource;
let owner: AuthResult;
let manager: AuthResult;
let managers: Group;

// Saturday 28 March 2026 00:00 Berlin (CET, +1) to Tuesday 31 March 00:00 (CEST, +2).
const FROM = '2026-03-27T23:00:00.000Z';
const TO = '2026-03-30T22:00:00.000Z';
const Q = `from=${FROM}&to=${TO}`;

const openingHours = {
  mon: [['09:00', '17:00']],
  tue: [],
  wed: [],
  thu: [],
  fri: [],
  sat: [['08:00', '12:00']],
  sun: [['00:00', '06:00']],
};

async function login(email: string): Promise<string> {
  const res = await http<AuthResult>(h.node.url, '/api/auth/login', { body: { email, password: 'password123' } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return res.body.token;
}

type Seed = {
  start: string;
  end: string;
  quantity?: number;
  status?: string;
  cancelReason?: string;
  checkedIn?: boolean;
  title?: string;
};

async function seed(resource: Resource, rows: Seed[]): Promise<Types.ObjectId[]> {
  const docs = rows.map((r) => ({
    _id: new Types.ObjectId(),
    resourceId: new Types.ObjectId(resource.id),
    userId: new Types.ObjectId(owner.user.id),
    start: new Date(r.start),
    end: new Date(r.end),
    status: r.status ?? 'active',
    quantity: r.quantity ?? 1,
    ...(r.cancelReason ? { cancelReason: r.cancelReason } : {}),
    ...(r.checkedIn ? { checkedInAt: new Date(r.start) } : {}),
    ...(r.title !== undefined ? { title: r.title } : {}),
    createdAt: new Date(r.start),
    updatedAt: new Date(r.start),
  }));
  // The native driver: the title field is not in the schema (as from a display's walk-in).
  await h.node.models.Booking.collection.insertMany(docs);
  return docs.map((d) => d._id);
}

function getText(
  path: string,
  token: string,
  accept = 'text/csv',
): Promise<{ status: number; type: string; text: string; chunks: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    get(`${h.node.url}${path}`, { headers: { authorization: `Bearer ${token}`, accept } }, (res) => {
      let text = '';
      let chunks = 0;
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        chunks += 1;
        text += c;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          text,
          chunks,
          headers: res.headers,
        }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

beforeAll(async () => {
  staffToken = (await loginStaff(h.node.url)).token;
  staff = await connectAdmin(h.node.url, staffToken);
  managers = unwrap(await sendAdmin(staff, 'group:create', { name: 'Berlin managers' })).group;
  berlin = await createResource(h.node.url, staffToken, 'Room "Spree", Berlin', {
    timeZone: 'Europe/Berlin',
    capacity: 2,
    access: { visibleTo: null, bookableBy: null, managers: [managers.id] },
    policy: { openingHours, closures: [{ date: '2026-03-30' }], checkIn: { windowMinutes: 15 } },
  });
  other = await createResource(h.node.url, staffToken, 'Other room');
  owner = await registerUser(h.node.url, 'owner');
  const m = await registerUser(h.node.url, 'manager');
  unwrap(await sendAdmin(staff, 'user:setGroups', { userId: m.user.id, groupIds: [managers.id] }));
  manager = { ...m, token: await login(m.user.email) };

  const ids = await seed(berlin, [
    // Saturday (CET = UTC+1). B1: 07:00–09:00, one unit, open from 08:00: 1 h.
    { start: '2026-03-28T06:00:00Z', end: '2026-03-28T08:00:00Z' },
    // B5: Friday 22:00 – Saturday 08:30: starts before the range (not counted as a booking), 0.5 h open.
    { start: '2026-03-27T21:00:00Z', end: '2026-03-28T07:30:00Z' },
    // B3: cancelled by its owner, 10:00–11:00: a cancellation, no time.
    {
      start: '2026-03-28T09:00:00Z',
      end: '2026-03-28T10:00:00Z',
      status: 'cancelled',
      cancelReason: 'user',
      title: '=SUM(A1), "quoted"\nnext',
    },
    // B7: a hold: counts nowhere.
    { start: '2026-03-28T09:00:00Z', end: '2026-03-28T10:00:00Z', status: 'held' },
    // Sunday. B2: 01:00 CET – 04:00 CEST = 2 real hours, checked in.
    { start: '2026-03-29T00:00:00Z', end: '2026-03-29T02:00:00Z', checkedIn: true },
    // B4: 03:00–06:00 CEST, released as a no-show at 03:15: 2.75 h recovered.
    { start: '2026-03-29T01:00:00Z', end: '2026-03-29T04:00:00Z', status: 'cancelled', cancelReason: 'no-show' },
    // B8: 05:00–07:00 CEST, open until 06:00: 1 h.
    { start: '2026-03-29T03:00:00Z', end: '2026-03-29T05:00:00Z' },
    // Monday is a closure: B6, two units 10:00–12:00, counts as a booking but adds no time.
    { start: '2026-03-30T08:00:00Z', end: '2026-03-30T10:00:00Z', quantity: 2 },
  ]);
  const noShow = ids[5];
  if (!noShow) throw new Error('seed');
  await h.node.models.BookingEvent.collection.insertOne({
    bookingId: noShow,
    at: new Date('2026-03-29T01:15:00Z'),
    action: 'cancel',
    actor: null,
    start: new Date('2026-03-29T01:00:00Z'),
    end: new Date('2026-03-29T04:00:00Z'),
    status: 'cancelled',
  });
  await seed(other, [{ start: '2026-03-28T10:00:00Z', end: '2026-03-28T11:00:00Z' }]);
});

afterAll(() => staff?.close());

test('utilisation of the Berlin resource across the spring-forward weekend matches the hand computation', async () => {
  const res = await http<{ rows: UtilisationRow[] }>(
    h.node.url,
    `/api/reports/utilisation?${Q}&resourceId=${berlin.id}`,
    { token: staffToken },
  );
  expect(res.status).toBe(200);
  // Open: Saturday 08–12 (4 h), Sunday 00–06 local = 5 h (02:00–03:00 does not exist), Monday closed: 9 h.
  // Booked unit-hours: 1 + 0.5 + 2 + 1 = 4.5 of 9 × 2 = 18: 0.25.
  expect(res.body.rows).toEqual([
    {
      resourceId: berlin.id,
      name: 'Room "Spree", Berlin',
      capacity: 2,
      openHours: 9,
      bookedHours: 4.5,
      utilisation: 0.25,
      bookings: 6,
      cancellations: 1,
      noShows: 1,
      noShowRate: 0.5,
      checkInRate: 0.5,
      releasedHours: 2.75,
    },
  ]);
});

test('weekday × hour cells are in Berlin local time', async () => {
  const res = await http<{ rows: WeekdayHourRow[] }>(
    h.node.url,
    `/api/reports/utilisation?${Q}&resourceId=${berlin.id}&groupBy=weekdayHour`,
    {
      token: staffToken,
    },
  );
  expect(res.status).toBe(200);
  expect(res.body.rows).toHaveLength(7 * 24);
  const cell = (weekday: string, hour: number) =>
    res.body.rows.find((r) => r.weekday === weekday && r.hour === hour)?.utilisation;
  expect(cell('sat', 7)).toBe(0); // booked but closed
  expect(cell('sat', 8)).toBe(0.75); // 1 + 0.5 of 1 h × 2
  expect(cell('sat', 9)).toBe(0);
  expect(cell('sun', 0)).toBe(0);
  expect(cell('sun', 1)).toBe(0.5);
  expect(cell('sun', 2)).toBe(0); // the skipped hour
  expect(cell('sun', 3)).toBe(0.5);
  expect(cell('sun', 4)).toBe(0); // released
  expect(cell('sun', 5)).toBe(0.5);
  expect(cell('mon', 10)).toBe(0); // closure
  const busy = res.body.rows.filter((r) => r.utilisation > 0).map((r) => `${r.weekday}${r.hour}`);
  expect(busy.sort()).toEqual(['sat8', 'sun1', 'sun3', 'sun5']);
});

test('the same as CSV: a header row and one row per JSON row', async () => {
  const res = await getText(`/api/reports/utilisation?${Q}`, staffToken);
  expect(res.status).toBe(200);
  expect(res.type).toMatch(/^text\/csv/);
  const lines = res.text.split('\r\n');
  expect(lines[0]).toBe(
    'resourceId,name,capacity,openHours,bookedHours,utilisation,bookings,cancellations,noShows,noShowRate,checkInRate,releasedHours',
  );
  expect(lines).toContain(`${berlin.id},"Room ""Spree"", Berlin",2,9,4.5,0.25,6,1,1,0.5,0.5,2.75`);
  // Other room (UTC, no opening hours): open the whole range, 71 real hours; 1 h of 1 unit.
  expect(lines).toContain(`${other.id},Other room,1,71,1,0.0141,1,0,0,0,0,0`);
  expect(lines.at(-1)).toBe('');
});

test('bookings CSV: every booking starting in the range, local times, quoting', async () => {
  const res = await getText(`/api/reports/bookings.csv?${Q}&resourceId=${berlin.id}`, staffToken, '*/*');
  expect(res.status).toBe(200);
  expect(res.type).toMatch(/^text\/csv/);
  expect(String(res.headers['content-disposition'])).toContain('attachment; filename="bookings-');
  const lines = res.text.split('\r\n');
  expect(lines[0]).toBe(
    'id,resourceId,resource,userEmail,startLocal,endLocal,timeZone,startUtc,endUtc,quantity,status,cancelReason,checkedInAt,title',
  );
  // B5 started before the range: absent; the hold is there (whatever its status).
  expect(res.text).not.toContain('2026-03-27T21:00:00.000Z');
  expect(res.text).toContain(',held,');
  // B2: 01:00 CET to 04:00 CEST, two real hours.
  expect(res.text).toContain(
    `"Room ""Spree"", Berlin",${owner.user.email},2026-03-29T01:00,2026-03-29T04:00,Europe/Berlin,` +
      '2026-03-29T00:00:00.000Z,2026-03-29T02:00:00.000Z,1,completed,,2026-03-29T00:00:00.000Z,',
  );
  expect(res.text).toContain(
    `2026-03-29T03:00,2026-03-29T06:00,Europe/Berlin,2026-03-29T01:00:00.000Z,2026-03-29T04:00:00.000Z,1,cancelled,no-show,,`,
  );
  // The formula is neutralised and the field quoted, quotes doubled, the newline kept inside quotes.
  expect(res.text).toContain(`,cancelled,user,,"'=SUM(A1), ""quoted""\nnext"\r\n`);
  // 7 bookings start in [from, to) on Berlin: header + 7 rows + the final empty string (the title's
  // bare LF stays inside its quotes; records end in CRLF).
  expect(lines.length).toBe(1 + 7 + 1);
});

test('the bookings CSV is streamed in chunks, not sent as one body', async () => {
  const big = await createResource(h.node.url, staffToken, 'Stream room', { capacity: 1000 });
  const n = 5_000;
  const rows: Seed[] = [];
  for (let i = 0; i < n; i += 1) {
    const start = Date.parse('2025-01-01T00:00:00Z') + i * 60_000;
    rows.push({ start: new Date(start).toISOString(), end: new Date(start + 30 * 60_000).toISOString() });
  }
  await seed(big, rows);
  const res = await getText(
    `/api/reports/bookings.csv?from=2025-01-01T00:00:00Z&to=2025-12-31T00:00:00Z&resourceId=${big.id}`,
    staffToken,
  );
  expect(res.status).toBe(200);
  expect(res.headers['transfer-encoding']).toBe('chunked');
  expect(res.headers['content-length']).toBeUndefined();
  expect(res.chunks).toBeGreaterThan(10);
  const lines = res.text.split('\r\n').filter((l) => l !== '');
  expect(lines).toHaveLength(n + 1);
  // In start order.
  expect(lines[1]).toContain('2025-01-01T00:00:00.000Z');
  expect(lines[n]).toContain(new Date(Date.parse('2025-01-01T00:00:00Z') + (n - 1) * 60_000).toISOString());
});

test('a manager sees only the resources they manage; others answer NOT_FOUND; plain users FORBIDDEN', async () => {
  const mine = await http<{ rows: UtilisationRow[] }>(h.node.url, `/api/reports/utilisation?${Q}`, {
    token: manager.token,
  });
  expect(mine.status).toBe(200);
  expect(mine.body.rows.map((r) => r.resourceId)).toEqual([berlin.id]);
  const theirs = await http<{ error: { code: string } }>(
    h.node.url,
    `/api/reports/utilisation?${Q}&resourceId=${other.id}`,
    {
      token: manager.token,
    },
  );
  expect(theirs.status).toBe(404);
  expect(theirs.body.error.code).toBe('NOT_FOUND');
  const csv = await getText(`/api/reports/bookings.csv?${Q}`, manager.token);
  expect(csv.status).toBe(200);
  expect(csv.text).toContain(berlin.id);
  expect(csv.text).not.toContain(other.id);
  const plain = await http<{ error: { code: string } }>(h.node.url, `/api/reports/utilisation?${Q}`, {
    token: owner.token,
  });
  expect(plain.status).toBe(403);
  const anonymous = await http<{ error: { code: string } }>(h.node.url, `/api/reports/utilisation?${Q}`);
  expect(anonymous.status).toBe(401);
});

test('ranges: at most 366 days, to after from, weekdayHour needs a resource', async () => {
  const long = await http<{ error: { code: string } }>(
    h.node.url,
    `/api/reports/utilisation?from=2025-01-01T00:00:00Z&to=2026-01-03T00:00:00Z`,
    {
      token: staffToken,
    },
  );
  expect(long.status).toBe(400);
  expect(long.body.error.code).toBe('VALIDATION_ERROR');
  const leap = await http(h.node.url, `/api/reports/utilisation?from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z`, {
    token: staffToken,
  });
  expect(leap.status).toBe(200);
  const backwards = await http(h.node.url, `/api/reports/bookings.csv?from=${TO}&to=${FROM}`, { token: staffToken });
  expect(backwards.status).toBe(400);
  const noResource = await http(h.node.url, `/api/reports/utilisation?${Q}&groupBy=weekdayHour`, { token: staffToken });
  expect(noResource.status).toBe(400);
});

test('API keys: reports:read opens the reports, a key without it answers 403', async () => {
  const reader = unwrap(await sendAdmin(staff, 'apiKey:create', { name: 'BI export', scopes: ['reports:read'] }));
  const other = unwrap(await sendAdmin(staff, 'apiKey:create', { name: 'Door', scopes: ['bookings:read'] }));
  const ok = await http<{ rows: UtilisationRow[] }>(
    h.node.url,
    `/api/reports/utilisation?${Q}&resourceId=${berlin.id}`,
    {
      token: reader.secret,
    },
  );
  expect(ok.status).toBe(200);
  expect(ok.body.rows[0]?.bookedHours).toBe(4.5);
  const csv = await getText(`/api/reports/bookings.csv?${Q}&resourceId=${berlin.id}`, reader.secret);
  expect(csv.status).toBe(200);
  for (const path of [`/api/reports/utilisation?${Q}`, `/api/reports/bookings.csv?${Q}`]) {
    const refused = await http<{ error: { code: string } }>(h.node.url, path, { token: other.secret });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
  }
});

test('the autumn day has 25 hours and its repeated hour 02 counts twice in its cell', async () => {
  const autumn = await createResource(h.node.url, staffToken, 'Autumn room', {
    timeZone: 'Europe/Berlin',
    capacity: 2,
  });
  // 02:00–03:00 CEST, the first of the two 02 hours of Sunday 25 October 2026, one unit.
  await seed(autumn, [{ start: '2026-10-25T00:00:00Z', end: '2026-10-25T01:00:00Z' }]);
  // The local day: 00:00 CEST (22:00Z the day before) to 00:00 CET the next day (23:00Z).
  const day = `from=2026-10-24T22:00:00Z&to=2026-10-25T23:00:00Z&resourceId=${autumn.id}`;
  const byResource = await http<{ rows: UtilisationRow[] }>(h.node.url, `/api/reports/utilisation?${day}`, {
    token: staffToken,
  });
  expect(byResource.body.rows[0]).toMatchObject({ openHours: 25, bookedHours: 1, utilisation: 0.02, bookings: 1 });
  const cells = await http<{ rows: WeekdayHourRow[] }>(
    h.node.url,
    `/api/reports/utilisation?${day}&groupBy=weekdayHour`,
    {
      token: staffToken,
    },
  );
  // Cell sun 02: open twice (2 h × 2 units), booked 1 unit-hour.
  expect(cells.body.rows.filter((r) => r.utilisation > 0)).toEqual([
    { resourceId: autumn.id, weekday: 'sun', hour: 2, utilisation: 0.25 },
  ]);
});
