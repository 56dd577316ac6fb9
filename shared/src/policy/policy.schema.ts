/**
 * A resource's time zone and booking policy (docs/protocol.md "Resource policy"). On input every field
 * is optional and `null` clears a limit; stored and answered, the policy is always whole.
 */
import { IANAZone } from 'luxon';
import { z } from 'zod';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** An IANA time-zone name the time-zone database knows (`Europe/Berlin`, `UTC`). */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as Europe/Berlin');

/** `HH:MM` local wall-clock time; `24:00` only as a window's end. */
const ClockTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00 to 24:00)');

/** Minutes since local midnight of `HH:MM`. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** One opening window `[open, close)` of a weekday. */
export const OpeningWindow = z
  .tuple([ClockTime, ClockTime])
  .refine(([open]) => open !== '24:00', { message: 'a window cannot open at 24:00', path: [0] })
  .refine(([open, close]) => minutesOf(close) > minutesOf(open), {
    message: 'a window must end after it starts',
    path: [1],
  });

const DayWindows = z
  .array(OpeningWindow)
  .max(12)
  .refine(
    (windows) => {
      const sorted = [...windows].sort((a, b) => minutesOf(a[0]) - minutesOf(b[0]));
      return sorted.every((w, i) => i === 0 || minutesOf(w[0]) >= minutesOf(sorted[i - 1]?.[1] ?? '00:00'));
    },
    { message: 'windows of one day must not overlap' },
  );

/** Local opening windows per weekday; `[]` = closed that weekday. */
export const OpeningHours = z.strictObject({
  mon: DayWindows,
  tue: DayWindows,
  wed: DayWindows,
  thu: DayWindows,
  fri: DayWindows,
  sat: DayWindows,
  sun: DayWindows,
});
export type OpeningHours = z.infer<typeof OpeningHours>;

/** A whole local day on which the resource is closed. */
export const Closure = z.strictObject({ date: z.iso.date(), reason: z.string().trim().max(200).optional() });
export type Closure = z.infer<typeof Closure>;

/**
 * Check-in: released as a no-show at start + `windowMinutes`. (v3) `strikes: n`: after n consecutive
 * no-show releases of one series, its remaining occurrences are cancelled (`series.cancelled`).
 */
export const CheckIn = z.strictObject({
  windowMinutes: z.number().int().min(1).max(240),
  strikes: z.number().int().min(1).max(100).optional(),
});
export type CheckIn = z.output<typeof CheckIn>;

/** (v3) The languages every surface speaks (docs/i18n.md); `en` is the default. */
export const LOCALES = ['en', 'de', 'fr', 'es'] as const;
export type Locale = (typeof LOCALES)[number];
export const LocaleSchema = z.enum(LOCALES);

/** How long an undecided request waits by default before it expires (docs/protocol.md "Approval"). */
export const DEFAULT_APPROVAL_EXPIRE_HOURS = 72;

/**
 * (v3) Approval: `always`, every booking by a non-approver is a `pending` request; `outsidePolicy`,
 * a request that breaks an approvable rule or a quota may ask for approval instead of being refused.
 * Approvers: staff, `approverIds` (and, with access, the resource's managers). An undecided request
 * expires at the earlier of its start and its creation + `expireHours` (fractions allowed).
 */
export const Approval = z.strictObject({
  required: z.enum(['always', 'outsidePolicy']),
  approverIds: z
    .array(z.string().regex(/^[0-9a-f]{24}$/, 'must be a user id'))
    .max(50)
    .default([])
    .transform((ids) => [...new Set(ids)]),
  expireHours: z.number().positive().max(8760).default(DEFAULT_APPROVAL_EXPIRE_HOURS),
});
export type Approval = z.output<typeof Approval>;

const fields = {
  openingHours: OpeningHours.nullable(),
  closures: z.array(Closure).max(400),
  /** Start and end lie on this grid, counted from local midnight; divides 1440. */
  slotMinutes: z
    .number()
    .int()
    .min(1)
    .max(1440)
    .refine((n) => 1440 % n === 0, 'must divide 1440 (a day of minutes)'),
  minMinutes: z.number().int().min(1).max(10_080),
  maxMinutes: z.number().int().min(1).max(10_080),
  minNoticeMinutes: z.number().int().min(0).max(525_600),
  maxAdvanceDays: z.number().int().min(1).max(730),
  bufferMinutes: z.number().int().min(0).max(1440),
  maxActivePerUser: z.number().int().min(1).max(1000).nullable(),
  checkIn: CheckIn.nullable(),
  approval: Approval.nullable(),
  publicTitles: z.boolean(),
  locale: LocaleSchema,
};

export interface Policy {
  openingHours: OpeningHours | null;
  closures: Closure[];
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  minNoticeMinutes: number;
  maxAdvanceDays: number;
  bufferMinutes: number;
  maxActivePerUser: number | null;
  checkIn: CheckIn | null;
  /** (v3) Who must approve bookings, and when (null: nobody; bookings are confirmed at once). */
  approval: Approval | null;
  /** (v3) Booking titles are shown to everyone who may view the resource (grid, display, resource feed). */
  publicTitles: boolean;
  /** (v3) The language of the resource's room display. */
  locale: Locale;
}

/** The v1 rules: open around the clock, whole minutes, 5 minutes to 24 hours, up to 365 days ahead. */
export const DEFAULT_POLICY: Policy = {
  openingHours: null,
  closures: [],
  slotMinutes: 1,
  minMinutes: 5,
  maxMinutes: 1440,
  minNoticeMinutes: 0,
  maxAdvanceDays: 365,
  bufferMinutes: 0,
  maxActivePerUser: null,
  checkIn: null,
  approval: null,
  publicTitles: false,
  locale: 'en',
};

const minWithinMax = (p: { minMinutes?: number | undefined; maxMinutes?: number | undefined }) =>
  p.minMinutes === undefined || p.maxMinutes === undefined || p.minMinutes <= p.maxMinutes;

/** A whole policy (what is stored). */
export const PolicySchema = z
  .strictObject(fields)
  .refine(minWithinMax, { message: 'minMinutes must not exceed maxMinutes', path: ['maxMinutes'] });

/** A partial policy as staff send it: omitted fields keep their value (or the default). */
export const PolicyInput = z
  .strictObject({
    openingHours: fields.openingHours.optional(),
    closures: fields.closures.optional(),
    slotMinutes: fields.slotMinutes.optional(),
    minMinutes: fields.minMinutes.optional(),
    maxMinutes: fields.maxMinutes.optional(),
    minNoticeMinutes: fields.minNoticeMinutes.optional(),
    maxAdvanceDays: fields.maxAdvanceDays.optional(),
    bufferMinutes: fields.bufferMinutes.optional(),
    maxActivePerUser: fields.maxActivePerUser.optional(),
    checkIn: fields.checkIn.optional(),
    approval: fields.approval.optional(),
    publicTitles: fields.publicTitles.optional(),
    locale: fields.locale.optional(),
  })
  .refine(minWithinMax, { message: 'minMinutes must not exceed maxMinutes', path: ['maxMinutes'] });
export type PolicyInput = z.infer<typeof PolicyInput>;

/** `base` with the fields `input` sets (a `null` clears; an omitted field keeps its value). */
export function mergePolicy(base: Policy, input: PolicyInput | undefined): Policy {
  // Parsed input has no keys for omitted fields, so a spread keeps `base` for those.
  return input ? { ...base, ...input } : base;
}

/** Fills what an older document lacks with the defaults. */
export function policyOrDefault(stored: Partial<Policy> | null | undefined): Policy {
  return { ...DEFAULT_POLICY, ...(stored ?? {}) };
}

/** The names of the rules a booking may break (`details.rule` of POLICY_VIOLATION). */
export type PolicyRule = 'openingHours' | 'closure' | 'grid' | 'duration' | 'notice' | 'past' | 'advance' | 'buffer';

/**
 * (v3) The rules an approver may override under `approval.required: "outsidePolicy"` (with the
 * quotas); `past`, `grid`, `buffer` and capacity never are.
 */
export const APPROVABLE_RULES: readonly PolicyRule[] = ['duration', 'advance', 'notice', 'openingHours', 'closure'];
