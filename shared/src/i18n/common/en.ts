/**
 * Sentences every surface shares: what each error code and each policy rule means to a person
 * (docs/i18n.md). The English catalogue defines the keys; `de`, `fr`, `es` have exactly these.
 */
export const en = {
  'errors.VALIDATION_ERROR': 'That request was not accepted',
  'errors.UNAUTHORIZED': 'Your session has ended. Please sign in again.',
  'errors.FORBIDDEN': 'You are not allowed to do that.',
  'errors.NOT_FOUND': 'That booking or resource no longer exists. The view has been refreshed.',
  'errors.SLOT_TAKEN':
    'Someone else booked that time just before you. The view has been refreshed to show it; please choose another free time.',
  'errors.INVALID_STATE':
    'That cannot be done in its current state: a booking may already be cancelled or over, or a resource may still have future bookings.',
  'errors.BUSY':
    'The resource is busy with other bookings right now. We tried a few times; please try again in a moment.',
  'errors.RATE_LIMITED': 'You are going a little fast. Wait a few seconds, then try again.',
  'errors.INTERNAL': 'Something went wrong on our side. Please try again.',
  'errors.EMAIL_TAKEN': 'An account with that email already exists. Sign in instead, or use another email.',
  'errors.INVALID_CREDENTIALS': 'That email and password do not match an account. Check them and try again.',
  'errors.POLICY_VIOLATION': 'That time does not fit the rules of this resource.',
  'errors.QUOTA_EXCEEDED': 'You already hold as many bookings as allowed.',
  'rules.openingHours': 'The room is closed then. Choose a time within its opening hours.',
  'rules.closure': 'The room is closed on that day.',
  'rules.grid': 'Bookings start and end on the resource’s time grid (for example on the quarter hour).',
  'rules.duration': 'That booking is too short or too long for this resource.',
  'rules.notice': 'That is too soon: this resource must be booked further in advance.',
  'rules.past': 'That time has already passed.',
  'rules.advance': 'That is too far ahead: this resource cannot be booked that early.',
  'rules.buffer': 'That is too close to another booking: this resource keeps a gap between bookings.',
  'access.notBookable': 'You can see this resource’s calendar but not book it.',
} as const;

/** Keys built at run time from a code or rule name (each is typed by `ErrorCode` / `PolicyRule`). */
export const dynamicPrefixes = ['errors.', 'rules.'] as const;
