import type { CatalogueOf } from '@booking/shared';
import type { en } from './en';

export const fr: CatalogueOf<typeof en> = {
  'error.timeout': 'Le serveur n’a pas répondu. Vérifiez votre connexion et réessayez.',
  'error.validation': '{sentence} : {detail}',
  'error.unverified':
    'Confirmez d’abord votre adresse e-mail : ouvrez le lien que nous vous avons envoyé, ou demandez-en un nouveau.',
  'error.approvable': 'Cela nécessite l’accord d’un approbateur : vous pouvez demander une approbation.',
  'error.unitsFree': 'Seules {count, plural, one {# unité est libre} other {# unités sont libres}} à ce moment-là.',
  'checkIn.invalidState':
    'Vous pouvez vous enregistrer de 10 minutes avant le début jusqu’à la fin d’une réservation active.',
  'checkIn.forbidden': 'Seule la personne qui a fait cette réservation peut s’enregistrer.',
  'duration.days': '{count, plural, one {# jour} other {# jours}}',
  'duration.minutes': '{minutes} min',
  'duration.hours': '{hours} h',
  'duration.hoursMinutes': '{hours} h {minutes} min',
  'grid.minute': 'à la minute près',
  'grid.quarter': 'au quart d’heure',
  'grid.half': 'à l’heure ou à la demi-heure',
  'grid.hour': 'à l’heure pile',
  'grid.midnight': 'à minuit',
  'grid.every': 'toutes les {duration} à partir de minuit',
  'rule.openingHours':
    'Cette ressource ({noun}) est fermée à ce moment-là. Choisissez un horaire pendant ses heures d’ouverture.',
  'rule.closure': 'Cette ressource ({noun}) est fermée ce jour-là.',
  'rule.grid': 'Les réservations commencent et se terminent {grid}.',
  'rule.duration': 'Une réservation de cette ressource ({noun}) dure de {min} à {max}.',
  'rule.notice': 'C’est trop tôt : réservez cette ressource ({noun}) au moins {notice} à l’avance.',
  'rule.advance':
    'C’est trop loin : cette ressource ({noun}) peut être réservée au plus {days, plural, one {# jour} other {# jours}} à l’avance.',
  'rule.buffer':
    'C’est trop proche d’une autre réservation : cette ressource ({noun}) garde {buffer} libres entre les réservations.',
  'quota.holds':
    'Vous pouvez retenir au plus {limit, plural, one {# créneau} other {# créneaux}} à la fois. Réservez-en ou libérez-en un d’abord.',
  'quota.waitlist':
    'Vous pouvez attendre au plus {limit, plural, one {# créneau} other {# créneaux}} à la fois. Quittez d’abord une de vos listes d’attente.',
  'quota.resource':
    'Vous avez déjà {limit, plural, one {# réservation} other {# réservations}} de cette ressource ({noun}), le maximum permis. ' +
    'Annulez-en une pour en réserver une autre.',
  'quota.user':
    'Vous avez déjà {limit, plural, one {# réservation} other {# réservations}}, le maximum par personne. ' +
    'Annulez-en une pour en réserver une autre.',
  'decision.invalidState':
    'Cette demande n’attend plus de décision : quelqu’un d’autre l’a tranchée, elle a été annulée ou elle a expiré.',
  'decision.forbidden': 'Seul un approbateur de cette ressource peut approuver ou refuser ses demandes.',
  'decision.notFound': 'Cette demande n’existe plus.',
  'confirm.forbidden': 'Ce créneau est retenu pour quelqu’un d’autre ; seule cette personne peut le réserver.',
  'confirm.notFound': 'Ce créneau retenu n’existe plus. Sélectionnez à nouveau l’horaire pour le retenir.',
  'hold.expired':
    'Votre créneau retenu a expiré avant la réservation ; l’horaire est de nouveau libre pour les autres. Retenez-le à nouveau pour le réserver.',
  'waitlist.leaveInvalid':
    'Vous n’attendez plus cet horaire : il vous a été proposé, il a été réservé ou il est passé.',
  'waitlist.joinInvalid': 'Cet horaire est libre maintenant, inutile d’attendre : sélectionnez-le pour le réserver.',
  'waitlist.notFound': 'Cette inscription sur liste d’attente n’existe plus.',
  'occurrence.taken': 'Déjà réservé par quelqu’un d’autre.',
  'occurrence.quota': 'Au-delà du nombre de réservations que vous pouvez avoir.',
  'occurrence.notBookable': 'Non réservable.',
  'series.refused':
    'Rien n’a été réservé : {count, plural, one {# des dates ne peut pas} other {# des dates ne peuvent pas}} être réservées ' +
    '(la première : {reason}). Choisissez « Ignorer » pour réserver les autres, ou modifiez la répétition.',
  'sso.codeSpent': 'Cette connexion a déjà été utilisée ou a expiré. Veuillez vous reconnecter.',
  'sso.noSignIn': 'La connexion sur cette page est désactivée. Veuillez contacter votre administrateur.',
  'sso.emergencyOnly':
    'La connexion par mot de passe est désactivée. Seul le compte de secours du personnel se connecte avec un mot de passe.',
  'sso.providerGroup':
    'Les groupes du fournisseur de connexion sont repris du fournisseur à chaque connexion ; ils se modifient donc là-bas, pas ici.',
};
