/**
 * The server's sentences (docs/i18n.md): every email, the live notification's `message`, the
 * `.ics` SUMMARY, the verification mail and the single sign-on failure page. English defines the
 * keys; `de`, `fr`, `es` have exactly these (shared/test/i18n.test.ts). Dates and times are not
 * here: they come formatted for the language (`notification.time.ts`) as `{when}`, `{until}`, `{by}`.
 */
export const en = {
  'mail.hello': 'Hello {name},',
  'mail.subject': '{headline}: {what}, {when}',
  'mail.withTitle': '{title} — {what}',
  'mail.removedResource': 'a removed resource',
  'mail.someone': 'Someone',

  'mail.headline.confirmed': 'Booking confirmed',
  'mail.headline.modified': 'Booking changed',
  'mail.headline.cancelled': 'Booking cancelled',
  'mail.headline.seriesConfirmed': 'Series confirmed',
  'mail.headline.seriesCancelled': 'Series cancelled',
  'mail.headline.reminder': 'Reminder',
  'mail.headline.released': 'Booking released',
  'mail.headline.offered': 'A place is held for you',
  'mail.headline.offeredUntil': 'A place is held for you until {until}',
  'mail.headline.requested': 'Approval requested',
  'mail.headline.approved': 'Booking approved',
  'mail.headline.declined': 'Request declined',
  'mail.headline.expired': 'Request expired',

  'mail.label.resource': 'Resource',
  'mail.label.quantity': 'Quantity',
  'mail.label.when': 'When',
  'mail.label.was': 'Was',
  'mail.label.series': 'Series',
  'mail.label.booking': 'Booking',
  'mail.label.checkInBy': 'Check in by',
  'mail.label.released': 'Released',
  'mail.label.repeats': 'Repeats',
  'mail.label.first': 'First',
  'mail.label.heldUntil': 'Held until',
  'mail.label.from': 'From',
  'mail.label.requestedBy': 'Requested by',
  'mail.label.decideBy': 'Decide by',
  'mail.label.reason': 'Reason',

  'mail.list.booked': 'Booked',
  'mail.list.skipped': 'Skipped',
  'mail.list.cancelled': 'Cancelled',
  'mail.list.occurrences': 'Occurrences',

  'mail.confirmed': 'Your booking of {what} on {when} is confirmed.',
  'mail.modified': 'Your booking of {what} moved to {when}.',
  'mail.modifiedFrom': 'Your booking of {what} moved to {when} (was {was}).',
  'mail.cancelled': 'Your booking of {what} on {when} is cancelled.',
  'mail.reminder': 'Reminder: your booking of {what} on {when} starts soon.',
  'mail.reminderCheckIn':
    'Reminder: your booking of {what} on {when} starts soon. ' +
    'Check in from 10 minutes before the start until {by}, or the booking is released.',
  'mail.released': 'Your booking of {what} on {when} was released because nobody checked in by {by}.',
  'mail.releasedWindow':
    'Your booking of {what} on {when} was released because nobody checked in by the end of its check-in window.',
  'mail.releasedRow': 'nobody checked in by {by}',
  'mail.releasedRowWindow': 'nobody checked in by the end of its check-in window',
  'mail.seriesConfirmed':
    'Your booking of {what}, {rule}, {count, plural, one {# occurrence} other {# occurrences}} from {first}, ' +
    'is confirmed{skipped, plural, =0 {} one {; # date was skipped} other {; # dates were skipped}}.',
  'mail.seriesCancelled':
    '{count, plural, one {# occurrence of your booking of {what} from {when} on is cancelled.} ' +
    'other {# occurrences of your booking of {what} from {when} on are cancelled.}}',
  'mail.offered':
    'A place on {what} on {when} is free for you: it is held for you until {until}. Confirm it to book it.',
  'mail.offeredShort':
    'A place on {what} on {when} is free for you: it is held for you for a short while. Confirm it to book it.',
  'mail.requested': '{owner} asks to book {what} on {when}. Please approve or decline.',
  'mail.requestedSeries':
    '{owner} asks to book {what}, {count, plural, one {# occurrence} other {# occurrences}} from {when}. ' +
    'Please approve or decline.',
  'mail.approved': 'Your request for {what} on {when} is approved: the booking is confirmed.',
  'mail.declined': 'Your request for {what} on {when} was declined.',
  'mail.declinedReason': 'Your request for {what} on {when} was declined: {reason}',
  'mail.expired': 'Your request for {what} on {when} expired: nobody approved it in time, so the time is free again.',

  'mail.repeat.day': '{interval, plural, one {every day} other {every # days}}',
  'mail.repeat.week': '{interval, plural, one {every week} other {every # weeks}}',
  'mail.repeat.on': '{every} on {days}',
  'mail.repeat.recurring': 'recurring',
  'mail.skipped.taken': 'Already booked by someone else.',
  'mail.skipped.item': '{when}: {reason}',

  'mail.ics.cancel': 'The attached calendar file removes the event from your calendar.',
  'mail.ics.update': 'The attached calendar file adds or updates the event in your calendar.',
  'mail.offer.open': 'Open this link to see the offer and confirm it:',
  'mail.offer.onPage': 'Confirm it on the booking page.',
  'mail.offer.lapse': 'If you do not confirm it in time, the place goes to the next person waiting.',
  'mail.offer.booked': 'Nothing is booked until you confirm; the confirmation email brings the calendar file.',
  'mail.offer.button': 'Confirm this place',
  'mail.request.open': 'Open this link to approve or decline:',
  'mail.request.onPage': 'Decide on the booking page, under Approvals.',
  'mail.request.button': 'Approve or decline',

  'ics.summary': 'Booking: {what}',
  'ics.organizer': 'Bookings',

  'verify.subject': 'Confirm your email address',
  'verify.intro': 'please confirm that this is your email address by opening this link:',
  'verify.introHtml': 'please confirm that this is your email address:',
  'verify.button': 'Confirm my email address',
  'verify.note': 'Until you do, you can sign in but not book. The link works once, for 48 hours.',
  'verify.ignore': 'If you did not create an account, ignore this mail.',

  'sso.failed': 'Sign-in failed',
  'sso.back': 'Back',
  'sso.noEmail': 'The sign-in provider did not tell us your email address.',
  'sso.emailTaken': 'An account with this email exists already; sign in with your password instead.',
  'sso.linkExpired': 'This sign-in link is not valid any more; please sign in again.',
  'sso.unchecked': 'The sign-in provider’s answer could not be checked; please sign in again.',
} as const;
