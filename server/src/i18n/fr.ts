import type { CatalogueOf } from '@booking/shared';
import type { en } from './en';

export const fr: CatalogueOf<typeof en> = {
  'mail.hello': 'Bonjour {name},',
  'mail.subject': '{headline} : {what}, {when}',
  'mail.withTitle': '{title} — {what}',
  'mail.removedResource': 'une ressource supprimée',
  'mail.someone': 'Quelqu’un',

  'mail.headline.confirmed': 'Réservation confirmée',
  'mail.headline.modified': 'Réservation modifiée',
  'mail.headline.cancelled': 'Réservation annulée',
  'mail.headline.seriesConfirmed': 'Série confirmée',
  'mail.headline.seriesCancelled': 'Série annulée',
  'mail.headline.reminder': 'Rappel',
  'mail.headline.released': 'Réservation libérée',
  'mail.headline.offered': 'Une place vous est réservée',
  'mail.headline.offeredUntil': 'Une place vous est réservée jusqu’à {until}',
  'mail.headline.requested': 'Approbation demandée',
  'mail.headline.approved': 'Réservation approuvée',
  'mail.headline.declined': 'Demande refusée',
  'mail.headline.expired': 'Demande expirée',

  'mail.label.resource': 'Ressource',
  'mail.label.quantity': 'Quantité',
  'mail.label.when': 'Quand',
  'mail.label.was': 'Avant',
  'mail.label.series': 'Série',
  'mail.label.booking': 'Réservation',
  'mail.label.checkInBy': 'Présence à confirmer avant',
  'mail.label.released': 'Libérée',
  'mail.label.repeats': 'Répétition',
  'mail.label.first': 'Première',
  'mail.label.heldUntil': 'Réservée jusqu’à',
  'mail.label.from': 'À partir du',
  'mail.label.requestedBy': 'Demandée par',
  'mail.label.decideBy': 'Décider avant',
  'mail.label.reason': 'Motif',

  'mail.list.booked': 'Réservées',
  'mail.list.skipped': 'Ignorées',
  'mail.list.cancelled': 'Annulées',
  'mail.list.occurrences': 'Occurrences',

  'mail.confirmed': 'Votre réservation de {what} le {when} est confirmée.',
  'mail.modified': 'Votre réservation de {what} a été déplacée au {when}.',
  'mail.modifiedFrom': 'Votre réservation de {what} a été déplacée au {when} (auparavant {was}).',
  'mail.cancelled': 'Votre réservation de {what} le {when} est annulée.',
  'mail.reminder': 'Rappel : votre réservation de {what} le {when} commence bientôt.',
  'mail.reminderCheckIn':
    'Rappel : votre réservation de {what} le {when} commence bientôt. ' +
    'Confirmez votre présence entre 10 minutes avant le début et {by}, sinon la réservation sera libérée.',
  'mail.released':
    'Votre réservation de {what} le {when} a été libérée, car personne n’a confirmé sa présence avant {by}.',
  'mail.releasedWindow':
    'Votre réservation de {what} le {when} a été libérée, car personne n’a confirmé sa présence ' +
    'avant la fin du délai prévu.',
  'mail.releasedRow': 'personne n’a confirmé sa présence avant {by}',
  'mail.releasedRowWindow': 'personne n’a confirmé sa présence avant la fin du délai prévu',
  'mail.seriesConfirmed':
    'Votre réservation de {what}, {rule}, {count, plural, one {# occurrence} other {# occurrences}} à partir du {first}, ' +
    'est confirmée{skipped, plural, =0 {} one { ; # date a été ignorée} other { ; # dates ont été ignorées}}.',
  'mail.seriesCancelled':
    '{count, plural, one {# occurrence de votre réservation de {what} à partir du {when} est annulée.} ' +
    'other {# occurrences de votre réservation de {what} à partir du {when} sont annulées.}}',
  'mail.offered':
    'Une place pour {what} le {when} s’est libérée pour vous : elle vous est réservée jusqu’à {until}. ' +
    'Confirmez-la pour la réserver.',
  'mail.offeredShort':
    'Une place pour {what} le {when} s’est libérée pour vous : elle vous est réservée pour un court moment. ' +
    'Confirmez-la pour la réserver.',
  'mail.requested': '{owner} demande à réserver {what} le {when}. Veuillez approuver ou refuser.',
  'mail.requestedSeries':
    '{owner} demande à réserver {what}, {count, plural, one {# occurrence} other {# occurrences}} à partir du {when}. ' +
    'Veuillez approuver ou refuser.',
  'mail.approved': 'Votre demande pour {what} le {when} est approuvée : la réservation est confirmée.',
  'mail.declined': 'Votre demande pour {what} le {when} a été refusée.',
  'mail.declinedReason': 'Votre demande pour {what} le {when} a été refusée : {reason}',
  'mail.expired':
    'Votre demande pour {what} le {when} a expiré : personne ne l’a approuvée à temps, le créneau est donc de nouveau libre.',

  'mail.repeat.day': '{interval, plural, one {chaque jour} other {tous les # jours}}',
  'mail.repeat.week': '{interval, plural, one {chaque semaine} other {toutes les # semaines}}',
  'mail.repeat.on': '{every}, le {days}',
  'mail.repeat.recurring': 'récurrente',
  'mail.skipped.taken': 'Déjà réservé par quelqu’un d’autre.',
  'mail.skipped.item': '{when} : {reason}',

  'mail.ics.cancel': 'Le fichier de calendrier joint retire l’événement de votre calendrier.',
  'mail.ics.update': 'Le fichier de calendrier joint ajoute ou met à jour l’événement dans votre calendrier.',
  'mail.offer.open': 'Ouvrez ce lien pour voir l’offre et la confirmer :',
  'mail.offer.onPage': 'Confirmez-la sur la page de réservation.',
  'mail.offer.lapse': 'Si vous ne confirmez pas à temps, la place revient à la personne suivante en attente.',
  'mail.offer.booked':
    'Rien n’est réservé tant que vous n’avez pas confirmé ; l’e-mail de confirmation contiendra le fichier de calendrier.',
  'mail.offer.button': 'Confirmer cette place',
  'mail.request.open': 'Ouvrez ce lien pour approuver ou refuser :',
  'mail.request.onPage': 'Décidez sur la page de réservation, sous « Approbations ».',
  'mail.request.button': 'Approuver ou refuser',

  'ics.summary': 'Réservation : {what}',
  'ics.organizer': 'Réservations',

  'verify.subject': 'Confirmez votre adresse e-mail',
  'verify.intro': 'veuillez confirmer qu’il s’agit bien de votre adresse e-mail en ouvrant ce lien :',
  'verify.introHtml': 'veuillez confirmer qu’il s’agit bien de votre adresse e-mail :',
  'verify.button': 'Confirmer mon adresse e-mail',
  'verify.note':
    'D’ici là, vous pouvez vous connecter mais pas réserver. Le lien ne fonctionne qu’une fois, pendant 48 heures.',
  'verify.ignore': 'Si vous n’avez pas créé de compte, ignorez cet e-mail.',

  'sso.failed': 'Échec de la connexion',
  'sso.back': 'Retour',
  'sso.noEmail': 'Le service de connexion ne nous a pas communiqué votre adresse e-mail.',
  'sso.emailTaken': 'Un compte existe déjà avec cette adresse e-mail ; connectez-vous plutôt avec votre mot de passe.',
  'sso.linkExpired': 'Ce lien de connexion n’est plus valide ; veuillez vous reconnecter.',
  'sso.unchecked': 'La réponse du service de connexion n’a pas pu être vérifiée ; veuillez vous reconnecter.',
};
