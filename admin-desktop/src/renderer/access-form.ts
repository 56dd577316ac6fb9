/**
 * (v3) A resource's access as staff edit it, with no DOM: who may see it (everyone, or chosen
 * groups), who may book it (everyone who can see it, chosen groups, or nobody but its managers)
 * and its managers (groups). `readAccessForm` answers the `access` that `resource:update` sends,
 * whole: `null` when everyone may see and book and nobody manages (the server's default), which
 * clears it. The rules themselves are the shared `mayAccess`; this only shapes the payload.
 */
import type { ResourceAccess } from '@booking/shared';
import { intlTag, t } from './i18n';

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

/** The choices with their words (in the dashboard's language when called). */
export const seeChoices = (): ReadonlyArray<{ value: SeeChoice; label: string }> => [
  { value: 'everyone', label: t('access.everyone') },
  { value: 'groups', label: t('access.chosenGroups') },
];

export const bookChoices = (): ReadonlyArray<{ value: BookChoice; label: string }> => [
  { value: 'viewers', label: t('access.viewers') },
  { value: 'groups', label: t('access.chosenGroups') },
  { value: 'nobody', label: t('access.nobody') },
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
    return { ok: false, field: 'see', message: t('access.chooseSee') };
  if (form.book === 'groups' && form.bookGroups.length === 0) {
    return {
      ok: false,
      field: 'book',
      message: t('access.chooseBook'),
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

const names = (ids: string[], nameOf: (id: string) => string): string =>
  new Intl.ListFormat(intlTag(), { type: 'conjunction', style: 'narrow' }).format(ids.map(nameOf));

/** The current access in sentences, groups by name (`nameOf` answers something for an unknown id). */
export function describeAccess(access: ResourceAccess | null, nameOf: (id: string) => string): string {
  if (access === null) return t('access.open');
  const see =
    access.visibleTo === null ? t('access.seenByAll') : t('access.seenBy', { names: names(access.visibleTo, nameOf) });
  const book =
    access.bookableBy === null
      ? t('access.bookedByViewers')
      : access.bookableBy.length === 0
        ? t('access.bookedByNobody')
        : t('access.bookedBy', { names: names(access.bookableBy, nameOf) });
  const manage =
    access.managers.length === 0
      ? t('access.staffManage')
      : t('access.managedBy', { names: names(access.managers, nameOf) });
  return t('access.sentence', { see, book, manage });
}
