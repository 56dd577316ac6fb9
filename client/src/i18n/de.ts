import type { CatalogueOf } from '@booking/shared';
import type { en } from './en';

export const de: CatalogueOf<typeof en> = {
  'error.timeout': 'Der Server hat nicht geantwortet. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  'error.validation': '{sentence}: {detail}',
  'error.unverified':
    'Bestätigen Sie zuerst Ihre E-Mail-Adresse: Öffnen Sie den Link, den wir Ihnen geschickt haben, oder fordern Sie einen neuen an.',
  'error.approvable':
    'Dafür ist die Zustimmung einer genehmigenden Person nötig: Sie können eine Genehmigung anfragen.',
  'error.unitsFree': 'Zu dieser Zeit {count, plural, one {ist nur # Einheit} other {sind nur # Einheiten}} frei.',
  'checkIn.invalidState': 'Einchecken können Sie ab 10 Minuten vor Beginn bis zum Ende einer aktiven Buchung.',
  'checkIn.forbidden': 'Nur die Person, die diese Buchung vorgenommen hat, kann einchecken.',
  'duration.days': '{count, plural, one {# Tag} other {# Tage}}',
  'duration.minutes': '{minutes} Min.',
  'duration.hours': '{hours} Std.',
  'duration.hoursMinutes': '{hours} Std. {minutes} Min.',
  'grid.minute': 'zu jeder vollen Minute',
  'grid.quarter': 'zur Viertelstunde',
  'grid.half': 'zur vollen oder halben Stunde',
  'grid.hour': 'zur vollen Stunde',
  'grid.midnight': 'um Mitternacht',
  'grid.every': 'alle {duration} ab Mitternacht',
  'rule.openingHours':
    'Diese Ressource ({noun}) ist zu dieser Zeit geschlossen. Wählen Sie eine Zeit innerhalb der Öffnungszeiten.',
  'rule.closure': 'Diese Ressource ({noun}) ist an diesem Tag geschlossen.',
  'rule.grid': 'Buchungen beginnen und enden {grid}.',
  'rule.duration': 'Eine Buchung dieser Ressource ({noun}) dauert {min} bis {max}.',
  'rule.notice': 'Das ist zu kurzfristig: Buchen Sie diese Ressource ({noun}) mindestens {notice} im Voraus.',
  'rule.advance':
    'Das liegt zu weit in der Zukunft: Diese Ressource ({noun}) kann höchstens {days, plural, one {# Tag} other {# Tage}} im Voraus gebucht werden.',
  'rule.buffer':
    'Das liegt zu nah an einer anderen Buchung: Diese Ressource ({noun}) hält zwischen Buchungen {buffer} frei.',
  'quota.holds':
    'Sie können höchstens {limit, plural, one {# Zeitfenster} other {# Zeitfenster}} gleichzeitig vormerken. Buchen Sie ' +
    'zuerst eines oder geben Sie eines frei.',
  'quota.waitlist':
    'Sie können auf höchstens {limit, plural, one {# Zeitfenster} other {# Zeitfenster}} gleichzeitig warten. Verlassen Sie zuerst eine Ihrer Wartelisten.',
  'quota.resource':
    'Sie haben bereits {limit, plural, one {# Buchung} other {# Buchungen}} dieser Ressource ({noun}), mehr ist nicht erlaubt. ' +
    'Stornieren Sie eine, um eine weitere zu buchen.',
  'quota.user':
    'Sie haben bereits {limit, plural, one {# Buchung} other {# Buchungen}}, das Maximum pro Person. ' +
    'Stornieren Sie eine, um eine weitere zu buchen.',
  'decision.invalidState':
    'Diese Anfrage wartet nicht mehr auf eine Entscheidung: Jemand anderes hat entschieden, sie wurde storniert oder ist abgelaufen.',
  'decision.forbidden': 'Nur genehmigende Personen dieser Ressource können ihre Anfragen genehmigen oder ablehnen.',
  'decision.notFound': 'Diese Anfrage gibt es nicht mehr.',
  'confirm.forbidden': 'Diese Zeit ist für jemand anderen vorgemerkt; nur diese Person kann sie buchen.',
  'confirm.notFound': 'Diese Vormerkung gibt es nicht mehr. Wählen Sie die Zeit erneut aus, um sie vorzumerken.',
  'hold.expired':
    'Ihre Vormerkung ist abgelaufen, bevor gebucht wurde; die Zeit ist wieder für andere frei. Merken Sie sie erneut vor, um sie zu buchen.',
  'waitlist.leaveInvalid': 'Sie warten nicht mehr auf diese Zeit: Sie wurde Ihnen angeboten, gebucht oder ist vorbei.',
  'waitlist.joinInvalid': 'Diese Zeit ist jetzt frei, Sie müssen nicht warten: Wählen Sie sie aus, um sie zu buchen.',
  'waitlist.notFound': 'Diesen Wartelisteneintrag gibt es nicht mehr.',
  'occurrence.taken': 'Bereits von jemand anderem gebucht.',
  'occurrence.quota': 'Mehr Buchungen, als Sie haben dürfen.',
  'occurrence.notBookable': 'Nicht buchbar.',
  'series.refused':
    'Es wurde nichts gebucht: {count, plural, one {# der Termine kann} other {# der Termine können}} nicht gebucht werden ' +
    '(der erste: {reason}). Wählen Sie „Überspringen“, um die anderen zu buchen, oder ändern Sie die Wiederholung.',
  'sso.codeSpent': 'Diese Anmeldung wurde bereits verwendet oder ist abgelaufen. Bitte melden Sie sich erneut an.',
  'sso.noSignIn': 'Die Anmeldung auf dieser Seite ist ausgeschaltet. Bitte wenden Sie sich an Ihre Administration.',
  'sso.emergencyOnly':
    'Die Anmeldung mit Passwort ist ausgeschaltet. Nur das Notfallkonto des Personals meldet sich mit Passwort an.',
  'sso.providerGroup':
    'Gruppen des Anmeldeanbieters werden bei jeder Anmeldung vom Anbieter übernommen und daher dort geändert, nicht hier.',
};
