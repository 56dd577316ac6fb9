import { mayAccess } from '@booking/shared';
import { accessFormOf, describeAccess, readAccessForm } from '../src/renderer/access-form';
import type { AccessForm } from '../src/renderer/access-form';

const open: AccessForm = { see: 'everyone', seeGroups: [], book: 'viewers', bookGroups: [], managers: [] };
const names: Record<string, string> = { g1: 'Engineering', g2: 'Front desk', g3: 'Facilities' };
const nameOf = (id: string) => names[id] ?? '?';

it('sends null when everyone may see and book and nobody manages (and reads null back as that)', () => {
  expect(readAccessForm(open)).toEqual({ ok: true, access: null });
  expect(accessFormOf(null)).toEqual(open);
  // Groups ticked under a choice of Everyone are not sent.
  expect(readAccessForm({ ...open, seeGroups: ['g1'], bookGroups: ['g2'] })).toEqual({ ok: true, access: null });
});

it('sends the access whole, each list without repeats', () => {
  const read = readAccessForm({
    see: 'groups',
    seeGroups: ['g1', 'g1'],
    book: 'groups',
    bookGroups: ['g2'],
    managers: ['g3', 'g3'],
  });
  expect(read).toEqual({ ok: true, access: { visibleTo: ['g1'], bookableBy: ['g2'], managers: ['g3'] } });
  expect(readAccessForm({ ...open, managers: ['g3'] })).toEqual({
    ok: true,
    access: { visibleTo: null, bookableBy: null, managers: ['g3'] },
  });
});

it('sends an empty bookableBy for "nobody but its managers", which the shared rule reads as view only', () => {
  const read = readAccessForm({ ...open, book: 'nobody', bookGroups: ['g2'], managers: ['g3'] });
  expect(read).toEqual({ ok: true, access: { visibleTo: null, bookableBy: [], managers: ['g3'] } });
  if (!read.ok || read.access === null) throw new Error('an access');
  const member = { role: 'user' as const, groups: ['g1'] };
  expect(mayAccess(member, read.access, 'view')).toBe(true);
  expect(mayAccess(member, read.access, 'book')).toBe(false);
  expect(mayAccess({ role: 'user', groups: ['g3'] }, read.access, 'book')).toBe(true);
  expect(accessFormOf(read.access).book).toBe('nobody');
});

it('refuses "chosen groups" with none chosen, naming the choice', () => {
  const see = readAccessForm({ ...open, see: 'groups' });
  expect(see).toMatchObject({ ok: false, field: 'see' });
  expect(!see.ok && see.message).toMatch(/at least one group that may see it/);
  const book = readAccessForm({ ...open, book: 'groups' });
  expect(book).toMatchObject({ ok: false, field: 'book' });
});

it('round-trips a stored access through the form', () => {
  const access = { visibleTo: ['g1', 'g2'], bookableBy: ['g2'], managers: ['g3'] };
  expect(readAccessForm(accessFormOf(access))).toEqual({ ok: true, access });
  const onlyBookers = { visibleTo: null, bookableBy: ['g1'], managers: [] };
  expect(readAccessForm(accessFormOf(onlyBookers))).toEqual({ ok: true, access: onlyBookers });
});

it('says the current access in a sentence, groups by name', () => {
  expect(describeAccess(null, nameOf)).toBe('Everyone may see and book it; only staff manage it.');
  expect(describeAccess({ visibleTo: ['g1', 'g2'], bookableBy: ['g2'], managers: ['g3'] }, nameOf)).toBe(
    'Seen by Engineering, Front desk; booked by Front desk. Managed by Facilities (and staff).',
  );
  expect(describeAccess({ visibleTo: null, bookableBy: [], managers: [] }, nameOf)).toBe(
    'Everyone may see it; nobody but its managers may book it. Only staff manage it.',
  );
});
