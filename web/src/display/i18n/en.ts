/**
 * The room display's sentences (docs/i18n.md). English defines the keys; `de`, `fr`, `es` have exactly these.
 * The display speaks its resource's `policy.locale`, not the passer-by's browser language.
 */
export const en = {
  'display.pageTitle': '{name} — room display',
  'display.state.free': 'Free',
  'display.state.awaiting': 'Awaiting check-in',
  'display.state.inUse': 'In use',
  'display.state.closed': 'Closed',
  'display.range': '{start} – {end}',
  'display.freeUntil': 'Free until {time}',
  'display.freeRestOfDay': 'Free for the rest of the day',
  'display.endsIn': 'Ends in {minutes, plural, =0 {less than a minute} one {# minute} other {# minutes}}',
  'display.checkIn.within': 'Check in within',
  'display.checkIn.releasedAt': 'Released at {time} if nobody checks in',
  'display.next': 'Next',
  'display.next.none': 'No more bookings today',
  'display.clock': 'Time now',
  'display.checkIn': 'Check in',
  'display.bookNow': 'Book now',
  'display.bookNow.minutes': '{minutes, plural, one {# minute} other {# minutes}}',
  'display.extend': 'Extend by {minutes, plural, one {# minute} other {# minutes}}',
  'display.endNow': 'End now',
  'display.working': 'One moment…',
  'display.error.timeout': 'No answer from the server. Please try again.',
  'display.offline': 'Offline — reconnecting…',
  'display.connecting': 'Connecting…',
  'display.noKey.title': 'This display has no key',
  'display.noKey.body': 'Open the display link that staff created for this screen (it ends in #…).',
  'display.revoked.title': 'This display’s key was revoked',
  'display.revoked.body': 'Ask staff for a new display link.',
} as const;
