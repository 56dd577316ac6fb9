import { DEFAULT_POLICY } from '@booking/shared';
import {
  describeError,
  durationText,
  errorSentences,
  gridText,
  messagesLocale,
  policyRuleSentence,
  setMessagesLocale,
} from '@booking/client';

const room = {
  type: 'Room',
  policy: {
    ...DEFAULT_POLICY,
    slotMinutes: 15,
    minMinutes: 30,
    maxMinutes: 120,
    minNoticeMinutes: 60,
    maxAdvanceDays: 30,
    bufferMinutes: 10,
  },
};

it('words each policy rule with the resource’s own numbers', () => {
  expect(policyRuleSentence('openingHours', room)).toBe(
    'The room is closed then. Choose a time within its opening hours.',
  );
  expect(policyRuleSentence('grid', room)).toBe('Bookings start and end on the quarter hour.');
  expect(policyRuleSentence('duration', room)).toBe('A booking of this room lasts 30 min to 2 h.');
  expect(policyRuleSentence('notice', room)).toMatch(/at least 1 h ahead/);
  expect(policyRuleSentence('advance', room)).toMatch(/at most 30 days ahead/);
  expect(policyRuleSentence('buffer', room)).toMatch(/keeps 10 min free/);
  // Without a resource, the general sentence.
  expect(policyRuleSentence('grid')).toMatch(/time grid/);
});

it('describeError reads the rule and the quota from details', () => {
  expect(
    describeError({ code: 'POLICY_VIOLATION', message: 'x', details: { rule: 'closure' } }, { resource: room }),
  ).toBe('The room is closed on that day.');
  expect(describeError({ code: 'POLICY_VIOLATION', message: 'x', details: { rule: 'nonsense' } })).toBe(
    'That time does not fit the rules of this resource.',
  );
  expect(
    describeError(
      { code: 'QUOTA_EXCEEDED', message: 'x', details: { scope: 'resource', limit: 3 } },
      { resource: room },
    ),
  ).toMatch(/^You already hold 3 bookings of this room/);
  expect(describeError({ code: 'QUOTA_EXCEEDED', message: 'x', details: { scope: 'user', limit: 1 } })).toMatch(
    /^You already hold 1 booking, the most one person may hold/,
  );
});

it('durations and grids in words', () => {
  expect([5, 60, 90, 1440, 2880].map(durationText)).toEqual(['5 min', '1 h', '1 h 30 min', '1 day', '2 days']);
  expect([1, 30, 60, 20].map(gridText)).toEqual([
    'on whole minutes',
    'on the hour or half hour',
    'on the hour',
    'every 20 min from midnight',
  ]);
});

it('describeError says how many units are free when a booking of several did not fit, and nothing more otherwise', () => {
  const taken = (details: unknown) => describeError({ code: 'SLOT_TAKEN', message: 'taken', details });
  const base = describeError({ code: 'SLOT_TAKEN', message: 'taken' });
  expect(taken({ available: 2 })).toBe(`${base} Only 2 units are free then.`);
  expect(taken({ available: 1 })).toBe(`${base} Only 1 unit is free then.`);
  // A unit resource (or a full pool) reads as before.
  expect(taken({ available: 0 })).toBe(base);
  expect(taken(undefined)).toBe(base);
  expect(describeError({ code: 'BUSY', message: 'busy', details: { available: 3 } })).not.toMatch(/free then/);
});

it('speaks the language set with setMessagesLocale, plurals included', () => {
  try {
    setMessagesLocale('de');
    expect(messagesLocale()).toBe('de');
    expect(durationText(90)).toBe('1 Std. 30 Min.');
    expect(durationText(1440)).toBe('1 Tag');
    expect(policyRuleSentence('closure', room)).toBe('Diese Ressource (Room) ist an diesem Tag geschlossen.');
    expect(errorSentences.SLOT_TAKEN).toMatch(/^Jemand hat diese Zeit/);
    expect(describeError({ code: 'TIMEOUT', message: 'x' })).toMatch(/Der Server hat nicht geantwortet/);
    setMessagesLocale('fr');
    expect(describeError({ code: 'QUOTA_EXCEEDED', message: 'x', details: { scope: 'holds', limit: 2 } })).toMatch(
      /au plus 2 créneaux/,
    );
    setMessagesLocale('es');
    expect(describeError({ code: 'SLOT_TAKEN', message: 'x', details: { available: 1 } })).toMatch(
      /solo queda 1 unidad libre/,
    );
  } finally {
    setMessagesLocale('en');
  }
  expect(durationText(90)).toBe('1 h 30 min');
});
