import type { CatalogueOf } from '../translator';
import type { en } from './en';

export const fr: CatalogueOf<typeof en> = {
  'errors.VALIDATION_ERROR': 'Cette demande n’a pas été acceptée',
  'errors.UNAUTHORIZED': 'Votre session a expiré. Veuillez vous reconnecter.',
  'errors.FORBIDDEN': 'Vous n’êtes pas autorisé à faire cela.',
  'errors.NOT_FOUND': 'Cette réservation ou cette ressource n’existe plus. L’affichage a été actualisé.',
  'errors.SLOT_TAKEN':
    'Quelqu’un a réservé ce créneau juste avant vous. L’affichage a été actualisé ; veuillez choisir un autre créneau libre.',
  'errors.INVALID_STATE':
    'Ce n’est pas possible dans cet état : une réservation est peut-être déjà annulée ou terminée, ou une ressource a encore des réservations à venir.',
  'errors.BUSY':
    'La ressource est occupée par d’autres réservations en ce moment. Nous avons réessayé plusieurs fois ; veuillez réessayer dans un instant.',
  'errors.RATE_LIMITED': 'Vous allez un peu vite. Attendez quelques secondes, puis réessayez.',
  'errors.INTERNAL': 'Un problème est survenu de notre côté. Veuillez réessayer.',
  'errors.EMAIL_TAKEN':
    'Un compte existe déjà avec cette adresse e-mail. Connectez-vous ou utilisez une autre adresse.',
  'errors.INVALID_CREDENTIALS':
    'Cette adresse e-mail et ce mot de passe ne correspondent à aucun compte. Vérifiez-les et réessayez.',
  'errors.POLICY_VIOLATION': 'Ce créneau ne respecte pas les règles de cette ressource.',
  'errors.QUOTA_EXCEEDED': 'Vous avez déjà autant de réservations que permis.',
  'rules.openingHours': 'La salle est fermée à ce moment-là. Choisissez un horaire pendant les heures d’ouverture.',
  'rules.closure': 'La salle est fermée ce jour-là.',
  'rules.grid':
    'Les réservations commencent et finissent sur la grille horaire de la ressource (par exemple au quart d’heure).',
  'rules.duration': 'Cette réservation est trop courte ou trop longue pour cette ressource.',
  'rules.notice': 'C’est trop tôt : cette ressource doit être réservée plus à l’avance.',
  'rules.past': 'Cet horaire est déjà passé.',
  'rules.advance': 'C’est trop loin : cette ressource ne peut pas être réservée aussi longtemps à l’avance.',
  'rules.buffer':
    'C’est trop près d’une autre réservation : cette ressource garde un intervalle entre les réservations.',
  'access.notBookable': 'Vous pouvez voir le calendrier de cette ressource, mais pas la réserver.',
};
