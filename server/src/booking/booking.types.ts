/**
 * The booking capability's shared vocabulary, a leaf every other booking module imports from: the
 * dependency bag, what a change path answers (`Committed`), the committed change it carries, and
 * the operation interfaces the root composes into one `BookingService` (single, series,
 * attendance). Types only: nothing here imports another booking module with behaviour.
 */
import type mongoose from 'mongoose';
import type { ClientSession } from 'mongoose';
import type { AdminBooking, Booking, BookingEvent, Repeat, SeriesResult, SlotChange } from '@booking/shared';
import type { Principal } from '../auth/auth.service';
import type { UserStore } from '../auth/user.store';
import type { Clock } from '../infra/clock';
import type { SlotLock } from '../infra/locks';
import type { Logger } from '../infra/logger';
import type { TxCounters } from '../infra/transactions';
import type { OutboxStore } from '../notifications/outbox.store';
import type { ResourceDirectory } from '../resources/resource.directory';
import type { ResourceRules, ResourceStore } from '../resources/resource.store';
import type { BookingHistoryStore } from './booking-history.store';
import type { StoredStatus } from './booking.model';
import type { BookingStore, BusyRow } from './booking.store';
import type { SeriesStore } from './series.store';
import type { WaitlistStore } from '../waitlist/waitlist.store';

export interface LockCounters {
  /** Commands that found the resource's lock taken (exported by /metrics). */
  waits: number;
}

/** Everything the booking operations use, built by the root (`booking-core.ts`). */
export interface BookingDeps {
  conn: mongoose.Connection;
  bookings: BookingStore;
  series: SeriesStore;
  resources: Pick<ResourceStore, 'fence' | 'fenceWithRules' | 'rules' | 'version'>;
  /** Settings read outside transactions (the zone of the days to invalidate before one). */
  directory: Pick<ResourceDirectory, 'get' | 'all'>;
  outbox: Pick<OutboxStore, 'append' | 'appendMany' | 'lastVersion'>;
  /** The audit log: one event per change, with its actor, in the change's transaction. */
  history: Pick<BookingHistoryStore, 'append' | 'appendMany' | 'of'>;
  /** The user's booking fence, for the quota across resources; (v3) the staff, who approve every request. */
  users: Pick<UserStore, 'fence' | 'staffIds' | 'inGroups' | 'names'>;
  /** `MAX_ACTIVE_BOOKINGS_PER_USER`. */
  maxActivePerUser: number;
  /** (v3) The waitlist, which every change that frees units promotes in its own transaction. */
  waitlist: Pick<WaitlistStore, 'waitingFor' | 'transition'>;
  /** (v3) `HOLD_MINUTES` and `WAITLIST_OFFER_MINUTES`, in ms. */
  holdMs: number;
  offerMs: number;
  /**
   * Told before a change's transaction which local days it will touch (the availability cache
   * lets them expire soon); asked, while a command waits for a busy pool's lock, whether the slot
   * may be full (a hint: a "full" is confirmed in MongoDB). A port booking declares, the root
   * hands the availability service in.
   */
  availability: {
    invalidate(resourceId: string, days: string[]): Promise<void>;
    busyBetween(
      resource: { id: string; timeZone: string },
      from: Date,
      to: Date,
    ): Promise<{ busy: ReadonlyArray<{ start: string; end: string; quantity: number }> }>;
  };
  lock: SlotLock;
  clock: Clock;
  logger: Logger;
  tx: TxCounters;
  locks: LockCounters;
}

/**
 * One committed change of one resource's bookings: facts only (which booking, whose, what
 * happened, its interval before and after, the version and the zone the transaction saw). Each
 * capability derives its own after-commit effect from them (`availability.effect.ts`,
 * `calendar.effect.ts`, `slot.broadcast.ts`); booking builds none of them.
 */
export interface CommittedChange {
  resourceId: string;
  bookingId: string;
  userId: string;
  /** What happened to the slot. */
  change: SlotChange;
  start: Date;
  end: Date;
  /** The interval before a move. */
  previous?: { start: Date; end: Date };
  /** The resource version (fence value) the change produced. */
  version: number;
  /** The resource's zone as the change's transaction read it. */
  zone: string;
  /** The booking's stored status after the change (`active` while it holds its interval). */
  status: StoredStatus;
  /** Units the booking takes (after the change). */
  quantity: number;
  /** (v3) A held or pending booking: until when it occupies its units. */
  expiresAt?: Date;
  /** (v3) The booking's title: broadcast on `/` only under `publicTitles`, always on `/admin`. */
  title?: string;
  /**
   * A series' change: the resource's active bookings over every local day its occurrences touch,
   * as its transaction read them after its writes, at `version` (its last occurrence's).
   */
  readBack?: { version: number; active: BusyRow[] };
}

/** What a change path returns: its answer and what it committed (nothing for a replay). */
export interface Committed<T> {
  result: T;
  changes: CommittedChange[];
}

/** What a fired timer did: acted, found it no longer applies, or fired before its time. */
export type TimerOutcome = 'done' | 'stale' | 'early';

export interface SeriesRequest {
  principal: Principal;
  resourceId: string;
  start: Date;
  end: Date;
  repeat: Repeat;
  onConflict: 'fail' | 'skip';
  /** Units every occurrence takes (default 1). */
  quantity?: number;
  idempotencyKey?: string;
  /** Staff booking on behalf of this user (`/admin`). */
  forUserId?: string;
  /** (v3) Approvable refusals of occurrences become pending requests instead. */
  requestApproval?: boolean;
  /** (v3) Every occurrence's title. */
  title?: string;
}

export interface SingleOperations {
  create(input: {
    principal: Principal;
    resourceId: string;
    start: Date;
    end: Date;
    /** Units it takes (default 1). */
    quantity?: number;
    idempotencyKey?: string;
    forUserId?: string;
    /** (v3) `booking:hold`: the booking is `held` until now + `HOLD_MINUTES`. */
    hold?: boolean;
    /** (v3) An approvable refusal becomes a pending request instead. */
    requestApproval?: boolean;
    /** (v3) What it is for. */
    title?: string;
  }): Promise<Committed<Booking>>;
  cancel(input: { principal: Principal; bookingId: string }): Promise<Committed<Booking>>;
  /** `quantity` absent: the booking keeps its units. */
  modify(input: {
    principal: Principal;
    bookingId: string;
    start: Date;
    end: Date;
    quantity?: number;
    /** (v3) An approvable refusal becomes a pending request at the new interval instead. */
    requestApproval?: boolean;
    /** (v3) Absent: the title is kept; null: it is cleared. */
    title?: string | null;
  }): Promise<Committed<Booking>>;
  mine(principal: Principal): Promise<Booking[]>;
  /** (v3) `booking:history` on `/`: one's own booking's audit log, oldest first (NOT_FOUND for anyone else's). */
  history(principal: Principal, bookingId: string): Promise<BookingEvent[]>;
}

export interface SeriesOperations {
  createSeries(input: SeriesRequest): Promise<Committed<SeriesResult>>;
  cancelSeries(input: { principal: Principal; seriesId: string; from?: Date }): Promise<Committed<Booking[]>>;
}

export interface AttendanceOperations {
  checkIn(input: { principal: Principal; bookingId: string }): Promise<Committed<Booking>>;
  /**
   * Releases the booking as a no-show if, as the transaction sees it, it is active, not checked
   * in, its check-in window closes at `deadline` (the timer's own instant: a moved booking or a
   * changed window has another timer) and that moment has passed.
   */
  releaseNoShow(input: { bookingId: string; deadline: Date }): Promise<Committed<TimerOutcome>>;
  /** Records the `booking.reminder` outbox entry once per start, if the booking still starts at `start` and has not started. */
  remind(input: { bookingId: string; start: Date }): Promise<TimerOutcome>;
}

/** (v3) A hold's life after `booking:hold` (or a waitlist offer's): confirmed, or run out. */
export interface HoldOperations {
  /** One's own hold or offer becomes active (a repeat answers the same booking). */
  confirm(input: { principal: Principal; bookingId: string }): Promise<Committed<Booking>>;
  /**
   * Stores `expired` on a hold or offer still `held` with this `expiresAt`, once that moment has
   * passed, and offers the units it held to the waitlist (its entry, for an offer, expires).
   */
  expireHold(input: { bookingId: string; expiresAt: Date }): Promise<Committed<TimerOutcome>>;
}

/** (v3) An approver's decisions on pending requests, and the list they decide from. */
export interface ApprovalOperations {
  /** A pending request becomes `active`: exactly one decision wins, any other answers INVALID_STATE. */
  approve(input: { principal: Principal; bookingId: string }): Promise<Committed<Booking>>;
  /** A pending request becomes `declined` and its units are offered to the waitlist. */
  decline(input: { principal: Principal; bookingId: string; reason?: string }): Promise<Committed<Booking>>;
  /** The pending requests `principal` may decide, oldest first, with their owners' names (none for a non-approver). */
  approvals(principal: Principal): Promise<AdminBooking[]>;
}

/** The booking service as the root composes it: single, series and attendance operations. */
export interface BookingService
  extends SingleOperations, SeriesOperations, AttendanceOperations, HoldOperations, ApprovalOperations {}

export interface BookingGuards {
  /**
   * `before`: work started alongside the first lock attempt (the cache's shortening of the
   * touched days) that must be done before `run`; it never rejects. Both go out in one pipelined
   * Redis round trip.
   */
  withResourceLock<T>(opts: {
    resourceId: string;
    before?: Promise<void>;
    /** A quick read outside the transaction: the units free when the slot is already too full, else null. */
    takenCheck?: () => Promise<number | null>;
    run: () => Promise<T>;
  }): Promise<T>;
  /** Bumps the resource's version by `by` (default 1) in the transaction; the new value is the version. */
  fence(resourceId: string, session: ClientSession, by?: number): Promise<number>;
  rulesInTx(resourceId: string, session: ClientSession): Promise<ResourceRules>;
  /** `fence` by one, answering the rules of the document it bumped: the snapshot's, the truth. */
  fenceWithRules(resourceId: string, session: ClientSession): Promise<{ version: number; rules: ResourceRules }>;
  /**
   * The rules as this node's directory knows them (no read): checks done with them before the
   * fence are checked again with the fenced document's rules when those differ (`sameRules`).
   */
  knownRules(resourceId: string): Promise<ResourceRules>;
  /** The local days a change touches, by the zone the directory knows (before the transaction). */
  daysBefore(resourceId: string, intervals: Array<{ start: Date; end: Date }>): Promise<string[]>;
  /**
   * First thing on a requested interval (create, modify, a series' first occurrence), in
   * constant time: its shape (`end` after `start`, at most 7 days: VALIDATION_ERROR). The payload
   * schemas refuse a bad shape already; this is the service's own bound, whatever path the
   * request came by.
   */
  checkShape(start: Date, end: Date): void;
  /**
   * Before any lock or day arithmetic, in constant time: the hard window of a requested start
   * (POLICY_VIOLATION `past` or `advance`, staff included). After an idempotent replay's lookup,
   * so a repeat answers its first result even once that start has passed.
   */
  checkWindow(start: Date): void;
}
