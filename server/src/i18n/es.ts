import type { CatalogueOf } from '@booking/shared';
import type { en } from './en';

export const es: CatalogueOf<typeof en> = {
  'mail.hello': 'Hola, {name}:',
  'mail.subject': '{headline}: {what}, {when}',
  'mail.withTitle': '{title} — {what}',
  'mail.removedResource': 'un recurso eliminado',
  'mail.someone': 'Alguien',

  'mail.headline.confirmed': 'Reserva confirmada',
  'mail.headline.modified': 'Reserva modificada',
  'mail.headline.cancelled': 'Reserva cancelada',
  'mail.headline.seriesConfirmed': 'Serie confirmada',
  'mail.headline.seriesCancelled': 'Serie cancelada',
  'mail.headline.reminder': 'Recordatorio',
  'mail.headline.released': 'Reserva liberada',
  'mail.headline.offered': 'Tiene una plaza reservada',
  'mail.headline.offeredUntil': 'Tiene una plaza reservada hasta {until}',
  'mail.headline.requested': 'Aprobación solicitada',
  'mail.headline.approved': 'Reserva aprobada',
  'mail.headline.declined': 'Solicitud rechazada',
  'mail.headline.expired': 'Solicitud caducada',

  'mail.label.resource': 'Recurso',
  'mail.label.quantity': 'Cantidad',
  'mail.label.when': 'Cuándo',
  'mail.label.was': 'Antes',
  'mail.label.series': 'Serie',
  'mail.label.booking': 'Reserva',
  'mail.label.checkInBy': 'Registrar llegada antes de',
  'mail.label.released': 'Liberada',
  'mail.label.repeats': 'Repetición',
  'mail.label.first': 'Primera',
  'mail.label.heldUntil': 'Reservada hasta',
  'mail.label.from': 'Desde',
  'mail.label.requestedBy': 'Solicitada por',
  'mail.label.decideBy': 'Decidir antes de',
  'mail.label.reason': 'Motivo',

  'mail.list.booked': 'Reservadas',
  'mail.list.skipped': 'Omitidas',
  'mail.list.cancelled': 'Canceladas',
  'mail.list.occurrences': 'Sesiones',

  'mail.confirmed': 'Su reserva de {what} el {when} está confirmada.',
  'mail.modified': 'Su reserva de {what} se ha movido al {when}.',
  'mail.modifiedFrom': 'Su reserva de {what} se ha movido al {when} (antes: {was}).',
  'mail.cancelled': 'Su reserva de {what} el {when} está cancelada.',
  'mail.reminder': 'Recordatorio: su reserva de {what} el {when} empieza pronto.',
  'mail.reminderCheckIn':
    'Recordatorio: su reserva de {what} el {when} empieza pronto. ' +
    'Registre su llegada desde 10 minutos antes del inicio hasta las {by}; de lo contrario, la reserva se liberará.',
  'mail.released': 'Su reserva de {what} el {when} se ha liberado porque nadie registró su llegada antes de las {by}.',
  'mail.releasedWindow':
    'Su reserva de {what} el {when} se ha liberado porque nadie registró su llegada antes del final del plazo.',
  'mail.releasedRow': 'nadie registró su llegada antes de las {by}',
  'mail.releasedRowWindow': 'nadie registró su llegada antes del final del plazo',
  'mail.seriesConfirmed':
    'Su reserva de {what}, {rule}, {count, plural, one {# sesión} other {# sesiones}} desde el {first}, ' +
    'está confirmada{skipped, plural, =0 {} one {; se ha omitido # fecha} other {; se han omitido # fechas}}.',
  'mail.seriesCancelled':
    '{count, plural, one {Se ha cancelado # sesión de su reserva de {what} desde el {when}.} ' +
    'other {Se han cancelado # sesiones de su reserva de {what} desde el {when}.}}',
  'mail.offered':
    'Hay una plaza libre para usted en {what} el {when}: se la reservamos hasta {until}. Confírmela para reservarla.',
  'mail.offeredShort':
    'Hay una plaza libre para usted en {what} el {when}: se la reservamos durante un breve tiempo. Confírmela para reservarla.',
  'mail.requested': '{owner} solicita reservar {what} el {when}. Por favor, apruebe o rechace la solicitud.',
  'mail.requestedSeries':
    '{owner} solicita reservar {what}, {count, plural, one {# sesión} other {# sesiones}} desde el {when}. ' +
    'Por favor, apruebe o rechace la solicitud.',
  'mail.approved': 'Su solicitud de {what} el {when} se ha aprobado: la reserva está confirmada.',
  'mail.declined': 'Su solicitud de {what} el {when} se ha rechazado.',
  'mail.declinedReason': 'Su solicitud de {what} el {when} se ha rechazado: {reason}',
  'mail.expired':
    'Su solicitud de {what} el {when} ha caducado: nadie la aprobó a tiempo, así que el horario vuelve a estar libre.',

  'mail.repeat.day': '{interval, plural, one {cada día} other {cada # días}}',
  'mail.repeat.week': '{interval, plural, one {cada semana} other {cada # semanas}}',
  'mail.repeat.on': '{every}, los {days}',
  'mail.repeat.recurring': 'periódica',
  'mail.skipped.taken': 'Ya reservado por otra persona.',
  'mail.skipped.item': '{when}: {reason}',

  'mail.ics.cancel': 'El archivo de calendario adjunto elimina el evento de su calendario.',
  'mail.ics.update': 'El archivo de calendario adjunto añade o actualiza el evento en su calendario.',
  'mail.offer.open': 'Abra este enlace para ver la oferta y confirmarla:',
  'mail.offer.onPage': 'Confírmela en la página de reservas.',
  'mail.offer.lapse': 'Si no la confirma a tiempo, la plaza pasará a la siguiente persona en espera.',
  'mail.offer.booked':
    'No se reserva nada hasta que usted confirme; el correo de confirmación incluirá el archivo de calendario.',
  'mail.offer.button': 'Confirmar esta plaza',
  'mail.request.open': 'Abra este enlace para aprobar o rechazar:',
  'mail.request.onPage': 'Decida en la página de reservas, en «Aprobaciones».',
  'mail.request.button': 'Aprobar o rechazar',

  'ics.summary': 'Reserva: {what}',
  'ics.organizer': 'Reservas',

  'verify.subject': 'Confirme su dirección de correo electrónico',
  'verify.intro': 'confirme que esta es su dirección de correo electrónico abriendo este enlace:',
  'verify.introHtml': 'confirme que esta es su dirección de correo electrónico:',
  'verify.button': 'Confirmar mi dirección de correo electrónico',
  'verify.note':
    'Hasta entonces, puede iniciar sesión pero no reservar. El enlace funciona una sola vez, durante 48 horas.',
  'verify.ignore': 'Si usted no ha creado una cuenta, ignore este correo.',

  'sso.failed': 'Error al iniciar sesión',
  'sso.back': 'Volver',
  'sso.noEmail': 'El servicio de inicio de sesión no nos ha indicado su dirección de correo electrónico.',
  'sso.emailTaken': 'Ya existe una cuenta con este correo electrónico; inicie sesión con su contraseña.',
  'sso.linkExpired': 'Este enlace de inicio de sesión ya no es válido; vuelva a iniciar sesión.',
  'sso.unchecked': 'No se ha podido verificar la respuesta del servicio de inicio de sesión; vuelva a iniciar sesión.',
};
