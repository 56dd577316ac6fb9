import type { CatalogueOf } from '@booking/shared';
import type { en } from './en';

export const de: CatalogueOf<typeof en> = {
  'display.pageTitle': '{name} — Raumanzeige',
  'display.state.free': 'Frei',
  'display.state.awaiting': 'Wartet auf Check-in',
  'display.state.inUse': 'Belegt',
  'display.state.closed': 'Geschlossen',
  'display.range': '{start} – {end}',
  'display.freeUntil': 'Frei bis {time}',
  'display.freeRestOfDay': 'Frei für den Rest des Tages',
  'display.endsIn': 'Endet in {minutes, plural, =0 {weniger als einer Minute} one {# Minute} other {# Minuten}}',
  'display.checkIn.within': 'Check-in innerhalb von',
  'display.checkIn.releasedAt': 'Wird um {time} freigegeben, wenn niemand eincheckt',
  'display.next': 'Als Nächstes',
  'display.next.none': 'Heute keine weiteren Buchungen',
  'display.clock': 'Uhrzeit',
  'display.checkIn': 'Einchecken',
  'display.bookNow': 'Jetzt buchen',
  'display.bookNow.minutes': '{minutes, plural, one {# Minute} other {# Minuten}}',
  'display.extend': 'Um {minutes, plural, one {# Minute} other {# Minuten}} verlängern',
  'display.endNow': 'Jetzt beenden',
  'display.working': 'Einen Moment…',
  'display.error.timeout': 'Keine Antwort vom Server. Bitte versuchen Sie es erneut.',
  'display.offline': 'Offline — Verbindung wird wiederhergestellt…',
  'display.connecting': 'Verbindung wird hergestellt…',
  'display.noKey.title': 'Diese Anzeige hat keinen Schlüssel',
  'display.noKey.body':
    'Öffnen Sie den Anzeige-Link, den das Personal für diesen Bildschirm erstellt hat (er endet mit #…).',
  'display.revoked.title': 'Der Schlüssel dieser Anzeige wurde widerrufen',
  'display.revoked.body': 'Bitten Sie das Personal um einen neuen Anzeige-Link.',
};
