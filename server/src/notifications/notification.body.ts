/**
 * The sentence, the label / value rows and the lists of one notification's mail, in the
 * recipient's language (`server/src/i18n`); the live `notification` event's `message` is the
 * sentence. Times are written by `notification.time.ts` in the resource's zone.
 */
import { errorCodeSentences, errorSentence, policyRuleSentences, ruleSentence } from '@booking/shared';
import type { ErrorCode, PolicyRule } from '@booking/shared';
import { withQuantity } from '../calendar/calendar.ics';
import type { ServerTranslator } from '../i18n';
import { approvalBody, isApprovalType } from './notification.approval';
import type { Row } from './notification.approval';
import type { NotificationJobData } from './notification.job';
import { formatDeadline, formatInterval, formatTime, repeatText } from './notification.time';

export interface BodyContext {
  job: NotificationJobData;
  resourceName: string;
  timeZone: string;
  /** The resource as the sentences name it: with the quantity, and the booking's title for its owner. */
  what: string;
  /** (v3) A request's mail goes to an approver: the name of the person who asked. */
  ownerName?: string;
}

export interface Body {
  message: string;
  /** Label / value rows of the text and HTML bodies. */
  rows: Row[];
  /** Lists under the table: occurrences, skipped dates. */
  lists: Array<{ title: string; items: string[] }>;
}

/** Why an occurrence was skipped, in the page's words (the shared sentences). */
function skippedReason(k: { code: string; rule?: string | undefined }, tr: ServerTranslator): string {
  // The English records only say which names are rules and codes; the sentence is the recipient's.
  if (k.rule && k.rule in policyRuleSentences) return ruleSentence(tr.locale, k.rule as PolicyRule);
  if (k.code === 'SLOT_TAKEN') return tr.t('mail.skipped.taken');
  return k.code in errorCodeSentences ? errorSentence(tr.locale, k.code as ErrorCode) : k.code;
}

export function composeBody(ctx: BodyContext, tr: ServerTranslator): Body {
  const { job, resourceName, timeZone, what } = ctx;
  const t: ServerTranslator['t'] = (key, values) => tr.t(key, values);
  const interval = (s: string, e: string) => formatInterval(s, e, timeZone, tr.locale);
  const units = job.quantity ?? 1;
  const resource: Row[] = [
    [t('mail.label.resource'), resourceName],
    ...(units > 1 ? [[t('mail.label.quantity'), String(units)] as Row] : []),
  ];
  const when = interval(job.start, job.end);
  const was = job.previous ? interval(job.previous.start, job.previous.end) : null;
  const each = (list: Array<{ start: string; end: string }>) => list.map((o) => interval(o.start, o.end));
  const ref: Row[] = job.seriesId
    ? [[t('mail.label.series'), job.seriesId]]
    : [[t('mail.label.booking'), job.bookingId]];
  const whenRow: Row = [t('mail.label.when'), when];
  if (isApprovalType(job.type))
    return approvalBody(
      { ...job, type: job.type },
      {
        what,
        when,
        until: job.expiresAt ? formatDeadline(job.expiresAt, job.start, timeZone, true, tr.locale) : null,
        ownerName: ctx.ownerName ?? t('mail.someone'),
        occurrences: each(job.occurrences ?? []),
        rows: [...resource, whenRow, ...ref],
      },
      tr,
    );
  switch (job.type) {
    case 'booking.confirmed':
      return { message: t('mail.confirmed', { what, when }), rows: [...resource, whenRow, ...ref], lists: [] };
    case 'booking.modified':
      return {
        message: was ? t('mail.modifiedFrom', { what, when, was }) : t('mail.modified', { what, when }),
        rows: [...resource, whenRow, ...(was ? [[t('mail.label.was'), was, true] as Row] : []), ...ref],
        lists: [],
      };
    case 'booking.cancelled':
      return { message: t('mail.cancelled', { what, when }), rows: [...resource, whenRow, ...ref], lists: [] };
    case 'booking.reminder': {
      const by = job.checkInBy ? formatTime(job.checkInBy, timeZone, tr.locale) : null;
      return {
        message: by ? t('mail.reminderCheckIn', { what, when, by }) : t('mail.reminder', { what, when }),
        rows: [...resource, whenRow, ...(by ? [[t('mail.label.checkInBy'), by] as Row] : []), ...ref],
        lists: [],
      };
    }
    case 'booking.released': {
      const by = job.checkInBy ? formatTime(job.checkInBy, timeZone, tr.locale) : null;
      return {
        message: by ? t('mail.released', { what, when, by }) : t('mail.releasedWindow', { what, when }),
        rows: [
          ...resource,
          whenRow,
          [t('mail.label.released'), by ? t('mail.releasedRow', { by }) : t('mail.releasedRowWindow')],
          ...ref,
        ],
        lists: [],
      };
    }
    case 'series.confirmed': {
      const booked = job.occurrences ?? [];
      const skipped = job.series?.skipped ?? [];
      const rule = job.series ? repeatText(job.series.repeat, tr) : t('mail.repeat.recurring');
      const first = booked[0] ? interval(booked[0].start, booked[0].end) : when;
      return {
        message: t('mail.seriesConfirmed', { what, rule, count: booked.length, first, skipped: skipped.length }),
        rows: [...resource, [t('mail.label.repeats'), rule], [t('mail.label.first'), first], ...ref],
        lists: [
          { title: t('mail.list.booked'), items: each(booked) },
          ...(skipped.length > 0
            ? [
                {
                  title: t('mail.list.skipped'),
                  items: skipped.map((k) =>
                    t('mail.skipped.item', { when: interval(k.start, k.end), reason: skippedReason(k, tr) }),
                  ),
                },
              ]
            : []),
        ],
      };
    }
    case 'waitlist.offered': {
      const until = job.expiresAt ? formatDeadline(job.expiresAt, job.start, timeZone, true, tr.locale) : null;
      return {
        message: until ? t('mail.offered', { what, when, until }) : t('mail.offeredShort', { what, when }),
        rows: [...resource, whenRow, ...(until ? [[t('mail.label.heldUntil'), until] as Row] : []), ...ref],
        lists: [],
      };
    }
    case 'series.cancelled': {
      const cancelled = job.occurrences ?? [];
      return {
        message: t('mail.seriesCancelled', { count: cancelled.length, what, when }),
        rows: [...resource, [t('mail.label.from'), when], ...ref],
        lists: [{ title: t('mail.list.cancelled'), items: each(cancelled) }],
      };
    }
  }
}

/** The sentences' name of the resource: "Hot desks × 3", and "<title> — <resource>" when titled. */
export function whatOf(
  resourceName: string,
  quantity: number | undefined,
  title: string | undefined,
  tr: ServerTranslator,
): string {
  const what = withQuantity(resourceName, quantity);
  return title ? tr.t('mail.withTitle', { title, what }) : what;
}
