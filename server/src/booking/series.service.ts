/**
 * Recurring bookings (docs/protocol.md `booking:createSeries`, `booking:cancelSeries`). A series is
 * one transaction on one resource (docs/design.md "Booking"): every occurrence is checked on the
 * transaction's snapshot by the admission pipeline (`booking.admission.ts`: policy, overlap,
 * buffer, both quotas, counting the occurrences accepted before it) and the booked ones are inserted
 * under one write to the resource's fence, so `onConflict: "fail"` is all or nothing under any
 * interleaving, and a racing single booking either commits first (and the series sees it) or
 * conflicts on the fence and is retried on a snapshot that holds the series.
 *
 * The fence moves by the number of booked (or released) occurrences in that one write, and each is
 * its own committed change with its own consecutive version (applied one by one, as single ones).
 */
import mongoose from 'mongoose';
import type { ClientSession } from 'mongoose';
import { ErrorCode, expandSeries } from '@booking/shared';
import type { Booking, Occurrence, PolicyRule, Repeat, SeriesResult, SkippedOccurrence } from '@booking/shared';
import { daysOf, spanOf } from '../infra/days';
import { AppError } from '../infra/errors';
import { objectIdOrNull } from '../infra/ids';
import { inTransaction } from '../infra/transactions';
import { approvalTerms, requestExpiry } from './approval.rules';
import { approversOf, type ApproverRules } from './booking.approvals';
import { refusalError } from './booking.admission';
import type { Judged } from './booking.admission';
import type { BookingDoc } from './booking.model';
import type { BookingParts } from './booking.parts';
import { ranOut, toWireBooking } from './booking.store';
import type { BookingStore, BusyRow } from './booking.store';
import type { BookingDeps, Committed, CommittedChange, SeriesOperations, SeriesRequest } from './booking.types';
import type { SeriesDoc } from './series.model';

export type { SeriesRequest } from './booking.types';

/** What the series transaction committed. */
interface SeriesOutcome {
  seriesId: string;
  docs: BookingDoc[];
  skipped: SkippedOccurrence[];
  /** The fence after the write (the last change's version). */
  version: number;
  /** The resource's active bookings over the touched days, read after the writes. */
  active: BusyRow[];
  zone: string;
}

const sameRepeat = (a: Repeat, b: Repeat): boolean =>
  a.every === b.every &&
  (a.interval ?? 1) === (b.interval ?? 1) &&
  (a.weekdays ?? []).join() === (b.weekdays ?? []).join() &&
  a.count === b.count &&
  a.until === b.until;

const toSkipped = (j: Judged): SkippedOccurrence => {
  // A quantity over the capacity is refused for the whole series before any occurrence is judged.
  if (!j.refusal || j.refusal.code === 'VALIDATION_ERROR') throw new Error('not skipped');
  return {
    start: j.candidate.start.toISOString(),
    end: j.candidate.end.toISOString(),
    code: j.refusal.code,
    ...(j.refusal.code === 'POLICY_VIOLATION' ? { rule: j.refusal.rule } : {}),
  };
};

/** The skipped occurrences as the series document and its notification store them. */
const storedSkips = (skipped: SkippedOccurrence[]) =>
  skipped.map((k) => ({
    start: new Date(k.start),
    end: new Date(k.end),
    code: k.code,
    ...(k.rule ? { rule: k.rule } : {}),
  }));

function expandOrThrow(req: Pick<SeriesRequest, 'start' | 'end' | 'repeat'>, timeZone: string): Occurrence[] {
  const expansion = expandSeries({ start: req.start, end: req.end, repeat: req.repeat, timeZone });
  if (!expansion.ok)
    throw new AppError(ErrorCode.VALIDATION_ERROR, expansion.reason, {
      details: [{ path: 'repeat', message: expansion.reason }],
    });
  return expansion.occurrences;
}

/** `fail` with a refused occurrence: the first one's code, every refused one in the details (v3: approvable if all are). */
function refuse(judged: Judged[]): never {
  const refused = judged.filter((j) => j.refusal);
  const firstRefusal = refused[0]?.refusal;
  if (!firstRefusal) throw new Error('nothing refused');
  const n = refused.length;
  throw new AppError(firstRefusal.code, `${n} of the ${judged.length} occurrences cannot be booked`, {
    details: {
      occurrences: refused.map(toSkipped),
      ...(firstRefusal.code === 'POLICY_VIOLATION' ? { rule: firstRefusal.rule } : {}),
      ...(firstRefusal.code === 'QUOTA_EXCEEDED' ? { scope: firstRefusal.scope, limit: firstRefusal.limit } : {}),
      ...(refused.every((j) => j.refusal?.approvable) ? { approvable: true } : {}),
    },
  });
}

/** One change per occurrence, with consecutive versions ending at `version`, each with what the series read back. */
export function changesOf(
  docs: BookingDoc[],
  o: { version: number; active: BusyRow[]; zone: string; change: 'booked' | 'released' },
): CommittedChange[] {
  return docs.map((doc, i) => ({
    resourceId: doc.resourceId.toHexString(),
    bookingId: doc._id.toHexString(),
    userId: doc.userId.toHexString(),
    change: o.change,
    start: doc.start,
    end: doc.end,
    version: o.version - docs.length + 1 + i,
    zone: o.zone,
    status: doc.status,
    quantity: doc.quantity ?? 1,
    ...(doc.status === 'pending' && doc.expiresAt ? { expiresAt: doc.expiresAt } : {}),
    ...(doc.title ? { title: doc.title } : {}),
    readBack: { version: o.version, active: o.active },
  }));
}

/** Inside the transaction, after the writes: the active bookings over every touched local day. */
export async function activeAfter(
  session: ClientSession,
  {
    bookings,
    resourceId,
    docs,
    zone,
    now,
  }: { bookings: BookingStore; resourceId: string; docs: BookingDoc[]; zone: string; now: Date },
): Promise<BusyRow[]> {
  if (docs.length === 0) return [];
  const { from, to } = spanOf(daysOf(docs, zone), zone);
  return bookings.activeBetween(resourceId, from, to, now, session);
}

async function replay(
  { bookings, clock }: Pick<BookingDeps, 'bookings' | 'clock'>,
  series: SeriesDoc,
): Promise<Committed<SeriesResult>> {
  const docs = await bookings.ofSeries(series._id.toHexString(), {});
  const now = clock.now();
  return {
    result: {
      seriesId: series._id.toHexString(),
      bookings: docs.map((d) => toWireBooking(d, now)),
      skipped: series.skipped.map((k) => ({
        start: k.start.toISOString(),
        end: k.end.toISOString(),
        code: k.code,
        ...(k.rule ? { rule: k.rule as PolicyRule } : {}),
      })),
    },
    changes: [],
  };
}

/** The series a used idempotency key booked, if it was this request (a repeat); else VALIDATION_ERROR. */
function sameRequest(prior: SeriesDoc, req: SeriesRequest): SeriesDoc {
  const same =
    prior.resourceId.toHexString() === req.resourceId &&
    prior.start.getTime() === req.start.getTime() &&
    prior.end.getTime() === req.end.getTime() &&
    prior.onConflict === req.onConflict &&
    (prior.quantity ?? 1) === (req.quantity ?? 1) &&
    prior.title === req.title &&
    sameRepeat(prior.repeat, req.repeat);
  if (!same) throw new AppError(ErrorCode.VALIDATION_ERROR, 'this idempotency key was used for another series');
  return prior;
}

/**
 * A booked series' records: one `series.confirmed` for its booked occurrences (also when none
 * were), and (v3) one `booking.requested` per approver for those that are requests.
 */
async function recordSeries(
  deps: BookingDeps,
  recorder: BookingParts['recorder'],
  session: ClientSession,
  o: Omit<Parameters<BookingParts['recorder']['seriesBooked']>[1], 'approvers'> & { rules: ApproverRules },
): Promise<void> {
  const { rules, docs, ...recorded } = o;
  const requests = docs.filter((d) => d.status === 'pending');
  const booked = docs.filter((d) => d.status !== 'pending');
  if (booked.length > 0 || requests.length === 0) await recorder.seriesBooked(session, { ...recorded, docs: booked });
  if (requests.length > 0)
    await recorder.seriesBooked(session, {
      ...recorded,
      docs: requests,
      approvers: await approversOf(deps, rules, o.userId, session),
    });
}

/** `booking:createSeries`: expand, judge every occurrence, book the accepted ones under one fence write. */
function seriesCreator(deps: BookingDeps, parts: BookingParts): SeriesOperations['createSeries'] {
  const { bookings, clock, logger } = deps;
  const { guards, admission, recorder } = parts;

  return async function createSeries(req) {
    const { principal, resourceId, start, end, repeat, onConflict, idempotencyKey, title } = req;
    const quantity = req.quantity ?? 1;
    // The first occurrence's shape, before anything else: every occurrence has its duration.
    guards.checkShape(start, end);
    if (!objectIdOrNull(resourceId)) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
    const userId = req.forUserId ?? principal.id;
    if (!objectIdOrNull(userId)) throw new AppError(ErrorCode.NOT_FOUND, 'no such user');
    const staff = principal.role === 'staff';

    const priorByKey = async (session?: ClientSession): Promise<SeriesDoc | null> => {
      const prior = idempotencyKey ? await deps.series.findByKey(userId, idempotencyKey, session) : null;
      return prior ? sameRequest(prior, req) : null;
    };
    const first = await priorByKey();
    if (first) return replay(deps, first);
    // The first start's hard window before anything is expanded (each later start is judged
    // against the window with the policy, in the transaction).
    guards.checkWindow(start);

    // Shape errors (too many occurrences, a first date off the weekdays) before any lock, by the
    // zone the directory knows; the transaction expands again on its own snapshot's zone.
    const known = await deps.directory.get(resourceId);
    if (!known) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
    await deps.availability.invalidate(resourceId, daysOf(expandOrThrow(req, known.timeZone), known.timeZone));

    let outcome: SeriesOutcome | { replayed: SeriesDoc };
    try {
      outcome = await guards.withResourceLock({
        resourceId,
        run: () =>
          inTransaction(deps.conn, deps.tx, async (session): Promise<SeriesOutcome | { replayed: SeriesDoc }> => {
            const prior = await priorByKey(session);
            if (prior) return { replayed: prior };
            const rules = await guards.rulesInTx(resourceId, session);
            if (quantity > rules.capacity) throw refusalError({ code: 'VALIDATION_ERROR', capacity: rules.capacity });
            const occurrences = expandOrThrow(req, rules.timeZone).map((o) => ({ ...o, quantity }));
            // (v3) Requests: every occurrence under `always`, or those accepted only by overriding.
            const actor = { id: principal.id, staff, groups: principal.groups ?? [] };
            const terms = approvalTerms(rules, actor, req.requestApproval === true);
            const judged = await admission.judgeSeries(session, {
              rules,
              resourceId,
              userId,
              staff,
              occurrences,
              terms,
            });
            const accepted = judged.filter((j) => !j.refusal).map((j) => j.candidate);
            const asked = new Set(
              judged.filter((j) => !j.refusal && (terms.mode === 'always' || j.overridden)).map((j) => j.candidate),
            );
            if (onConflict === 'fail' && accepted.length < judged.length) refuse(judged);
            const skipped = judged.filter((j) => j.refusal).map(toSkipped);

            // Every read is done: the writes, starting with the one fence bump.
            const version = accepted.length > 0 ? await guards.fence(resourceId, session, accepted.length) : 0;
            const createdAt = clock.now();
            const seriesId = await deps.series.insert(
              {
                resourceId,
                userId,
                start,
                end,
                repeat,
                onConflict,
                quantity,
                occurrences: occurrences.length,
                skipped: storedSkips(skipped),
                ...(idempotencyKey ? { idempotencyKey } : {}),
                ...(title ? { title } : {}),
                createdAt,
              },
              session,
            );
            const docs = await bookings.insertMany(
              accepted.map((o) => ({
                resourceId,
                userId,
                start: o.start,
                end: o.end,
                quantity,
                seriesId,
                recurrenceId: o.start,
                ...(title ? { title } : {}),
                ...(asked.has(o) ? { pending: { expiresAt: requestExpiry(rules.policy, createdAt, o.start) } } : {}),
              })),
              session,
            );
            await recordSeries(deps, recorder, session, {
              docs,
              actor: principal,
              at: createdAt,
              userId,
              resourceId,
              start,
              end,
              version,
              seriesId,
              repeat,
              count: occurrences.length,
              skipped: storedSkips(skipped),
              rules,
            });
            const active = await activeAfter(session, {
              bookings,
              resourceId,
              docs,
              zone: rules.timeZone,
              now: clock.now(),
            });
            return { seriesId, docs, skipped, version, active, zone: rules.timeZone };
          }),
      });
    } catch (err) {
      // The same key raced past the in-transaction check: the unique index answers.
      if (err instanceof mongoose.mongo.MongoServerError && err.code === 11000) {
        const prior = await priorByKey();
        if (prior) return replay(deps, prior);
      }
      throw err;
    }
    if ('replayed' in outcome) return replay(deps, outcome.replayed);
    const now = clock.now();
    const { seriesId, version } = outcome;
    logger.debug(
      { seriesId, booked: outcome.docs.length, skipped: outcome.skipped.length, version },
      'series committed',
    );
    return {
      result: {
        seriesId: outcome.seriesId,
        bookings: outcome.docs.map((d) => toWireBooking(d, now)),
        skipped: outcome.skipped,
      },
      changes: changesOf(outcome.docs, { ...outcome, change: 'booked' }),
    };
  };
}

/** `booking:cancelSeries`: the series' active occurrences from `from` (default now), under one fence write. */
function seriesCanceller(deps: BookingDeps, parts: BookingParts): SeriesOperations['cancelSeries'] {
  const { bookings, clock } = deps;
  const { guards, recorder, promotion } = parts;

  return async function cancelSeries({ principal, seriesId, from }) {
    const series = await deps.series.findById(seriesId);
    if (!series) throw new AppError(ErrorCode.NOT_FOUND, 'no such series');
    if (principal.role !== 'staff' && series.userId.toHexString() !== principal.id)
      throw new AppError(ErrorCode.FORBIDDEN, 'not your series');
    const resourceId = series.resourceId.toHexString();
    const since = from ?? clock.now();
    // Occurrences already over are completed, and (v3) requests run out expired: neither is cancellable.
    const cancellable = (docs: BookingDoc[]) =>
      docs.filter((d) => d.end.getTime() > clock.now().getTime() && !ranOut(d, clock.now()));
    const before = cancellable(await bookings.ofSeries(seriesId, { activeFrom: since }));
    if (before.length === 0) return { result: [], changes: [] };
    await deps.availability.invalidate(resourceId, await guards.daysBefore(resourceId, before));

    const outcome = await guards.withResourceLock({
      resourceId,
      run: () =>
        inTransaction(deps.conn, deps.tx, async (session) => {
          const rules = await guards.rulesInTx(resourceId, session);
          const targets = cancellable(await bookings.ofSeries(seriesId, { activeFrom: since }, session));
          if (targets.length === 0) return { docs: [], version: 0, active: [], zone: rules.timeZone, offers: [] };
          const version = await guards.fence(resourceId, session, targets.length);
          const docs = await bookings.cancelMany(
            targets.map((d) => d._id.toHexString()),
            series.userId.toHexString() === principal.id ? 'user' : 'staff',
            session,
          );
          const at = clock.now();
          await recorder.seriesCancelled(session, {
            docs,
            actor: principal,
            at,
            userId: series.userId.toHexString(),
            resourceId,
            version,
            seriesId,
          });
          const active = await activeAfter(session, { bookings, resourceId, docs, zone: rules.timeZone, now: at });
          // The freed occurrences go to the waitlist in this commit (versions after the series').
          const first = docs[0];
          const last = docs[docs.length - 1];
          const span = first && last ? { from: first.start, to: last.end } : null;
          const offers = span ? await promotion.promote(session, { resourceId, rules, span }) : [];
          return { docs, version, active, zone: rules.timeZone, offers };
        }),
    });
    const now = clock.now();
    return {
      result: outcome.docs.map((d): Booking => toWireBooking(d, now)),
      changes: [...changesOf(outcome.docs, { ...outcome, change: 'released' }), ...outcome.offers],
    };
  };
}

export function createSeriesOperations(deps: BookingDeps, parts: BookingParts): SeriesOperations {
  return { createSeries: seriesCreator(deps, parts), cancelSeries: seriesCanceller(deps, parts) };
}
