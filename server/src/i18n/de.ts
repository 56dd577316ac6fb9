import type { CatalogueOf } from '@booking/shared';
import type { en } from './en';

export const de: CatalogueOf<typeof en> = {
  'mail.hello': 'Guten Tag {name},',
  'mail.subject': '{headline}: {what}, {when}',
  'mail.withTitle': '{title} — {what}',
  'mail.removedResource': 'eine entfernte Ressource',
  'mail.someone': 'Jemand',

  'mail.headline.confirmed': 'Buchung bestätigt',
  'mail.headline.modified': 'Buchung geändert',
  'mail.headline.cancelled': 'Buchung storniert',
  'mail.headline.seriesConfirmed': 'Serie bestätigt',
  'mail.headline.seriesCancelled': 'Serie storniert',
  'mail.headline.reminder': 'Erinnerung',
  'mail.headline.released': 'Buchung freigegeben',
  'mail.headline.offered': 'Ein Platz ist für Sie reserviert',
  'mail.headline.offeredUntil': 'Ein Platz ist bis {until} für Sie reserviert',
  'mail.headline.requested': 'Genehmigung angefragt',
  'mail.headline.approved': 'Buchung genehmigt',
  'mail.headline.declined': 'Anfrage abgelehnt',
  'mail.headline.expired': 'Anfrage abgelaufen',

  'mail.label.resource': 'Ressource',
  'mail.label.quantity': 'Anzahl',
  'mail.label.when': 'Wann',
  'mail.label.was': 'Vorher',
  'mail.label.series': 'Serie',
  'mail.label.booking': 'Buchung',
  'mail.label.checkInBy': 'Einchecken bis',
  'mail.label.released': 'Freigegeben',
  'mail.label.repeats': 'Wiederholung',
  'mail.label.first': 'Erster Termin',
  'mail.label.heldUntil': 'Reserviert bis',
  'mail.label.from': 'Ab',
  'mail.label.requestedBy': 'Angefragt von',
  'mail.label.decideBy': 'Entscheiden bis',
  'mail.label.reason': 'Begründung',

  'mail.list.booked': 'Gebucht',
  'mail.list.skipped': 'Übersprungen',
  'mail.list.cancelled': 'Storniert',
  'mail.list.occurrences': 'Termine',

  'mail.confirmed': 'Ihre Buchung von {what} am {when} ist bestätigt.',
  'mail.modified': 'Ihre Buchung von {what} wurde auf {when} verschoben.',
  'mail.modifiedFrom': 'Ihre Buchung von {what} wurde auf {when} verschoben (vorher {was}).',
  'mail.cancelled': 'Ihre Buchung von {what} am {when} ist storniert.',
  'mail.reminder': 'Erinnerung: Ihre Buchung von {what} am {when} beginnt bald.',
  'mail.reminderCheckIn':
    'Erinnerung: Ihre Buchung von {what} am {when} beginnt bald. ' +
    'Checken Sie ab 10 Minuten vor Beginn bis {by} ein, sonst wird die Buchung freigegeben.',
  'mail.released': 'Ihre Buchung von {what} am {when} wurde freigegeben, weil bis {by} niemand eingecheckt hat.',
  'mail.releasedWindow':
    'Ihre Buchung von {what} am {when} wurde freigegeben, weil bis zum Ende des Check-in-Fensters niemand eingecheckt hat.',
  'mail.releasedRow': 'bis {by} hat niemand eingecheckt',
  'mail.releasedRowWindow': 'bis zum Ende des Check-in-Fensters hat niemand eingecheckt',
  'mail.seriesConfirmed':
    'Ihre Buchung von {what}, {rule}, {count, plural, one {# Termin} other {# Termine}} ab {first}, ' +
    'ist bestätigt{skipped, plural, =0 {} one {; # Termin wurde übersprungen} other {; # Termine wurden übersprungen}}.',
  'mail.seriesCancelled':
    '{count, plural, one {# Termin Ihrer Buchung von {what} ab {when} ist storniert.} ' +
    'other {# Termine Ihrer Buchung von {what} ab {when} sind storniert.}}',
  'mail.offered':
    'Ein Platz für {what} am {when} ist für Sie frei: Er ist bis {until} für Sie reserviert. Bestätigen Sie ihn, um ihn zu buchen.',
  'mail.offeredShort':
    'Ein Platz für {what} am {when} ist für Sie frei: Er ist kurze Zeit für Sie reserviert. Bestätigen Sie ihn, um ihn zu buchen.',
  'mail.requested': '{owner} möchte {what} am {when} buchen. Bitte genehmigen oder ablehnen.',
  'mail.requestedSeries':
    '{owner} möchte {what} buchen, {count, plural, one {# Termin} other {# Termine}} ab {when}. ' +
    'Bitte genehmigen oder ablehnen.',
  'mail.approved': 'Ihre Anfrage für {what} am {when} wurde genehmigt: Die Buchung ist bestätigt.',
  'mail.declined': 'Ihre Anfrage für {what} am {when} wurde abgelehnt.',
  'mail.declinedReason': 'Ihre Anfrage für {what} am {when} wurde abgelehnt: {reason}',
  'mail.expired':
    'Ihre Anfrage für {what} am {when} ist abgelaufen: Niemand hat sie rechtzeitig genehmigt, die Zeit ist wieder frei.',

  'mail.repeat.day': '{interval, plural, one {jeden Tag} other {alle # Tage}}',
  'mail.repeat.week': '{interval, plural, one {jede Woche} other {alle # Wochen}}',
  'mail.repeat.on': '{every} am {days}',
  'mail.repeat.recurring': 'wiederkehrend',
  'mail.skipped.taken': 'Bereits von jemand anderem gebucht.',
  'mail.skipped.item': '{when}: {reason}',

  'mail.ics.cancel': 'Die angehängte Kalenderdatei entfernt den Termin aus Ihrem Kalender.',
  'mail.ics.update': 'Die angehängte Kalenderdatei fügt den Termin Ihrem Kalender hinzu oder aktualisiert ihn.',
  'mail.offer.open': 'Öffnen Sie diesen Link, um das Angebot zu sehen und zu bestätigen:',
  'mail.offer.onPage': 'Bestätigen Sie es auf der Buchungsseite.',
  'mail.offer.lapse': 'Wenn Sie nicht rechtzeitig bestätigen, geht der Platz an die nächste wartende Person.',
  'mail.offer.booked': 'Gebucht ist erst nach Ihrer Bestätigung; die Bestätigungs-E-Mail enthält die Kalenderdatei.',
  'mail.offer.button': 'Diesen Platz bestätigen',
  'mail.request.open': 'Öffnen Sie diesen Link, um zu genehmigen oder abzulehnen:',
  'mail.request.onPage': 'Entscheiden Sie auf der Buchungsseite unter „Genehmigungen“.',
  'mail.request.button': 'Genehmigen oder ablehnen',

  'ics.summary': 'Buchung: {what}',
  'ics.organizer': 'Buchungen',

  'verify.subject': 'Bestätigen Sie Ihre E-Mail-Adresse',
  'verify.intro': 'bitte bestätigen Sie, dass dies Ihre E-Mail-Adresse ist, indem Sie diesen Link öffnen:',
  'verify.introHtml': 'bitte bestätigen Sie, dass dies Ihre E-Mail-Adresse ist:',
  'verify.button': 'Meine E-Mail-Adresse bestätigen',
  'verify.note':
    'Bis dahin können Sie sich anmelden, aber nicht buchen. Der Link funktioniert einmal, 48 Stunden lang.',
  'verify.ignore': 'Wenn Sie kein Konto angelegt haben, ignorieren Sie diese E-Mail.',

  'sso.failed': 'Anmeldung fehlgeschlagen',
  'sso.back': 'Zurück',
  'sso.noEmail': 'Der Anmeldedienst hat uns Ihre E-Mail-Adresse nicht mitgeteilt.',
  'sso.emailTaken':
    'Mit dieser E-Mail-Adresse gibt es bereits ein Konto; melden Sie sich stattdessen mit Ihrem Passwort an.',
  'sso.linkExpired': 'Dieser Anmeldelink ist nicht mehr gültig; bitte melden Sie sich erneut an.',
  'sso.unchecked': 'Die Antwort des Anmeldedienstes konnte nicht geprüft werden; bitte melden Sie sich erneut an.',
};
