/**
 * (v3) A resource's access as staff edit it, with no DOM: who may see it (everyone, or chosen
 * groups), who may book it (everyone who can see it, chosen groups, or nobody but its managers)
 * and its managers (groups). `readAccessForm` answers the `access` that `resource:update` sends,
 * whole: `null` when everyone may see and book and nobody manages (the server's default), which
 * clears it. The rules themselves are the shared `mayAccess`; this only shapes the payload.
 */
import type { ResourceAccess } from '@booking/shared';

export type SeeChoice = 'everyone' | 'groups';
export type BookChoice = 'viewers' | 'groups' | 'nobody';

export interface AccessForm {
  see: SeeChoice;
  /** Ticked under "Who may see it" (used when `see` is `groups`). */
  seeGroups: string[];
  book: BookChoice;
  /** Ticked under "Who may book it" (used when `book` is `groups`). */
  bookGroups: string[];
  managers: string[];
}

export const SEE_CHOICES: ReadonlyArray<{ value: SeeChoice; label: string }> = [
  { value: 'everyone', label: 'Everyone' },
  { value: 'groups', label: 'Only the chosen groups' },
];

export const BOOK_CHOICES: ReadonlyArray<{ value: BookChoice; label: string }> = [
  { value: 'viewers', label: 'Everyone who can see it' },
  { value: 'groups', label: 'Only the chosen groups' },
  { value: 'nobody', label: 'Nobody but its managers (view only)' },
];

export function accessFormOf(access: ResourceAccess | null): AccessForm {
  if (access === null) return { see: 'everyone', seeGroups: [], book: 'viewers', bookGroups: [], managers: [] };
  const book: BookChoice =
    access.bookableBy === null ? 'viewers' : access.bookableBy.length === 0 ? 'nobody' : 'groups';
  return {
    see: access.visibleTo === null ? 'everyone' : 'groups',
    seeGroups: [...(access.visibleTo ?? [])],
    book,
    bookGroups: [...(access.bookableBy ?? [])],
    managers: [...access.managers],
  };
}

export type AccessRead =
  { ok: true; access: ResourceAccess | null } | { ok: false; field: 'see' | 'book'; message: string };

const unique = (ids: string[]): string[] => [...new Set(ids)];

/** The `access` to send, or the sentence saying which choice is missing its groups. */
export function readAccessForm(form: AccessForm): AccessRead {
  if (form.see === 'groups' && form.seeGroups.length === 0)
    return { ok: false, field: 'see', message: 'Choose at least one group that may see it, or choose Everyone.' };
  if (form.book === 'groups' && form.bookGroups.length === 0) {
    return {
      ok: false,
      field: 'book',
      message: 'Choose at least one group that may book it, or choose "Everyone who can see it".',
    };
  }
  const access: ResourceAccess = {
    visibleTo: form.see === 'everyone' ? null : unique(form.seeGroups),
    bookableBy: form.book === 'viewers' ? null : form.book === 'nobody' ? [] : unique(form.bookGroups),
    managers: unique(form.managers),
  };
  const open = access.visibleTo === null && access.bookableBy === null && access.managers.length === 0;
  return { ok: true, access: open ? null : access };
}

const names = (ids: string[], nameOf: (id: string) => string): string => ids.map(nameOf).join(', ');

/** The current access in sentences, groups by name (`nameOf` answers something for an unknown id). */
export function describeAccess(access: ResourceAccess | null, nameOf: (id: string) => string): string {
  if (access === null) return 'Everyone may see and book it; only staff manage it.';
  const see = access.visibleTo === null ? 'Everyone may see it' : `Seen by ${names(access.visibleTo, nameOf)}`;
  const book =
    access.bookableBy === null
      ? 'everyone who sees it may book it'
      : access.bookableBy.length === 0
        ? 'nobody but its managers may book it'
        : `booked by ${names(access.bookableBy, nameOf)}`;
  const manage =
    access.managers.length === 0
      ? 'Only staff manage it.'
      : `Managed by ${names(access.managers, nameOf)} (and staff).`;
  return `${see}; ${book}. ${manage}`;
}
