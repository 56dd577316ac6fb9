import type { CatalogueOf } from '../translator';
import type { en } from './en';

export const es: CatalogueOf<typeof en> = {
  'errors.VALIDATION_ERROR': 'No se aceptó esa solicitud',
  'errors.UNAUTHORIZED': 'Su sesión ha terminado. Vuelva a iniciar sesión.',
  'errors.FORBIDDEN': 'No tiene permiso para hacer eso.',
  'errors.NOT_FOUND': 'Esa reserva o ese recurso ya no existe. La vista se ha actualizado.',
  'errors.SLOT_TAKEN':
    'Otra persona reservó ese horario justo antes que usted. La vista se ha actualizado; elija otro horario libre.',
  'errors.INVALID_STATE':
    'No se puede hacer en su estado actual: puede que una reserva ya esté cancelada o terminada, o que un recurso aún tenga reservas futuras.',
  'errors.BUSY':
    'El recurso está ocupado con otras reservas en este momento. Lo intentamos varias veces; vuelva a intentarlo en un momento.',
  'errors.RATE_LIMITED': 'Va un poco rápido. Espere unos segundos y vuelva a intentarlo.',
  'errors.INTERNAL': 'Algo salió mal por nuestra parte. Vuelva a intentarlo.',
  'errors.EMAIL_TAKEN': 'Ya existe una cuenta con ese correo. Inicie sesión o use otro correo.',
  'errors.INVALID_CREDENTIALS':
    'Ese correo y esa contraseña no coinciden con ninguna cuenta. Revíselos y vuelva a intentarlo.',
  'errors.POLICY_VIOLATION': 'Ese horario no cumple las reglas de este recurso.',
  'errors.QUOTA_EXCEEDED': 'Ya tiene tantas reservas como se permiten.',
  'rules.openingHours': 'La sala está cerrada a esa hora. Elija un horario dentro de su horario de apertura.',
  'rules.closure': 'La sala está cerrada ese día.',
  'rules.grid':
    'Las reservas empiezan y terminan en la cuadrícula horaria del recurso (por ejemplo, cada cuarto de hora).',
  'rules.duration': 'Esa reserva es demasiado corta o demasiado larga para este recurso.',
  'rules.notice': 'Es demasiado pronto: este recurso debe reservarse con más antelación.',
  'rules.past': 'Ese horario ya ha pasado.',
  'rules.advance': 'Es demasiado lejano: este recurso no se puede reservar con tanta antelación.',
  'rules.buffer': 'Está demasiado cerca de otra reserva: este recurso deja un intervalo entre reservas.',
  'access.notBookable': 'Puede ver el calendario de este recurso, pero no reservarlo.',
};
