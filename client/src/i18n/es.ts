import type { CatalogueOf } from '@booking/shared';
import type { en } from './en';

export const es: CatalogueOf<typeof en> = {
  'error.timeout': 'El servidor no respondió. Compruebe su conexión e inténtelo de nuevo.',
  'error.validation': '{sentence}: {detail}',
  'error.unverified':
    'Confirme primero su dirección de correo electrónico: abra el enlace que le enviamos o solicite uno nuevo.',
  'error.approvable': 'Esto requiere la conformidad de un aprobador: puede solicitar la aprobación.',
  'error.unitsFree':
    'En ese momento solo {count, plural, one {queda # unidad libre} other {quedan # unidades libres}}.',
  'checkIn.invalidState':
    'Puede registrar su llegada desde 10 minutos antes del inicio hasta el final de una reserva activa.',
  'checkIn.forbidden': 'Solo la persona que hizo esta reserva puede registrar su llegada.',
  'duration.days': '{count, plural, one {# día} other {# días}}',
  'duration.minutes': '{minutes} min',
  'duration.hours': '{hours} h',
  'duration.hoursMinutes': '{hours} h {minutes} min',
  'grid.minute': 'en minutos enteros',
  'grid.quarter': 'cada cuarto de hora',
  'grid.half': 'a la hora en punto o a la media',
  'grid.hour': 'a la hora en punto',
  'grid.midnight': 'a medianoche',
  'grid.every': 'cada {duration} desde medianoche',
  'rule.openingHours':
    'Este recurso ({noun}) está cerrado a esa hora. Elija una hora dentro de su horario de apertura.',
  'rule.closure': 'Este recurso ({noun}) está cerrado ese día.',
  'rule.grid': 'Las reservas empiezan y terminan {grid}.',
  'rule.duration': 'Una reserva de este recurso ({noun}) dura de {min} a {max}.',
  'rule.notice': 'Es demasiado pronto: reserve este recurso ({noun}) con al menos {notice} de antelación.',
  'rule.advance':
    'Es demasiado adelante: este recurso ({noun}) se puede reservar como máximo con {days, plural, one {# día} other {# días}} de antelación.',
  'rule.buffer': 'Está demasiado cerca de otra reserva: este recurso ({noun}) deja {buffer} libres entre reservas.',
  'quota.holds':
    'Puede retener como máximo {limit, plural, one {# franja} other {# franjas}} a la vez. Reserve o libere una primero.',
  'quota.waitlist':
    'Puede esperar como máximo {limit, plural, one {# franja} other {# franjas}} a la vez. Salga primero de una de sus listas de espera.',
  'quota.resource':
    'Ya tiene {limit, plural, one {# reserva} other {# reservas}} de este recurso ({noun}), el máximo permitido. ' +
    'Cancele una para reservar otra.',
  'quota.user':
    'Ya tiene {limit, plural, one {# reserva} other {# reservas}}, el máximo por persona. ' +
    'Cancele una para reservar otra.',
  'decision.invalidState': 'Esa solicitud ya no espera una decisión: otra persona la resolvió, se canceló o caducó.',
  'decision.forbidden': 'Solo un aprobador de este recurso puede aprobar o rechazar sus solicitudes.',
  'decision.notFound': 'Esa solicitud ya no existe.',
  'confirm.forbidden': 'Esta hora está retenida para otra persona; solo ella puede reservarla.',
  'confirm.notFound': 'Esa retención ya no existe. Seleccione la hora de nuevo para retenerla.',
  'hold.expired':
    'Su retención caducó antes de reservar, así que la hora vuelve a estar libre para otros. Reténgala de nuevo para reservarla.',
  'waitlist.leaveInvalid': 'Ya no está esperando esa hora: se le ofreció, se reservó o ya ha pasado.',
  'waitlist.joinInvalid': 'Esa hora está libre ahora, no hace falta esperar: selecciónela para reservarla.',
  'waitlist.notFound': 'Esa entrada de la lista de espera ya no existe.',
  'occurrence.taken': 'Ya reservado por otra persona.',
  'occurrence.quota': 'Supera el número de reservas que puede tener.',
  'occurrence.notBookable': 'No se puede reservar.',
  'series.refused':
    'No se reservó nada: {count, plural, one {# de las fechas no se puede} other {# de las fechas no se pueden}} reservar ' +
    '(la primera: {reason}). Elija «Omitir» para reservar las demás, o cambie la repetición.',
  'sso.codeSpent': 'Ese inicio de sesión ya se usó o ha caducado. Inicie sesión de nuevo.',
  'sso.noSignIn': 'El inicio de sesión en esta página está desactivado. Consulte a su administrador.',
  'sso.emergencyOnly':
    'El inicio de sesión con contraseña está desactivado. Solo la cuenta de emergencia del personal inicia sesión con contraseña.',
  'sso.providerGroup':
    'Los grupos del proveedor de inicio de sesión se toman del proveedor en cada inicio de sesión, así que se cambian allí, no aquí.',
};
