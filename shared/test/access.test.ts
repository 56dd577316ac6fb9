/**
 * The one access rule (shared/src/access.ts): who may view, book and manage a resource, and where a
 * restricted resource's broadcasts go. The whole matrix, row by row.
 */
import { ResourceAccessSchema, mayAccess, viewerGroups } from '@booking/shared';
import type { AccessPerson, AccessRight, ResourceAccess } from '@booking/shared';

const staff: AccessPerson = { role: 'staff', groups: [] };
const nobody: AccessPerson = { role: 'user', groups: [] };
const inA: AccessPerson = { role: 'user', groups: ['A'] };
const inB: AccessPerson = { role: 'user', groups: ['B'] };
const inM: AccessPerson = { role: 'user', groups: ['M'] };
const inOther: AccessPerson = { role: 'user', groups: ['Z'] };
const inAandB: AccessPerson = { role: 'user', groups: ['Z', 'B'] };

const rights = (person: AccessPerson, access: ResourceAccess | null): Record<AccessRight, boolean> => ({
  view: mayAccess(person, access, 'view'),
  book: mayAccess(person, access, 'book'),
  manage: mayAccess(person, access, 'manage'),
});
const all = { view: true, book: true, manage: true };
const viewBook = { view: true, book: true, manage: false };
const viewOnly = { view: true, book: false, manage: false };
const none = { view: false, book: false, manage: false };

const acc = (over: Partial<ResourceAccess>): ResourceAccess => ({
  visibleTo: null,
  bookableBy: null,
  managers: [],
  ...over,
});

describe('mayAccess', () => {
  test('access null: everyone views and books, nobody but staff manages', () => {
    expect(rights(nobody, null)).toEqual(viewBook);
    expect(rights(inA, null)).toEqual(viewBook);
    expect(rights(staff, null)).toEqual(all);
  });

  test('every list null (an access object that restricts nothing) is as null', () => {
    const open = acc({});
    for (const p of [nobody, inA, inOther]) expect(rights(p, open)).toEqual(viewBook);
    expect(rights(staff, open)).toEqual(all);
  });

  test('visibleTo a list, bookableBy null: members view and book, others (and people in no group) nothing', () => {
    const a = acc({ visibleTo: ['A'] });
    expect(rights(inA, a)).toEqual(viewBook);
    expect(rights(inB, a)).toEqual(none);
    expect(rights(inOther, a)).toEqual(none);
    expect(rights(nobody, a)).toEqual(none);
    expect(rights(staff, a)).toEqual(all);
  });

  test('visibleTo an empty list: nobody but staff (and managers) sees it', () => {
    const empty = acc({ visibleTo: [], managers: ['M'] });
    expect(rights(nobody, empty)).toEqual(none);
    expect(rights(inA, empty)).toEqual(none);
    expect(rights(inM, empty)).toEqual(all);
    expect(rights(staff, empty)).toEqual(all);
  });

  test('visibleTo null, bookableBy a list: everyone views, only those groups book', () => {
    const b = acc({ bookableBy: ['B'] });
    expect(rights(nobody, b)).toEqual(viewOnly);
    expect(rights(inA, b)).toEqual(viewOnly);
    expect(rights(inB, b)).toEqual(viewBook);
    expect(rights(inAandB, b)).toEqual(viewBook);
    expect(rights(staff, b)).toEqual(all);
  });

  test('bookableBy an empty list: view-only for everyone but staff and managers', () => {
    const closed = acc({ bookableBy: [], managers: ['M'] });
    expect(rights(nobody, closed)).toEqual(viewOnly);
    expect(rights(inA, closed)).toEqual(viewOnly);
    expect(rights(inM, closed)).toEqual(all);
  });

  test('both lists: a group that may book also views; a viewer group outside bookableBy only views', () => {
    const both = acc({ visibleTo: ['A'], bookableBy: ['B'] });
    expect(rights(inA, both)).toEqual(viewOnly);
    expect(rights(inB, both)).toEqual(viewBook);
    expect(rights(inOther, both)).toEqual(none);
    expect(rights(nobody, both)).toEqual(none);
    expect(rights(staff, both)).toEqual(all);
  });

  test('managers view, book and manage, whatever the other lists say', () => {
    const managed = acc({ visibleTo: ['A'], bookableBy: ['A'], managers: ['M'] });
    expect(rights(inM, managed)).toEqual(all);
    expect(rights(inA, managed)).toEqual(viewBook);
    expect(rights(nobody, managed)).toEqual(none);
    expect(rights(inM, acc({ managers: ['M'] }))).toEqual(all);
    expect(rights(inA, acc({ managers: ['M'] }))).toEqual(viewBook);
  });

  test('staff may everything, even with every list empty', () => {
    expect(rights(staff, acc({ visibleTo: [], bookableBy: [], managers: [] }))).toEqual(all);
  });
});

describe('viewerGroups', () => {
  test('null when everyone may view', () => {
    expect(viewerGroups(null)).toBeNull();
    expect(viewerGroups(acc({}))).toBeNull();
    expect(viewerGroups(acc({ bookableBy: ['B'], managers: ['M'] }))).toBeNull();
  });

  test('the viewer, booker and manager groups, each once, when visibleTo is a list', () => {
    expect(viewerGroups(acc({ visibleTo: ['A'] }))).toEqual(['A']);
    expect(viewerGroups(acc({ visibleTo: ['A', 'B'], bookableBy: ['B', 'C'], managers: ['M', 'A'] }))).toEqual([
      'A',
      'B',
      'C',
      'M',
    ]);
    expect(viewerGroups(acc({ visibleTo: [] }))).toEqual([]);
  });

  test('every person who may view is in one of the groups (or staff), across the matrix', () => {
    const lists = [null, [], ['A'], ['B'], ['A', 'B']];
    const people = [nobody, inA, inB, inM, inOther, inAandB];
    for (const visibleTo of lists)
      for (const bookableBy of lists)
        for (const managers of [[], ['M']]) {
          const access = acc({ visibleTo, bookableBy, managers });
          const groups = viewerGroups(access);
          for (const p of people) {
            const hears = groups === null || p.groups.some((g) => groups.includes(g));
            expect([JSON.stringify(access), p.groups, hears]).toEqual([
              JSON.stringify(access),
              p.groups,
              mayAccess(p, access, 'view'),
            ]);
          }
        }
  });
});

describe('ResourceAccessSchema', () => {
  test('defaults: lists null, managers empty; duplicates dropped; unknown keys refused', () => {
    expect(ResourceAccessSchema.parse({})).toEqual({ visibleTo: null, bookableBy: null, managers: [] });
    expect(ResourceAccessSchema.parse({ visibleTo: ['A', 'A'] }).visibleTo).toEqual(['A']);
    expect(ResourceAccessSchema.safeParse({ viewers: ['A'] }).success).toBe(false);
  });
});
