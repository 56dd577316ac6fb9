/**
 * After-commit effects, one way. A change path (create, cancel, modify; later series and no-show
 * release) returns what it committed; the composition root declares the effects in one ordered
 * list (cache, broadcast, relay wake, …) and `withAfterCommit` runs them, for every committed
 * change, before the command is answered. Nothing calls back from a service into the root.
 *
 * A failing effect is logged and the next one runs: an effect never undoes a commit or fails the
 * command (Redis may be away: the cache entry expires, clients resync on the version gap, the
 * relay's sweep finds the outbox entry).
 */
import type { Booking, SeriesResult } from '@booking/shared';
import { effectRunner } from '../infra/effects';
import type { Effect } from '../infra/effects';
import type { Logger } from '../infra/logger';
import type { BookingService, Committed, CommittedChange, TimerOutcome } from './booking.types';

export type { Committed, CommittedChange } from './booking.types';

export type AfterCommitEffect = Effect<CommittedChange>;

/** Runs every effect, in order, for each change; failures are logged, never thrown. */
export function afterCommit(effects: readonly AfterCommitEffect[], logger: Logger): AfterCommit {
  return effectRunner(effects, logger);
}

export type AfterCommit = (changes: readonly CommittedChange[]) => Promise<void>;

/** The booking commands as handlers see them: the service's answer, after the effects ran. */
export interface BookingCommands {
  create(input: Parameters<BookingService['create']>[0]): Promise<Booking>;
  cancel(input: Parameters<BookingService['cancel']>[0]): Promise<Booking>;
  modify(input: Parameters<BookingService['modify']>[0]): Promise<Booking>;
  createSeries(input: Parameters<BookingService['createSeries']>[0]): Promise<SeriesResult>;
  cancelSeries(input: Parameters<BookingService['cancelSeries']>[0]): Promise<Booking[]>;
  checkIn(input: Parameters<BookingService['checkIn']>[0]): Promise<Booking>;
  confirm(input: Parameters<BookingService['confirm']>[0]): Promise<Booking>;
  approve(input: Parameters<BookingService['approve']>[0]): Promise<Booking>;
  decline(input: Parameters<BookingService['decline']>[0]): Promise<Booking>;
  approvals: BookingService['approvals'];
  mine: BookingService['mine'];
  history: BookingService['history'];
}

/** What the notifier's scheduler runs when a timer fires, effects included. */
export interface TimedCommands {
  releaseNoShow(input: Parameters<BookingService['releaseNoShow']>[0]): Promise<TimerOutcome>;
  remind: BookingService['remind'];
  expireHold(input: Parameters<BookingService['expireHold']>[0]): Promise<TimerOutcome>;
}

export function timedWithAfterCommit(
  service: Pick<BookingService, 'releaseNoShow' | 'remind' | 'expireHold'>,
  run: AfterCommit,
): TimedCommands {
  const applied = async (committed: Committed<TimerOutcome>): Promise<TimerOutcome> => {
    await run(committed.changes);
    return committed.result;
  };
  return {
    releaseNoShow: async (input) => applied(await service.releaseNoShow(input)),
    expireHold: async (input) => applied(await service.expireHold(input)),
    remind: (input) => service.remind(input),
  };
}

export function withAfterCommit(service: BookingService, run: AfterCommit): BookingCommands {
  const applied = async <T>(committed: Committed<T>): Promise<T> => {
    await run(committed.changes);
    return committed.result;
  };
  return {
    create: async (input) => applied(await service.create(input)),
    cancel: async (input) => applied(await service.cancel(input)),
    modify: async (input) => applied(await service.modify(input)),
    createSeries: async (input) => applied(await service.createSeries(input)),
    cancelSeries: async (input) => applied(await service.cancelSeries(input)),
    checkIn: async (input) => applied(await service.checkIn(input)),
    confirm: async (input) => applied(await service.confirm(input)),
    approve: async (input) => applied(await service.approve(input)),
    decline: async (input) => applied(await service.decline(input)),
    approvals: (principal) => service.approvals(principal),
    mine: (principal) => service.mine(principal),
    history: (principal, bookingId) => service.history(principal, bookingId),
  };
}
