import { z } from 'zod';

const Iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date');

/**
 * One timer of the scheduler (`booking-timers` queue): a reminder of a booking, keyed by the start
 * it reminds of, or its no-show release, keyed by the moment its check-in window closes, or (v3) a
 * hold's or offer's expiry, keyed by its `expiresAt`. `at` is
 * when it fires. The worker parses it with this schema before anything else.
 */
export const TimerJobData = z.object({
  kind: z.enum(['reminder', 'release', 'expire']),
  bookingId: z.string().regex(/^[0-9a-f]{24}$/),
  at: Iso,
  key: Iso,
});
export type TimerJobData = z.infer<typeof TimerJobData>;
