import { DEFAULT_POLICY } from '@booking/shared';
import { formFromResource, parseWindows, readPolicyForm, serverErrors, weekPicture } from '../src/renderer/policy-form';

const resource = {
  timeZone: 'Europe/Berlin',
  policy: {
    ...DEFAULT_POLICY,
    openingHours: {
      mon: [
        ['09:00', '12:00'],
        ['13:00', '17:00'],
      ] as Array<[string, string]>,
      tue: [],
      wed: [],
      thu: [],
      fri: [],
      sat: [],
      sun: [],
    },
    closures: [{ date: '2031-12-25', reason: 'Christmas Day' }],
    maxActivePerUser: 2,
  },
};

it('round-trips a policy through the form', () => {
  const form = formFromResource(resource);
  expect(form.hours.mon).toBe('09:00-12:00, 13:00-17:00');
  expect(form.closures).toBe('2031-12-25 Christmas Day');
  const read = readPolicyForm(form);
  expect(read).toEqual({ ok: true, timeZone: 'Europe/Berlin', policy: { ...resource.policy } });
  expect(weekPicture(form).mon).toEqual([
    [540, 720],
    [780, 1020],
  ]);
});

it('shows the shared schemas’ errors on their fields before anything is sent', () => {
  const form = formFromResource(resource);
  const bad = readPolicyForm({
    ...form,
    timeZone: 'Mars/Olympus',
    hours: { ...form.hours, tue: 'nine to five', wed: '17:00-09:00' },
    closures: '2031-02-30',
    numbers: { ...form.numbers, slotMinutes: '7', minMinutes: '90', maxMinutes: '60' },
    checkIn: '',
  });
  expect(bad.ok).toBe(false);
  if (bad.ok) return;
  expect(bad.errors.timeZone).toMatch(/IANA/);
  expect(bad.errors['hours.tue']).toMatch(/09:00-17:00/);
  expect(bad.errors['hours.wed']).toMatch(/end after it starts/);
  expect(bad.errors.closures).toMatch(/^line 1/);
  expect(bad.errors.slotMinutes).toMatch(/divide 1440/);
  expect(bad.errors.maxMinutes).toMatch(/minMinutes must not exceed/);
  expect(parseWindows('9:00-10:30')).toEqual([['09:00', '10:30']]);
});

it('puts server VALIDATION_ERROR details on the same fields', () => {
  const { fields, other } = serverErrors([
    { path: 'policy.openingHours.fri.0.1', message: 'a window must end after it starts' },
    { path: 'timeZone', message: 'must be an IANA time zone' },
    { path: 'name', message: 'too long' },
  ]);
  expect(fields).toEqual({ 'hours.fri': 'a window must end after it starts', timeZone: 'must be an IANA time zone' });
  expect(other).toEqual(['name: too long']);
});

it('(v3) round-trips public titles, the display language and check-in strikes; strikes need a check-in window', () => {
  const v3 = {
    ...resource,
    policy: {
      ...resource.policy,
      publicTitles: true,
      locale: 'de' as const,
      checkIn: { windowMinutes: 10, strikes: 3 },
    },
  };
  const form = formFromResource(v3);
  expect(form).toMatchObject({ publicTitles: true, locale: 'de', checkIn: '10', strikes: '3' });
  expect(readPolicyForm(form)).toEqual({ ok: true, timeZone: 'Europe/Berlin', policy: v3.policy });
  // Strikes emptied: off (the check-in window stays).
  const noStrikes = readPolicyForm({ ...form, strikes: '' });
  expect(noStrikes.ok && noStrikes.policy.checkIn).toEqual({ windowMinutes: 10 });
  const off = readPolicyForm({ ...form, checkIn: '' });
  expect(off).toMatchObject({ ok: false, errors: { 'checkIn.strikes': expect.stringMatching(/check-in window/) } });
  const zero = readPolicyForm({ ...form, strikes: '0' });
  expect(zero.ok).toBe(false);
  if (!zero.ok) expect(Object.keys(zero.errors)).toEqual(['checkIn.strikes']);
  expect(serverErrors([{ path: 'policy.checkIn.strikes', message: 'too big' }]).fields).toEqual({
    'checkIn.strikes': 'too big',
  });
});
