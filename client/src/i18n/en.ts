/**
 * The client library's sentences (what the booking page and the dashboard say about a refused
 * command, a duration, a policy's grid), in English. `de`, `fr`, `es` have exactly these keys.
 * The server's codes and rules in general read from the shared catalogue (`errorSentence`,
 * `ruleSentence`); these are the client's own and the ones that name a resource's numbers.
 */
export const en = {
  'error.timeout': 'The server did not answer. Check your connection and try again.',
  'error.validation': '{sentence}: {detail}',
  'error.unverified': 'Confirm your email address first: open the link we mailed you, or ask for a new one.',
  'error.approvable': "This needs an approver's agreement: you can request approval.",
  'error.unitsFree': 'Only {count, plural, one {# unit is} other {# units are}} free then.',
  'checkIn.invalidState': 'You can check in from 10 minutes before the start until the end of an active booking.',
  'checkIn.forbidden': 'Only the person who made this booking can check in.',
  'duration.days': '{count, plural, one {# day} other {# days}}',
  'duration.minutes': '{minutes} min',
  'duration.hours': '{hours} h',
  'duration.hoursMinutes': '{hours} h {minutes} min',
  'grid.minute': 'on whole minutes',
  'grid.quarter': 'on the quarter hour',
  'grid.half': 'on the hour or half hour',
  'grid.hour': 'on the hour',
  'grid.midnight': 'at midnight',
  'grid.every': 'every {duration} from midnight',
  'rule.openingHours': 'The {noun} is closed then. Choose a time within its opening hours.',
  'rule.closure': 'The {noun} is closed on that day.',
  'rule.grid': 'Bookings start and end {grid}.',
  'rule.duration': 'A booking of this {noun} lasts {min} to {max}.',
  'rule.notice': 'That is too soon: book this {noun} at least {notice} ahead.',
  'rule.advance':
    'That is too far ahead: this {noun} can be booked at most {days, plural, one {# day} other {# days}} ahead.',
  'rule.buffer': 'That is too close to another booking: this {noun} keeps {buffer} free between bookings.',
  'quota.holds':
    'You can hold at most {limit, plural, one {# slot} other {# slots}} at once. Book or let go of one first.',
  'quota.waitlist':
    'You can wait for at most {limit, plural, one {# slot} other {# slots}} at once. Leave one of your waitlists first.',
  'quota.resource':
    'You already hold {limit, plural, one {# booking} other {# bookings}} of this {noun}, the most it allows. ' +
    'Cancel one to book another.',
  'quota.user':
    'You already hold {limit, plural, one {# booking} other {# bookings}}, the most one person may hold. ' +
    'Cancel one to book another.',
  'decision.invalidState':
    'That request is no longer awaiting a decision: someone else decided it, it was cancelled, or it ran out.',
  'decision.forbidden': 'Only an approver of this resource can approve or decline its requests.',
  'decision.notFound': 'That request no longer exists.',
  'confirm.forbidden': 'This time is held for someone else, so only they can book it.',
  'confirm.notFound': 'That hold no longer exists. Select the time again to hold it.',
  'hold.expired':
    'Your hold ran out before it was booked, so the time is free for others again. Hold it again to book it.',
  'waitlist.leaveInvalid': 'You are no longer waiting for that time: it was offered to you, booked, or it has passed.',
  'waitlist.joinInvalid': 'That time is free now, so there is no need to wait: select it to book it.',
  'waitlist.notFound': 'That waitlist entry no longer exists.',
  'occurrence.taken': 'Already booked by someone else.',
  'occurrence.quota': 'Over the number of bookings you may hold.',
  'occurrence.notBookable': 'Not bookable.',
  'series.refused':
    'Nothing was booked: {count, plural, one {# of the dates cannot} other {# of the dates cannot}} be booked ' +
    '(the first: {reason}). Choose "skip" to book the others, or change the repeat.',
  'sso.codeSpent': 'That sign-in is used or has expired. Please sign in again.',
  'sso.noSignIn': 'Signing in on this page is turned off. Please ask your administrator.',
  'sso.emergencyOnly': 'Password sign-in is off. Only the emergency staff account signs in with a password.',
  'sso.providerGroup':
    'Groups from the sign-in provider are set from the provider at every sign-in, so they are changed there, not here.',
} as const;
