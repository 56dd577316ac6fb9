/**
 * Entries of the API registry (`api.registry.ts`) shared by both namespaces or new in v3, kept
 * apart so the registry stays readable: the examples' ids, the shape of a command's entry, the
 * approvers' commands (the same on `/` and `/admin`) and the staff's group commands.
 */
import { z } from 'zod';
import * as S from '@booking/shared';
import * as O from './wire.schemas';

/** Ids the examples use; the contract test swaps in real ones. */
export const EXAMPLE_IDS = {
  resource: '665f1c2e8b3a4d0012345601',
  booking: '665f1c2e8b3a4d0012345602',
  series: '665f1c2e8b3a4d0012345603',
  user: '665f1c2e8b3a4d0012345604',
} as const;
export interface CommandDoc {
  summary: string;
  payload: z.ZodType;
  /** The `data` of `{ok: true, data}`. */
  data: z.ZodType;
  /** Error codes this command answers besides the ones every command may (VALIDATION_ERROR, RATE_LIMITED, INTERNAL). */
  errors: readonly S.ErrorCode[];
  example: Record<string, unknown>;
}

const booking = z.object({ booking: O.BookingOut });

const G = '665f1c2e8b3a4d0012345605';
/** (v3) Groups of people (staff only); groups with an `externalId` come from the sign-in provider. */
export const groupCommands = {
  'group:create': {
    summary: 'Creates a group; `externalId` ties it to a value of the sign-in provider’s groups claim.',
    payload: S.GroupCreate,
    data: z.object({ group: O.GroupOut }),
    errors: ['INVALID_STATE'],
    example: { name: 'Engineering', externalId: 'engineering' },
  },
  'group:update': {
    summary: 'Renames a group or changes its `externalId` (`null` removes it).',
    payload: S.GroupUpdate,
    data: z.object({ group: O.GroupOut }),
    errors: ['NOT_FOUND', 'INVALID_STATE'],
    example: { id: G, name: 'Engineering (all)' },
  },
  'group:delete': {
    summary: 'Deletes a group and removes it from everyone in it (their sockets are disconnected).',
    payload: S.GroupDelete,
    data: O.EmptyOut,
    errors: ['NOT_FOUND'],
    example: { id: G },
  },
  'group:list': {
    summary: 'Every group, by name.',
    payload: S.Empty,
    data: z.object({ groups: z.array(O.GroupOut) }),
    errors: [],
    example: {},
  },
  'user:setGroups': {
    summary:
      'Sets a person’s groups without an `externalId` (naming one with it: INVALID_STATE); a change disconnects them.',
    payload: S.UserSetGroups,
    data: z.object({ user: O.UserOut }),
    errors: ['NOT_FOUND', 'INVALID_STATE'],
    example: { userId: EXAMPLE_IDS.user, groupIds: [G] },
  },
} as const satisfies Record<string, CommandDoc>;

/** (v3) The approvers' commands, the same on `/` and `/admin`. */
export const approvalCommands = {
  'approvals:list': {
    summary: 'The pending requests the caller may decide, oldest first, with `userName` (a non-approver: none).',
    payload: S.Empty,
    data: z.object({ bookings: z.array(O.AdminBookingOut) }),
    errors: [],
    example: {},
  },
  'booking:approve': {
    summary: 'Approves a pending request (`active`); exactly one decision wins, the others answer `INVALID_STATE`.',
    payload: S.BookingApprove,
    data: booking,
    errors: ['NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE', 'BUSY'],
    example: { bookingId: EXAMPLE_IDS.booking },
  },
  'booking:decline': {
    summary:
      'Declines a pending request (`declined`, with the reason); its units are freed (and offered to the waitlist).',
    payload: S.BookingDecline,
    data: booking,
    errors: ['NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE', 'BUSY'],
    example: { bookingId: EXAMPLE_IDS.booking, reason: 'The room is reserved for the board that week.' },
  },
} as const satisfies Record<string, CommandDoc>;
