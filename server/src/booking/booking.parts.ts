/**
 * The steps the booking operations share, built once from the dependency bag: the guards (lock,
 * fence, rules), the admission pipeline and the recorder of audit and outbox entries. Single,
 * series and attendance operations each receive these; none of them imports another.
 */
import { createAdmission } from './booking.admission';
import type { Admission } from './booking.admission';
import { createBookingGuards } from './booking.guards';
import { createBookingRecorder } from './booking.recorder';
import type { BookingRecorder } from './booking.recorder';
import { createPromotion } from './booking.promotion';
import type { Promotion } from './booking.promotion';
import type { BookingDeps, BookingGuards } from './booking.types';

export interface BookingParts {
  guards: BookingGuards;
  admission: Admission;
  recorder: BookingRecorder;
  /** (v3) The waitlist's offers, made in the transaction that frees units. */
  promotion: Promotion;
}

export function createBookingParts(deps: BookingDeps): BookingParts {
  const guards = createBookingGuards(deps);
  const recorder = createBookingRecorder(deps);
  return {
    guards,
    admission: createAdmission(deps, guards),
    recorder,
    promotion: createPromotion(deps, guards, recorder),
  };
}
