import type { CatalogueOf } from '../translator';
import type { en } from './en';

export const de: CatalogueOf<typeof en> = {
  'errors.VALIDATION_ERROR': 'Diese Anfrage wurde nicht angenommen',
  'errors.UNAUTHORIZED': 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
  'errors.FORBIDDEN': 'Dazu sind Sie nicht berechtigt.',
  'errors.NOT_FOUND': 'Diese Buchung oder Ressource gibt es nicht mehr. Die Ansicht wurde aktualisiert.',
  'errors.SLOT_TAKEN':
    'Jemand hat diese Zeit kurz vor Ihnen gebucht. Die Ansicht wurde aktualisiert; bitte wählen Sie eine andere freie Zeit.',
  'errors.INVALID_STATE':
    'Das ist in diesem Zustand nicht möglich: Eine Buchung ist vielleicht schon storniert oder vorbei, oder eine Ressource hat noch künftige Buchungen.',
  'errors.BUSY':
    'Die Ressource ist gerade mit anderen Buchungen beschäftigt. Wir haben es mehrmals versucht; bitte versuchen Sie es gleich noch einmal.',
  'errors.RATE_LIMITED': 'Das ging etwas schnell. Warten Sie ein paar Sekunden und versuchen Sie es dann erneut.',
  'errors.INTERNAL': 'Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.',
  'errors.EMAIL_TAKEN':
    'Mit dieser E-Mail-Adresse gibt es bereits ein Konto. Melden Sie sich an oder verwenden Sie eine andere Adresse.',
  'errors.INVALID_CREDENTIALS':
    'E-Mail-Adresse und Passwort passen zu keinem Konto. Prüfen Sie die Angaben und versuchen Sie es erneut.',
  'errors.POLICY_VIOLATION': 'Diese Zeit passt nicht zu den Regeln dieser Ressource.',
  'errors.QUOTA_EXCEEDED': 'Sie haben bereits so viele Buchungen wie erlaubt.',
  'rules.openingHours': 'Der Raum ist zu dieser Zeit geschlossen. Wählen Sie eine Zeit innerhalb der Öffnungszeiten.',
  'rules.closure': 'Der Raum ist an diesem Tag geschlossen.',
  'rules.grid': 'Buchungen beginnen und enden im Zeitraster der Ressource (zum Beispiel zur Viertelstunde).',
  'rules.duration': 'Diese Buchung ist für diese Ressource zu kurz oder zu lang.',
  'rules.notice': 'Das ist zu kurzfristig: Diese Ressource muss früher gebucht werden.',
  'rules.past': 'Diese Zeit ist bereits vorbei.',
  'rules.advance': 'Das liegt zu weit in der Zukunft: So früh kann diese Ressource nicht gebucht werden.',
  'rules.buffer': 'Das liegt zu nah an einer anderen Buchung: Diese Ressource hält einen Abstand zwischen Buchungen.',
  'access.notBookable': 'Sie können den Kalender dieser Ressource sehen, sie aber nicht buchen.',
};
