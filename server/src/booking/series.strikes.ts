/**
 * (v3) Check-in strikes (docs/protocol.md "Check-in, reminders, completion, strikes"): with the
 * policy's `checkIn.strikes: n`, when n consecutive occurrences of one series have been released as
 * no-shows, the series' remaining occurrences are cancelled (`cancelReason: "no-show"`) and its
 * owner gets one `series.cancelled`.
 *
 * It runs inside the no-show release's own transaction, after the release: the n-th strike and the
 * cancellation of the rest commit together or not at all (a crash loses neither), and a repeated
 * or later release finds nothing left to cancel (no second `series.cancelled`).
 *
 * Counting: the series' occurrences whose check-in deadline has passed, latest start first; a
 * no-show release is a strike, a check-in ends the run; any other occurrence (cancelled by its
 * owner or staff, a request that ran out) is not counted either way.
 */
import { checkInDeadline } from '@booking/shared';
import type { ClientSession } from 'mongoose';
import type { ResourceRules } from '../resources/resource.store';
import type { BookingDoc } from './booking.model';
import type { BookingParts } from './booking.parts';
import { ranOut } from './booking.store';
import type { BookingDeps, CommittedChange } from './booking.types';
import { activeAfter, changesOf } from './series.service';

/** How many consecutive strikes the series has at `now` (its latest decided occurrences). */
export function strikeRun(
  occurrences: readonly BookingDoc[],
  checkIn: ResourceRules['policy']['checkIn'],
  now: Date,
): number {
  const decided = occurrences
    .filter((d) => d.checkedInAt !== undefined || (checkInDeadline(d, checkIn)?.getTime() ?? Infinity) <= now.getTime())
    .sort((a, b) => b.start.getTime() - a.start.getTime());
  let run = 0;
  for (const d of decided) {
    if (d.checkedInAt) break;
    if (d.status === 'cancelled' && d.cancelReason === 'no-show') run += 1;
  }
  return run;
}

/**
 * After a series occurrence's no-show release, in its transaction: when the strikes reach the
 * policy's limit, cancels the series' occurrences not yet started (fenced, audited with the system
 * as actor, one `series.cancelled`), offers what they freed to the waitlist, and answers the
 * changes to broadcast (none when the limit is not reached or nothing is left).
 */
export async function cancelAfterStrikes(
  deps: Pick<BookingDeps, 'bookings' | 'clock'>,
  parts: Pick<BookingParts, 'guards' | 'recorder' | 'promotion'>,
  session: ClientSession,
  o: { released: BookingDoc; rules: ResourceRules },
): Promise<CommittedChange[]> {
  const { released, rules } = o;
  const limit = rules.policy.checkIn?.strikes;
  if (!limit || !released.seriesId) return [];
  const { bookings, clock } = deps;
  const seriesId = released.seriesId.toHexString();
  const now = clock.now();
  const all = await bookings.ofSeries(seriesId, {}, session);
  if (strikeRun(all, rules.policy.checkIn, now) < limit) return [];
  const targets = (await bookings.ofSeries(seriesId, { activeFrom: now }, session)).filter((d) => !ranOut(d, now));
  if (targets.length === 0) return [];
  const resourceId = released.resourceId.toHexString();
  const version = await parts.guards.fence(resourceId, session, targets.length);
  const docs = await bookings.cancelMany(
    targets.map((d) => d._id.toHexString()),
    'no-show',
    session,
  );
  const userId = released.userId.toHexString();
  await parts.recorder.seriesCancelled(session, { docs, actor: null, at: now, userId, resourceId, version, seriesId });
  const zone = rules.timeZone;
  const active = await activeAfter(session, { bookings, resourceId, docs, zone, now });
  const first = docs[0];
  const last = docs[docs.length - 1];
  const offers =
    first && last
      ? await parts.promotion.promote(session, { resourceId, rules, span: { from: first.start, to: last.end } })
      : [];
  return [...changesOf(docs, { version, active, zone, change: 'released' }), ...offers];
}
