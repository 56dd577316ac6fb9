/**
 * (v3) The person's language on the server (docs/protocol.md "Languages"): registration takes the
 * body's `locale`, else the best of `Accept-Language`, else `en`; `profile:update` changes name and
 * language on `/` and `/admin`; every email, live message and `.ics` SUMMARY is written in the
 * recipient's language, with dates and times in the resource's zone. Mails go through the real
 * notifier to a real SMTP server (scripts/lib/mail-catcher.ts).
 */
import { DateTime } from 'luxon';
import { MongoClient } from 'mongodb';
import { io as connect } from 'socket.io-client';
import type { AuthResult, Notification, User } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { CaughtMail, MailCatcher } from '../../scripts/lib/mail-catcher';
import { renderVerificationMail } from '../src/notifications/email-verification.mailer';
import { renderNotification } from '../src/notifications/notification.email';
import type { NotificationJobData } from '../src/notifications/notification.job';
import { startNotificationService } from '../src/notifier';
import type { Notifier } from '../src/notifier';
import { testConfig, testUrls, withDb } from '../../test/support/env';
import {
  connectAdmin,
  connectClient,
  createResource,
  loginStaff,
  minutesFrom,
  send,
  sendAdmin,
  sendRaw,
  slot,
  startHarness,
  unwrap,
  untilAdmitted,
} from '../../test/support/harness';
import type { AdminSocket, ClientSocket, Harness } from '../../test/support/harness';
import { waitFor } from '../../test/support/wait';

let h: Harness;
let catcher: MailCatcher;
let notifier: Notifier;
const sockets: Array<ClientSocket | AdminSocket> = [];

beforeAll(async () => {
  catcher = await startMailCatcher();
  h = await startHarness({ label: 'i18n-mail', count: 1 });
  notifier = await startNotificationService({
    config: testConfig({ db: h.db, env: { NODE_ID: `${h.db}-notifier`, SMTP_URL: catcher.smtpUrl } }),
    retry: { attempts: 6, backoffMs: 150 },
    sweepIntervalMs: 1000,
  });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await notifier?.close();
  await h?.close();
  await catcher?.stop();
});

let seq = 0;
/** Registers over HTTP with an optional body `locale` and `Accept-Language` header. */
async function register(name: string, opts: { locale?: string; acceptLanguage?: string } = {}) {
  seq += 1;
  const email = `${name.toLowerCase().replace(/\W/g, '')}-${seq}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  return untilAdmitted(async () => {
    const res = await fetch(`${h.node.url}/api/auth/register`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.acceptLanguage ? { 'accept-language': opts.acceptLanguage } : {}),
      },
      body: JSON.stringify({
        name,
        email,
        password: 'password123',
        ...(opts.locale ? { locale: opts.locale } : {}),
      }),
    });
    return { status: res.status, body: (await res.json()) as AuthResult };
  });
}

async function client(token: string): Promise<ClientSocket> {
  const s = await connectClient(h.node.url, token);
  sockets.push(s);
  return s;
}

const mailsTo = (email: string): CaughtMail[] => catcher.messages().filter((m) => m.to.includes(email));

/** The SUMMARY of a calendar file (unfolded). */
const summaryOf = (mail: CaughtMail): string | undefined =>
  /\r\nSUMMARY:([^\r\n]*)/.exec((mail.attachments[0]?.content ?? '').replace(/\r\n[ \t]/g, ''))?.[1];

/** Weekday, month and time of an instant as luxon (not the server's code) writes them in a zone and language. */
function expectedParts(iso: string, zone: string, lang: string) {
  const at = DateTime.fromISO(iso, { zone }).setLocale(lang);
  return { weekday: at.toFormat('cccc'), month: at.toFormat('LLLL'), time: at.toFormat('HH:mm') };
}

test('registration: the body locale wins, else Accept-Language, else en; login and the wire user carry it', async () => {
  const spanish = await register('Lucía', { acceptLanguage: 'es-ES,es;q=0.9,en;q=0.5' });
  expect(spanish.status).toBe(201);
  expect(spanish.body.user.locale).toBe('es');
  const bodyWins = await register('Dora', { locale: 'de', acceptLanguage: 'es' });
  expect(bodyWins.body.user.locale).toBe('de');
  const plain = await register('Nobody');
  expect(plain.body.user.locale).toBe('en');
  const unsupported = await register('Jun', { acceptLanguage: 'ja, it;q=0.8' });
  expect(unsupported.body.user.locale).toBe('en');
  const bad = await register('Ivo', { locale: 'it' });
  expect(bad.status).toBe(400);
  // Stored, not just echoed: a fresh sign-in reads it from the database.
  const login = await fetch(`${h.node.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: spanish.body.user.email, password: 'password123' }),
  });
  expect(((await login.json()) as AuthResult).user.locale).toBe('es');
});

test('a German person gets German mails, a German .ics SUMMARY and a German live message, in the resource zone', async () => {
  const staff = await loginStaff(h.node.url);
  const zone = 'Asia/Tokyo';
  const resource = await createResource(h.node.url, staff.token, 'Kyoto Room', { timeZone: zone });
  const greta = (await register('Greta', { locale: 'de' })).body;
  const s = await client(greta.token);
  const seen: Notification[] = [];
  s.on('notification', (n) => seen.push(n));
  const iv = slot(30);
  unwrap(await send(s, 'booking:create', { resourceId: resource.id, ...iv }));

  const mail = await waitFor('the German mail', () => mailsTo(greta.user.email)[0], 15_000);
  const { weekday, month, time } = expectedParts(iv.start, zone, 'de');
  const end = expectedParts(iv.end, zone, 'de').time;
  expect(mail.subject).toMatch(/^Buchung bestätigt: Kyoto Room, /);
  expect(mail.subject).toContain(`${weekday}, `);
  expect(mail.subject).toContain(` ${month} `);
  expect(mail.subject).toContain(`${time}–${end} (Asia/Tokyo)`);
  expect(mail.text).toContain('Guten Tag Greta,');
  expect(mail.text).toMatch(/Ihre Buchung von Kyoto Room am .+ ist bestätigt\./);
  expect(mail.text).toContain('Ressource: Kyoto Room');
  expect(mail.text).toContain('Die angehängte Kalenderdatei');
  expect(mail.html).toContain('<html lang="de">');
  // No English left: the weekday and month are German, the sentences too.
  const englishWeekday = DateTime.fromISO(iv.start, { zone }).setLocale('en').toFormat('cccc');
  expect(`${mail.subject}${mail.text}`).not.toContain(englishWeekday);
  expect(mail.text).not.toMatch(/Hello|Your booking|is confirmed/);
  expect(summaryOf(mail)).toBe('Buchung: Kyoto Room');
  // The calendar logic is unchanged: a REQUEST with the booking's UID.
  expect(mail.attachments[0]?.content).toContain('METHOD:REQUEST');

  const notice = await waitFor('the live message', () => seen[0], 10_000);
  expect(notice.message).toMatch(/^Ihre Buchung von Kyoto Room am /);
});

test('a titled booking names its title in its owner’s subject, sentence and SUMMARY: "<title> — <resource>"', async () => {
  const staff = await loginStaff(h.node.url);
  const resource = await createResource(h.node.url, staff.token, 'Leseraum', { timeZone: 'Europe/Vienna' });
  const owner = (await register('Karl', { acceptLanguage: 'de-AT' })).body;
  const s = await client(owner.token);
  unwrap(await send(s, 'booking:create', { resourceId: resource.id, ...slot(90), title: 'Quartalsplanung' }));
  const mail = await waitFor('the titled mail', () => mailsTo(owner.user.email)[0], 15_000);
  expect(mail.subject).toMatch(/^Buchung bestätigt: Quartalsplanung — Leseraum, /);
  expect(mail.text).toMatch(/Ihre Buchung von Quartalsplanung — Leseraum am .+ ist bestätigt\./);
  expect(mail.text).toContain('Ressource: Leseraum\n');
  expect(summaryOf(mail)).toBe('Buchung: Quartalsplanung — Leseraum');
});

test('a French person (by Accept-Language) gets French mails and a French .ics SUMMARY', async () => {
  const staff = await loginStaff(h.node.url);
  const zone = 'America/New_York';
  const resource = await createResource(h.node.url, staff.token, 'Salle Hudson', { timeZone: zone });
  const reg = await register('Amélie', { acceptLanguage: 'fr-CA,fr;q=0.9' });
  expect(reg.body.user.locale).toBe('fr');
  const s = await client(reg.body.token);
  const iv = slot(50);
  const booking = unwrap(await send(s, 'booking:create', { resourceId: resource.id, ...iv })).booking;
  unwrap(await send(s, 'booking:cancel', { bookingId: booking.id }));

  const mails = await waitFor(
    'two French mails',
    () => {
      const m = mailsTo(reg.body.user.email);
      return m.length >= 2 ? m : null;
    },
    15_000,
  );
  const confirmed = mails.find((m) => m.subject.startsWith('Réservation confirmée : Salle Hudson, '));
  const cancelled = mails.find((m) => m.subject.startsWith('Réservation annulée : Salle Hudson, '));
  if (!confirmed || !cancelled) throw new Error(`unexpected subjects: ${mails.map((m) => m.subject).join(' | ')}`);
  const { weekday, month, time } = expectedParts(iv.start, zone, 'fr');
  expect(confirmed.subject).toContain(`${weekday} `);
  expect(confirmed.subject).toContain(` ${month} `);
  expect(confirmed.subject).toContain(`${time}–`);
  expect(confirmed.subject).toContain('(America/New_York)');
  expect(confirmed.text).toContain('Bonjour Amélie,');
  expect(confirmed.text).toMatch(/Votre réservation de Salle Hudson le .+ est confirmée\./);
  expect(summaryOf(confirmed)).toBe('Réservation : Salle Hudson');
  expect(cancelled.text).toContain('Le fichier de calendrier joint retire l’événement de votre calendrier.');
  expect(cancelled.attachments[0]?.content).toContain('METHOD:CANCEL');
  expect(summaryOf(cancelled)).toBe('Réservation : Salle Hudson');
});

test('profile:update changes the next mail’s language and name, and the name of what the person does next', async () => {
  const staff = await loginStaff(h.node.url);
  const resource = await createResource(h.node.url, staff.token, 'Atelier', { timeZone: 'Europe/Berlin' });
  const anna = (await register('Anna')).body;
  expect(anna.user.locale).toBe('en');
  const s = await client(anna.token);
  const iv = slot(70);
  const booking = unwrap(await send(s, 'booking:create', { resourceId: resource.id, ...iv })).booking;
  const first = await waitFor('the English mail', () => mailsTo(anna.user.email)[0], 15_000);
  expect(first.subject).toMatch(/^Booking confirmed: Atelier, /);

  const updated = unwrap(await send(s, 'profile:update', { locale: 'de', name: 'Anna Schmidt' })).user;
  expect(updated).toMatchObject({ id: anna.user.id, locale: 'de', name: 'Anna Schmidt', email: anna.user.email });
  const moved = { start: minutesFrom(iv.start, 60), end: minutesFrom(iv.end, 60) };
  unwrap(await send(s, 'booking:modify', { bookingId: booking.id, ...moved }));
  const second = await waitFor('the German mail', () => mailsTo(anna.user.email)[1], 15_000);
  expect(second.subject).toMatch(/^Buchung geändert: Atelier, /);
  expect(second.text).toContain('Guten Tag Anna Schmidt,');
  expect(second.text).toMatch(/Ihre Buchung von Atelier wurde auf .+ verschoben \(vorher .+\)\./);
  expect(second.html).toContain('<tr><th align="left">Vorher</th><td><s>');

  // The open connection now carries the new name: the history records it as the actor.
  const history = unwrap(await send(s, 'booking:history', { bookingId: booking.id })).events;
  expect(history.map((e) => [e.action, e.actor?.name])).toEqual([
    ['create', 'Anna'],
    ['modify', 'Anna Schmidt'],
  ]);
});

test('profile:update validation: an unknown language or key changes nothing; {} answers the user as is', async () => {
  const reg = (await register('Pia', { locale: 'es' })).body;
  const s = await client(reg.token);
  const italian = await sendRaw(s, 'profile:update', [{ locale: 'it' }]);
  expect(italian).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
  const extra = await sendRaw(s, 'profile:update', [{ name: 'Pia Neu', role: 'staff' }]);
  expect(extra).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
  const blank = await sendRaw(s, 'profile:update', [{ name: '   ' }]);
  expect(blank).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
  const same = unwrap(await send(s, 'profile:update', {})).user;
  expect(same).toEqual(reg.user);
  expect(same).toMatchObject({ name: 'Pia', locale: 'es', role: 'user' });
});

test('profile:update on /admin: the dashboard saves its person’s language', async () => {
  const staff = await loginStaff(h.node.url);
  const a = await connectAdmin(h.node.url, staff.token);
  sockets.push(a);
  const before = staff.user.locale;
  const user: User = unwrap(await sendAdmin(a, 'profile:update', { locale: 'fr' })).user;
  expect(user).toMatchObject({ id: staff.user.id, role: 'staff', locale: 'fr', name: staff.user.name });
  expect((await loginStaff(h.node.url)).user.locale).toBe('fr');
  expect(unwrap(await sendAdmin(a, 'profile:update', { locale: before })).user.locale).toBe(before);
});

test('a walk-in on a room display is owned by its service account: its confirmation is not mailed, and nothing fails', async () => {
  const staff = await loginStaff(h.node.url);
  const admin = await connectAdmin(h.node.url, staff.token);
  sockets.push(admin);
  const resource = await createResource(h.node.url, staff.token, 'Walk-in room');
  const { url } = unwrap(await sendAdmin(admin, 'display:create', { resourceId: resource.id, name: 'Door' }));
  const display = connect(`${h.node.url}/display`, {
    auth: { displayToken: new URL(url).hash.slice(1) },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  const ack = await new Promise<{ ok: boolean; data?: { booking: { id: string } } }>((resolve) =>
    display.emit('display:bookNow', { minutes: 30 }, resolve),
  );
  display.close();
  expect(ack.ok).toBe(true);
  const bookingId = ack.data?.booking.id ?? '';
  const mongo = await MongoClient.connect(withDb(testUrls().mongo, h.db));
  try {
    const outbox = mongo.db().collection('outbox');
    // The confirmation goes through the outbox like any other, and is settled without a mail.
    await waitFor(
      'the walk-in confirmation settled',
      async () => {
        const entries = await outbox.find({ type: 'booking.confirmed' }).toArray();
        const mine = entries.filter((e) => String(e.bookingId) === bookingId);
        return mine.length === 1 && mine[0]?.sentAt instanceof Date;
      },
      20_000,
    );
  } finally {
    await mongo.close();
  }
  expect(catcher.messages().filter((m) => m.to.some((to) => to.endsWith('.invalid')))).toEqual([]);
});

describe('rendering (no SMTP): plurals, approval and the verification mail in each language', () => {
  const base: NotificationJobData = {
    outboxId: 'a'.repeat(24),
    type: 'series.confirmed',
    bookingId: 'b'.repeat(24),
    userId: 'c'.repeat(24),
    resourceId: 'd'.repeat(24),
    start: '2026-12-07T09:00:00.000Z',
    end: '2026-12-07T10:00:00.000Z',
    version: 2,
    createdAt: '2026-12-06T09:00:00.000Z',
    seriesId: 'e'.repeat(24),
    occurrences: [
      { start: '2026-12-07T09:00:00.000Z', end: '2026-12-07T10:00:00.000Z', recurrenceId: '2026-12-07T09:00:00.000Z' },
      { start: '2026-12-14T09:00:00.000Z', end: '2026-12-14T10:00:00.000Z', recurrenceId: '2026-12-14T09:00:00.000Z' },
    ],
    series: {
      repeat: { every: 'week', weekdays: ['mon'], count: 3 },
      count: 3,
      skipped: [{ start: '2026-12-21T09:00:00.000Z', end: '2026-12-21T10:00:00.000Z', code: 'SLOT_TAKEN' }],
    },
  };
  const render = (job: NotificationJobData, locale: 'en' | 'de' | 'fr' | 'es') =>
    renderNotification({
      job,
      user: { name: 'Ada', email: 'ada@example.com', locale },
      resourceName: 'Aula',
      timeZone: 'Europe/Madrid',
      from: 'Bookings <bookings@localhost>',
      now: new Date('2026-12-06T09:00:00.000Z'),
      publicUrl: 'https://book.example',
      ownerName: 'Bruno',
    });

  const series = base.series ?? { repeat: { every: 'week' as const, count: 1 }, count: 1, skipped: [] };
  const occurrences = base.occurrences ?? [];

  test('a series: ICU plurals and weekday names per language', () => {
    expect(render(base, 'en').message).toMatch(
      /^Your booking of Aula, every week on Mon, 2 occurrences from .+; 1 date was skipped\.$/,
    );
    expect(render(base, 'de').message).toMatch(
      /^Ihre Buchung von Aula, jede Woche am Mo\.?, 2 Termine ab .+; 1 Termin wurde übersprungen\.$/,
    );
    expect(render(base, 'es').message).toMatch(/se ha omitido 1 fecha\.$/);
    const twoSkipped = { ...base, series: { ...series, skipped: [...series.skipped, ...series.skipped] } };
    expect(render(twoSkipped, 'fr').message).toMatch(/ ; 2 dates ont été ignorées\.$/);
    const single = { ...base, occurrences: occurrences.slice(0, 1), series: { ...series, skipped: [] } };
    expect(render(single, 'es').message).toMatch(
      /, 1 sesión desde el lunes, 7 de diciembre de 2026, 10:00–11:00 \(Europe\/Madrid\), está confirmada\.$/,
    );
    expect(render(base, 'es').mail.text).toContain('Ya reservado por otra persona.');
  });

  test('an approver’s request in Spanish; a decline with its reason in German; the title names an owner’s booking', () => {
    const request = render({ ...base, type: 'booking.requested', recipientId: 'f'.repeat(24), title: 'Geheim' }, 'es');
    expect(request.mail.subject).toMatch(/^Aprobación solicitada: Aula, /);
    expect(request.message).toMatch(/^Bruno solicita reservar Aula, 2 sesiones desde el /);
    expect(request.mail.text).toContain('Abra este enlace para aprobar o rechazar:\nhttps://book.example/#approvals');
    const { seriesId: _series, ...single } = base;
    const declined = render({ ...single, type: 'booking.declined', declineReason: 'Wartung' }, 'de');
    expect(declined.message).toMatch(/^Ihre Anfrage für Aula am .+ wurde abgelehnt: Wartung$/);
    const titled = render({ ...base, type: 'booking.confirmed', title: 'Team-Treffen' }, 'de');
    expect(titled.mail.subject).toMatch(/^Buchung bestätigt: Team-Treffen — Aula, /);
    expect(titled.mail.attachments?.[0]?.content).toContain('SUMMARY:Buchung: Team-Treffen — Aula');
  });

  test('the verification mail in each language', () => {
    const link = 'https://book.example/#verify=t';
    expect(renderVerificationMail({ name: 'Ada', email: 'a@example.com', link }).subject).toBe(
      'Confirm your email address',
    );
    const de = renderVerificationMail({ name: 'Ada', email: 'a@example.com', link, locale: 'de' });
    expect(de.subject).toBe('Bestätigen Sie Ihre E-Mail-Adresse');
    expect(de.text).toContain(`Guten Tag Ada,\n\nbitte bestätigen Sie`);
    expect(de.text).toContain(link);
    expect(renderVerificationMail({ name: 'Ada', email: 'a@example.com', link, locale: 'fr' }).subject).toBe(
      'Confirmez votre adresse e-mail',
    );
    expect(renderVerificationMail({ name: 'Ada', email: 'a@example.com', link, locale: 'es' }).html).toContain(
      'Confirmar mi dirección de correo electrónico',
    );
  });
});
