/**
 * (v3) Registry entries (`api.registry.ts`) of the person's own profile and history: `profile:update`
 * on `/` and (a contract addition, so the dashboard keeps its language) on `/admin`, and the
 * owner's `booking:history` on `/`.
 */
import { z } from 'zod';
import * as S from '@booking/shared';
import * as O from './wire.schemas';
import { EXAMPLE_IDS } from './api.v3-commands';
import type { CommandDoc } from './api.v3-commands';

const profileUpdate = {
  summary:
    'The caller’s own name and language (`en`, `de`, `fr`, `es`): every later email, push message and `.ics` ' +
    'speaks the language. `{}` answers the user unchanged; any other key is a VALIDATION_ERROR.',
  payload: S.ProfileUpdate,
  data: z.object({ user: O.UserOut }),
  errors: ['UNAUTHORIZED'],
} as const;

export const profileRootCommands = {
  'profile:update': { ...profileUpdate, example: { name: 'Ada Lovelace', locale: 'de' } },
  'booking:history': {
    summary:
      'Every change of one of the caller’s own bookings, oldest first, as on `/admin`; ' +
      'another person’s booking answers NOT_FOUND.',
    payload: S.BookingHistory,
    data: z.object({ events: z.array(O.BookingEventOut) }),
    errors: ['NOT_FOUND'],
    example: { bookingId: EXAMPLE_IDS.booking },
  },
} as const satisfies Record<string, CommandDoc>;

export const profileAdminCommands = {
  'profile:update': {
    ...profileUpdate,
    summary: `(Contract addition, as on \`/\`.) ${profileUpdate.summary}`,
    example: { locale: 'fr' },
  },
} as const satisfies Record<string, CommandDoc>;
