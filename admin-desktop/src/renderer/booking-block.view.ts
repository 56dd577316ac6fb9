/**
 * One booking's block on the timeline: who, when, its units where above 1, whether it awaits
 * check-in, and (v3) whether it is a hold or a waitlist offer: drawn outlined and hatched, with a
 * short "held"/"offer" tag before the name and the time it runs out after its own times and in the
 * tooltip (a live hold whose expiry is not read yet says so until the day's re-read brings it).
 * A request awaiting approval (v3 `pending`) is drawn the same way in its own colour, tagged
 * "awaiting approval".
 */
import { checkInDeadline } from '@booking/shared';
import type { AdminBooking, BookingStatus, Resource } from '@booking/shared';
import { h } from './dom.util';
import { holdKind } from './holds';
import { formatAt, t } from './i18n';

/** `HH:mm` of an instant in a zone. */
export const localTime = (iso: string | number, zone: string): string => formatAt(iso, zone, 'time');

/** A booking status's word. */
export function statusWord(status: BookingStatus): string {
  switch (status) {
    case 'active':
      return t('status.active');
    case 'cancelled':
      return t('status.cancelled');
    case 'completed':
      return t('status.completed');
    case 'held':
      return t('status.held');
    case 'expired':
      return t('status.expired');
    case 'pending':
      return t('status.pending');
    case 'declined':
      return t('status.declined');
  }
}

/** The tag, the expiry's words and the tooltip's sentence of a hold or offer. */
function holdWords(b: AdminBooking, zone: string): { tag: string; until: string; sentence: string } | null {
  if (b.status === 'pending') {
    // (v3) A request awaiting approval: it takes its units until decided or until it runs out.
    const by = b.expiresAt ? localTime(b.expiresAt, zone) : null;
    return {
      tag: t('block.awaitingApproval'),
      until: by ? t('block.until', { time: by }) : t('block.expiryBeingRead'),
      sentence: by ? t('block.requestExpires', { time: by }) : t('block.request'),
    };
  }
  const kind = holdKind(b);
  if (kind === null) return null;
  const until = b.expiresAt ? localTime(b.expiresAt, zone) : null;
  return {
    tag: kind === 'offer' ? t('block.offer') : t('block.held'),
    until: until ? t('block.until', { time: until }) : t('block.expiryBeingRead'),
    sentence: `${kind === 'offer' ? t('block.offerSentence') : t('block.heldSentence')}, ${
      until ? t('block.expiresAt', { time: until }) : t('block.expiryBeingRead')
    }`,
  };
}

export function bookingBlock(
  b: AdminBooking,
  r: Resource,
  opts: { zone: string; now: Date; selected: boolean },
): HTMLButtonElement {
  const { zone } = opts;
  // Awaiting check-in: a room with check-in, active, not checked in, its window still open.
  const deadline =
    b.status === 'active' && !b.checkedInAt
      ? checkInDeadline({ start: new Date(b.start), end: new Date(b.end) }, r.policy.checkIn)
      : null;
  const awaiting = deadline !== null && deadline.getTime() > opts.now.getTime();
  const when = `${localTime(b.start, zone)}–${localTime(b.end, zone)}`;
  const units = b.quantity > 1 ? ` × ${b.quantity}` : '';
  const kind = holdKind(b);
  const hold = holdWords(b, zone);
  const title = [
    `${b.userName} · ${when} ${zone} · ${hold ? hold.sentence : statusWord(b.status)}`,
    ...(b.title ? [b.title] : []),
    ...(b.quantity > 1 ? [t('timeline.units', { count: b.quantity })] : []),
    ...(b.seriesId ? [t('block.repeating')] : []),
    ...(awaiting && deadline ? [t('block.awaitingCheckIn', { time: localTime(deadline.toISOString(), zone) })] : []),
    ...(b.checkedInAt ? [t('block.checkedIn')] : []),
  ].join(' · ');
  const classes = [
    'tl-block',
    b.status,
    ...(kind === 'offer' ? ['offer'] : []),
    ...(opts.selected ? ['selected'] : []),
    ...(b.seriesId ? ['series'] : []),
    ...(awaiting ? ['awaiting-check-in'] : []),
  ];
  return h(
    'button',
    {
      type: 'button',
      class: classes.join(' '),
      title,
      ...(awaiting ? { 'data-awaiting-check-in': 'true' } : {}),
      'data-testid': 'booking-block',
      'data-booking-id': b.id,
      'data-status': b.status,
      'data-quantity': b.quantity,
      ...(kind ? { 'data-hold': kind } : {}),
      ...(b.status === 'pending' ? { 'data-awaiting-approval': 'true' } : {}),
      ...(hold && b.expiresAt ? { 'data-expires-at': b.expiresAt } : {}),
      ...(b.seriesId ? { 'data-series-id': b.seriesId } : {}),
    },
    h(
      'span',
      { class: 'tl-block-name' },
      ...(hold ? [h('span', { class: 'tl-block-hold', 'data-testid': 'hold-tag' }, hold.tag), ' '] : []),
      `${awaiting ? '⏳ ' : ''}${b.seriesId ? `↻ ${b.userName}` : b.userName}`,
      ...(units ? [h('span', { class: 'tl-block-qty', 'data-testid': 'booking-quantity' }, units)] : []),
      ...(b.title ? [' · ', h('span', { class: 'tl-block-title', 'data-testid': 'booking-title' }, b.title)] : []),
    ),
    h(
      'span',
      { class: 'tl-block-time' },
      when,
      ...(hold ? [' ', h('span', { class: 'tl-block-expiry', 'data-testid': 'hold-expiry' }, hold.until)] : []),
    ),
  );
}
