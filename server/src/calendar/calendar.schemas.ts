/** The calendar feed HTTP bodies (docs/protocol.md "HTTP", v2). */
import { z } from 'zod';
import { Id } from '@booking/shared';

/** `POST /api/calendar/feeds`: the caller's own bookings, or one resource's busy times. */
export const CalendarFeedCreate = z.discriminatedUnion('scope', [
  z.strictObject({ scope: z.literal('mine') }),
  z.strictObject({ scope: z.literal('resource'), resourceId: Id }),
]);
export type CalendarFeedCreate = z.infer<typeof CalendarFeedCreate>;

/** The answer of `POST /api/calendar/feeds`: an absolute, unguessable feed URL. */
export const CalendarFeedCreated = z.object({ url: z.url() });
export type CalendarFeedCreated = z.infer<typeof CalendarFeedCreated>;
