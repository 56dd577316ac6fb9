/**
 * Admission: whether requested intervals may be booked, as one pipeline of named steps run in
 * order (cal.com's `ValidationPipeline`). A single booking (create, on-behalf create, modify) is a
 * series of one; a series runs each occurrence through the same steps, counting the ones accepted
 * before it. A new rule is one new step.
 *
 * The steps are pure: they judge a candidate against `Facts`, which the loaders read on the
 * transaction's snapshot before the fence bump. The fence bump that follows conflicts with any
 * change of this resource committed since, and the person's fence with any change of this
 * person's bookings elsewhere, so the verdicts hold under any interleaving (docs/design.md
 * "Booking").
 */
import type { ClientSession } from 'mongoose';
import { ErrorCode, policyViolation } from '@booking/shared';
import { AppError } from '../infra/errors';
import type { ResourceRules } from '../resources/resource.store';
import { approvableRefusal, approvalTerms, relaxedPolicy } from './approval.rules';
import type { ApprovalTerms } from './approval.rules';
import { refusalError } from './admission.types';
import type { Admission, Refusal } from './admission.types';
import { sameRules } from './booking.guards';
import { peakOccupancy } from './occupancy';
import type { Occupant } from './occupancy';
import type { BookingDeps, BookingGuards } from './booking.types';

export interface Candidate {
  start: Date;
  end: Date;
  /** Units it takes (default 1). */
  quantity?: number;
  /** A series' local start inside a skipped hour: it does not exist on that day. */
  nonexistent?: boolean;
}

export type { Admission, Admitted, Refusal, SingleRequest } from './admission.types';
export { refusalError } from './admission.types';

interface Tally {
  held: number;
  limit: number;
}

/** What the steps judge by: the snapshot's reads, plus the candidates accepted before this one. */
export interface Facts {
  rules: ResourceRules;
  now: Date;
  staff: boolean;
  /** Active bookings near the candidates, in epoch milliseconds, with the units each holds. */
  taken: Occupant[];
  /** How many units the resource has (the rules' capacity). */
  capacity: number;
  /** The person's active future bookings of this resource; null when no per-resource limit applies (none set, or staff). */
  here: Tally | null;
  /** The person's active future bookings anywhere; null when not counted (a move adds none). */
  person: Tally | null;
  /** (v3) The person's unexpired holds (not offers); counted only for a new hold. */
  holds?: Tally | null;
}

/** How many holds a person may have at once (docs/protocol.md "Holds"). */
export const MAX_HOLDS_PER_USER = 3;

export interface AdmissionStep {
  name: string;
  check(candidate: Candidate, facts: Facts): Refusal | null;
}

const gapOf = (rules: ResourceRules): number => rules.policy.bufferMinutes * 60_000;
/**
 * The fewest units free at any instant of `[start, end + gap)`, every booking occupying its own
 * interval plus `gap` (its buffer).
 */
function available(f: Facts, start: number, end: number, gap = 0): number {
  const occupants = gap === 0 ? f.taken : f.taken.map((t) => ({ ...t, end: t.end + gap }));
  return f.capacity - peakOccupancy(occupants, start, end + gap);
}
const units = (c: Candidate): number => c.quantity ?? 1;

/** The steps, in order: the first refusal is the answer. */
export const ADMISSION_STEPS: readonly AdmissionStep[] = [
  // More units than the resource has can never fit: a shape error of this resource's request.
  {
    name: 'quantity',
    check: (c, f) => (units(c) > f.capacity ? { code: 'VALIDATION_ERROR', capacity: f.capacity } : null),
  },
  { name: 'calendar', check: (c) => (c.nonexistent ? { code: 'POLICY_VIOLATION', rule: 'openingHours' } : null) },
  {
    name: 'policy',
    check: (c, f) => {
      const rule = policyViolation({
        policy: f.rules.policy,
        timeZone: f.rules.timeZone,
        start: c.start,
        end: c.end,
        now: f.now,
        staff: f.staff,
      });
      return rule ? { code: 'POLICY_VIOLATION', rule } : null;
    },
  },
  {
    name: 'overlap',
    // Without buffers: does it fit at all? The answer says how many units its span (buffer
    // included) has free.
    check: (c, f) =>
      available(f, c.start.getTime(), c.end.getTime()) < units(c)
        ? {
            code: 'SLOT_TAKEN',
            available: Math.max(0, available(f, c.start.getTime(), c.end.getTime(), gapOf(f.rules))),
          }
        : null,
  },
  {
    // Only reached when the slot itself is free: a booking only in the buffer is a policy matter.
    // Every booking occupies `[start, end + buffer)`; two such spans meet exactly when the bookings
    // are closer than the buffer on either side.
    name: 'buffer',
    check: (c, f) => {
      const gap = gapOf(f.rules);
      return gap > 0 && available(f, c.start.getTime(), c.end.getTime(), gap) < units(c)
        ? { code: 'POLICY_VIOLATION', rule: 'buffer' }
        : null;
    },
  },
  {
    name: 'resourceQuota',
    check: (_c, f) =>
      f.here && f.here.held >= f.here.limit ? { code: 'QUOTA_EXCEEDED', scope: 'resource', limit: f.here.limit } : null,
  },
  {
    name: 'userQuota',
    check: (_c, f) =>
      f.person && f.person.held >= f.person.limit
        ? { code: 'QUOTA_EXCEEDED', scope: 'user', limit: f.person.limit }
        : null,
  },
  {
    name: 'holdQuota',
    check: (_c, f) =>
      f.holds && f.holds.held >= f.holds.limit
        ? { code: 'QUOTA_EXCEEDED', scope: 'holds', limit: f.holds.limit }
        : null,
  },
];

/** A booking row as the sweep counts it (epoch milliseconds, its units). */
const occupantOf = (r: { start: Date; end: Date; quantity: number }): Occupant => ({
  start: r.start.getTime(),
  end: r.end.getTime(),
  quantity: r.quantity,
});

/** Facts for the capacity steps alone: what occupies the span (`rows`), no quotas. */
export function capacityFacts(
  rules: ResourceRules,
  now: Date,
  rows: ReadonlyArray<{ start: Date; end: Date; quantity: number }>,
): Facts {
  return { rules, now, staff: false, taken: rows.map(occupantOf), capacity: rules.capacity, here: null, person: null };
}

/** The steps that judge only whether units are free (a waitlist join, a promotion): capacity, not policy or quotas. */
export const CAPACITY_STEPS: readonly AdmissionStep[] = ADMISSION_STEPS.filter((s) =>
  ['quantity', 'overlap', 'buffer'].includes(s.name),
);

export interface Judged {
  candidate: Candidate;
  refusal: Refusal | null;
  /** (v3) Accepted only as a request: an approver must override an approvable refusal. */
  overridden?: true;
}

const firstRefusal = (c: Candidate, f: Facts, steps: readonly AdmissionStep[]): Refusal | null => {
  for (const step of steps) {
    const refusal = step.check(c, f);
    if (refusal) return refusal;
  }
  return null;
};

/**
 * (v3) Under `outsidePolicy`, an approvable refusal says so; asked for (`requested`), the candidate
 * is judged again with the approvable rules opened and no quotas, and accepted as a request when
 * only those stood in its way (else the remaining refusal answers).
 */
function underApproval(c: Candidate, f: Facts, refusal: Refusal, terms: ApprovalTerms): Judged {
  if (terms.mode !== 'outsidePolicy' || !approvableRefusal(refusal)) return { candidate: c, refusal };
  if (!terms.requested) return { candidate: c, refusal: { ...refusal, approvable: true } };
  const relaxed: Facts = {
    ...f,
    rules: { ...f.rules, policy: relaxedPolicy(f.rules.policy) },
    here: null,
    person: null,
    holds: null,
  };
  const still = firstRefusal(c, relaxed, ADMISSION_STEPS);
  return still ? { candidate: c, refusal: still } : { candidate: c, refusal: null, overridden: true };
}

const NO_APPROVAL: ApprovalTerms = { mode: 'none', requested: false };

/**
 * Every candidate in order through `steps`; an accepted one counts against the ones after it
 * (its interval is taken, both tallies grow). Pure: `facts` is not changed. `terms`: how approval
 * applies (an approvable refusal is marked, or overridden when asked for).
 */
export function judge(
  candidates: readonly Candidate[],
  facts: Facts,
  steps: readonly AdmissionStep[] = ADMISSION_STEPS,
  terms: ApprovalTerms = NO_APPROVAL,
): Judged[] {
  const f: Facts = {
    ...facts,
    taken: [...facts.taken],
    here: facts.here && { ...facts.here },
    person: facts.person && { ...facts.person },
    holds: facts.holds ? { ...facts.holds } : null,
  };
  return candidates.map((candidate): Judged => {
    const refusal = firstRefusal(candidate, f, steps);
    const judged = refusal ? underApproval(candidate, f, refusal, terms) : { candidate, refusal: null };
    if (!judged.refusal) {
      f.taken.push({ start: candidate.start.getTime(), end: candidate.end.getTime(), quantity: units(candidate) });
      if (f.here) f.here.held += 1;
      if (f.person) f.person.held += 1;
    }
    return judged;
  });
}

export function createAdmission(
  deps: Pick<BookingDeps, 'bookings' | 'users' | 'clock' | 'maxActivePerUser'>,
  guards: BookingGuards,
): Admission {
  const { bookings, clock } = deps;

  /** The resource's side of the facts: the bookings near `[from, to)` (buffer included) in one read, and the per-resource count when a limit applies. */
  async function resourceFacts(
    session: ClientSession,
    a: {
      rules: ResourceRules;
      resourceId: string;
      userId: string;
      staff: boolean;
      from: Date;
      to: Date;
      excludeId?: string;
    },
  ): Promise<Facts> {
    const now = clock.now();
    const gap = gapOf(a.rules);
    const rows = await bookings.activeBetween(
      a.resourceId,
      new Date(a.from.getTime() - gap),
      new Date(a.to.getTime() + gap),
      now,
      session,
    );
    const taken = rows.filter((r) => r.id !== a.excludeId).map(occupantOf);
    const limit = a.staff ? null : a.rules.policy.maxActivePerUser;
    const exclude = a.excludeId ? { excludeId: a.excludeId } : {};
    const here =
      limit === null
        ? null
        : {
            held: await bookings.countActiveFuture(
              { userId: a.userId, resourceId: a.resourceId, now, ...exclude },
              session,
            ),
            limit,
          };
    return { rules: a.rules, now, staff: a.staff, taken, capacity: a.rules.capacity, here, person: null };
  }

  /**
   * The person's side: the quota across resources (`MAX_ACTIVE_BOOKINGS_PER_USER`). The resource
   * fence does not serialise two bookings of one person on two resources, so both could count
   * "fewer than N" on their snapshots (write skew): the person's own fence makes every such pair
   * conflict, and the retried one counts again on a fresh snapshot. Staff bookings on behalf
   * count against the person like any other.
   */
  async function personFacts(session: ClientSession, userId: string): Promise<Tally> {
    if (!(await deps.users.fence(userId, session))) throw new AppError(ErrorCode.NOT_FOUND, 'no such user');
    return {
      held: await bookings.countActiveFuture({ userId, now: clock.now() }, session),
      limit: deps.maxActivePerUser,
    };
  }

  /** Throws the candidate's refusal; answers whether it passed only as an overridden request. */
  const refuseIfAny = (candidate: Candidate, facts: Facts, terms: ApprovalTerms): boolean => {
    const judged = judge([candidate], facts, ADMISSION_STEPS, terms)[0];
    if (judged?.refusal) throw refusalError(judged.refusal);
    return judged?.overridden === true;
  };

  return {
    async admitSingle(session, a) {
      const candidate = { start: a.start, end: a.end, quantity: a.quantity ?? 1 };
      const termsOf = (rules: ResourceRules) =>
        approvalTerms(
          rules,
          { id: a.actorId, staff: a.staff, groups: a.actorGroups ?? [] },
          a.requestApproval === true,
        );
      const factsFor = (rules: ResourceRules) =>
        resourceFacts(session, {
          rules,
          resourceId: a.resourceId,
          userId: a.userId,
          staff: a.staff,
          from: a.start,
          to: a.end,
          ...(a.excludeId ? { excludeId: a.excludeId } : {}),
        });
      // With the rules the directory knows (no read). A refusal under them is only final if the
      // snapshot's rules are the same (a stale directory may hold a stricter policy than the
      // stored one): otherwise the steps run again with the snapshot's.
      const assumed = await guards.knownRules(a.resourceId);
      let facts = await factsFor(assumed);
      let overridden: boolean;
      try {
        overridden = refuseIfAny(candidate, facts, termsOf(assumed));
      } catch (err) {
        const truth = await guards.rulesInTx(a.resourceId, session);
        if (sameRules(assumed, truth)) throw err;
        facts = await factsFor(truth);
        overridden = refuseIfAny(candidate, facts, termsOf(truth));
      }
      // The person's quota last, once the resource's steps pass (re-running those on the same
      // facts answers the same).
      if (a.countPerson) {
        facts = { ...facts, person: await personFacts(session, a.userId) };
        if (a.hold)
          facts.holds = {
            held: await bookings.countHolds({ userId: a.userId, now: facts.now }, session),
            limit: MAX_HOLDS_PER_USER,
          };
        overridden = refuseIfAny(candidate, facts, termsOf(facts.rules));
      }
      // After the reads: the fence answers the snapshot's rules; passing steps are confirmed
      // against them when a settings change made those differ (same snapshot, so still exact).
      const fenced = await guards.fenceWithRules(a.resourceId, session);
      const terms = termsOf(fenced.rules);
      if (!sameRules(assumed, fenced.rules))
        overridden = refuseIfAny(candidate, { ...(await factsFor(fenced.rules)), person: facts.person }, terms);
      return { ...fenced, pending: terms.mode === 'always' || overridden };
    },

    async judgeSeries(session, a) {
      const first = a.occurrences[0];
      const last = a.occurrences[a.occurrences.length - 1];
      if (!first || !last) return [];
      const resource = await resourceFacts(session, {
        rules: a.rules,
        resourceId: a.resourceId,
        userId: a.userId,
        staff: a.staff,
        from: first.start,
        to: last.end,
      });
      // The person's fence before any verdict, so every change that counts against this person conflicts with us.
      const person = await personFacts(session, a.userId);
      return judge(a.occurrences, { ...resource, person }, ADMISSION_STEPS, a.terms);
    },
  };
}
