/**
 * (v3) Entries of the API registry for room displays: the staff's `display:*` commands on `/admin`
 * (spread into `adminCommands`) and the `/display` namespace (its commands and `display:state`),
 * with the namespace's own compile-time completeness check (the one in `api.registry.ts` covers
 * `/` and `/admin`).
 */
import { z } from 'zod';
import * as S from '@booking/shared';
import type { DataOf, DisplayClientToServerEvents, DisplayServerToClientEvents, PayloadOf } from '@booking/shared';
import type { CommandDoc } from './api.v3-commands';
import { EXAMPLE_IDS } from './api.v3-commands';
import * as O from './wire.schemas';

const Iso = z.iso.datetime();
/** A display id for the examples (none exists: the replay answers NOT_FOUND, as documented). */
const EXAMPLE_DISPLAY_ID = '665f1c2e8b3a4d0012345609';

const DisplayOut = z.object({
  id: z.string(),
  resourceId: z.string(),
  name: z.string(),
  createdAt: Iso,
  lastSeenAt: Iso.optional().describe('when it last connected'),
  revokedAt: Iso.optional().describe('set once revoked (or once its resource was deleted)'),
});

const DisplayBookingOut = z.object({
  bookingId: z.string(),
  start: Iso,
  end: Iso,
  title: z.string().optional().describe('only under the policy’s publicTitles'),
});

const DisplayStateOut = z.object({
  resource: z.object({
    id: z.string(),
    name: z.string(),
    timeZone: z.string(),
    capacity: z.number().int(),
    locale: z.enum(S.LOCALES).describe('the policy’s language, which the display speaks'),
  }),
  at: Iso,
  state: z.enum(['free', 'awaiting-check-in', 'in-use', 'closed']),
  current: DisplayBookingOut.extend({
    checkedInAt: Iso.optional(),
    checkInDeadline: Iso.optional().describe('while awaiting check-in: when it is released as a no-show'),
  }).nullable(),
  next: z.array(DisplayBookingOut).describe('the following bookings of the rest of the local day, at most 5'),
  freeUntil: Iso.nullable().describe('while free: the next booking’s start or the closing time; null: free all day'),
});

/** (v3) On `/admin`: staff only (a manager is FORBIDDEN). */
export const displayAdminCommands = {
  'display:create': {
    summary:
      'Creates a room display for a resource, with a service account of its own; `url` (`PUBLIC_URL/display/#<token>`) ' +
      'is in this answer only: the token is stored as its SHA-256.',
    payload: S.DisplayCreate,
    data: z.object({ display: DisplayOut, url: z.string() }),
    errors: ['FORBIDDEN', 'NOT_FOUND'],
    example: { resourceId: EXAMPLE_IDS.resource, name: 'Door of room 1' },
  },
  'display:list': {
    summary: 'Every display: the working ones first, newest first, then the revoked ones with `revokedAt`.',
    payload: S.Empty,
    data: z.object({ displays: z.array(DisplayOut) }),
    errors: ['FORBIDDEN'],
    example: {},
  },
  'display:revoke': {
    summary: 'Revokes a display: it is disconnected within 5 seconds on every node and its token never connects again.',
    payload: S.DisplayRevoke,
    data: O.EmptyOut,
    errors: ['FORBIDDEN', 'NOT_FOUND'],
    example: { id: EXAMPLE_DISPLAY_ID },
  },
} as const satisfies Record<string, CommandDoc>;

const booking = z.object({ booking: O.BookingOut });
const REF = { bookingId: EXAMPLE_IDS.booking };
/** The display's own commands, as its service account, under its resource's policy. */
export const displayCommands = {
  'display:checkIn': {
    summary: 'Checks the current booking in on its owner’s behalf (before its check-in deadline).',
    payload: S.DisplayBookingRef,
    data: booking,
    errors: ['INVALID_STATE', 'RATE_LIMITED'],
    example: REF,
  },
  'display:bookNow': {
    summary:
      'A walk-in from the grid line at or before now, `minutes` long (rounded up to the grid), titled "Walk-in", ' +
      'owned by the display’s account and checked in; notice does not apply, the other rules do.',
    payload: S.DisplayBookNow,
    data: booking,
    errors: ['SLOT_TAKEN', 'POLICY_VIOLATION'],
    example: { minutes: 30 },
  },
  'display:extend': {
    summary: 'The current booking’s end moves `minutes` later (rounded up to the grid).',
    payload: S.DisplayExtend,
    data: booking,
    errors: ['INVALID_STATE', 'SLOT_TAKEN', 'POLICY_VIOLATION'],
    example: { ...REF, minutes: 15 },
  },
  'display:endEarly': {
    summary:
      'The current booking ends at the grid line at or after now (`cancelReason` stays unset); the freed time is offered to the waitlist.',
    payload: S.DisplayBookingRef,
    data: booking,
    errors: ['INVALID_STATE'],
    example: REF,
  },
} as const satisfies Record<string, CommandDoc>;

export const displayEvents = {
  'display:state': {
    summary:
      'What the display shows: on connect, within a second of any change of its resource or bookings, and as time moves it on.',
    payload: DisplayStateOut,
  },
} as const;

// The `/display` maps are documented whole, each entry with the map's payload and data types.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type None<T> = [T] extends [never] ? true : T;
type M = DisplayClientToServerEvents;
type Reg = typeof displayCommands;
type Wrong = {
  [E in keyof M & keyof Reg & string]: Same<z.input<Reg[E]['payload']>, PayloadOf<M, E>> extends true
    ? z.output<Reg[E]['data']> extends DataOf<M, E>
      ? never
      : E
    : E;
}[keyof M & keyof Reg & string];
type StateOk =
  z.output<typeof DisplayStateOut> extends Parameters<DisplayServerToClientEvents['display:state']>[0]
    ? never
    : 'display:state';
const complete: [
  None<Exclude<keyof M, keyof Reg>>,
  None<Exclude<keyof DisplayServerToClientEvents, keyof typeof displayEvents>>,
  None<Wrong>,
  None<StateOk>,
] = [true, true, true, true];
void complete;
