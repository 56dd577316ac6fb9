/**
 * The display's screen for one `display:state`: the resource's name and a clock on top, the state
 * in one colour (the page's background) and one huge word, the current booking or how long the
 * room is free, the check-in countdown, the buttons for what can be done now, and the next
 * bookings of the day. Built whole when the state (or the connection, or a command's progress)
 * changes; each second only the clock, countdown and "ends in" texts change (`tick`), so a button
 * being tapped is never replaced under the finger.
 */
import { formatInstant } from '@booking/shared';
import type { DisplayBooking, DisplayState, Locale } from '@booking/shared';
import { button, fitWidth, h } from './dom';
import type { DisplayTranslator } from './i18n';
import { EXTEND_MINUTES, STATE_WORD_KEYS, bookNowChoices, countdownText, msUntil, wholeMinutes } from './model';

export interface Actions {
  checkIn(bookingId: string): void;
  bookNow(minutes: number): void;
  extend(bookingId: string, minutes: number): void;
  endNow(bookingId: string): void;
}

export interface Shown {
  state: DisplayState;
  t: DisplayTranslator;
  offline: boolean;
  /** A command is on its way: the buttons wait. */
  busy: boolean;
  /** The last command's error, in words ('' when none). */
  error: string;
  actions: Actions;
}

/** What `tick` updates each second. */
export interface Live {
  /** Answers false when the screen must be built again (the walk-in choices changed). */
  tick(serverNowMs: number): boolean;
}

const time = (locale: Locale, iso: string, zone: string): string => formatInstant(locale, iso, zone, 'time');

function range(t: DisplayTranslator, b: DisplayBooking, zone: string): string {
  return t.t('display.range', { start: time(t.locale, b.start, zone), end: time(t.locale, b.end, zone) });
}

export function renderState(root: HTMLElement, shown: Shown, serverNowMs: number): Live {
  const { state, t } = shown;
  const zone = state.resource.timeZone;
  const clock = h('p', { class: 'clock', 'aria-label': t.t('display.clock') });
  const ticks: Array<(now: number) => void> = [
    (now) => (clock.textContent = formatInstant(t.locale, new Date(now), zone, 'time')),
  ];
  const now = h('section', { class: 'now', 'aria-labelledby': 'state-word' });
  const word = h('h2', { class: 'state-word', id: 'state-word' }, t.t(STATE_WORD_KEYS[state.state]));
  now.append(word);
  const choices = bookNowChoices(state, serverNowMs);
  const choicesKey = choices.join(',');
  ticks.push(...describeNow(now, shown, choices));
  now.append(h('p', { class: 'error', role: 'alert' }, shown.error));

  const list = h('ol', { class: 'next-list' });
  for (const b of state.next.slice(0, 5))
    list.append(h('li', {}, h('span', { class: 'next-range' }, range(t, b, zone)), b.title ? ` ${b.title}` : null));
  const next = h(
    'aside',
    { class: 'next', 'aria-labelledby': 'next-heading' },
    h('h2', { id: 'next-heading' }, t.t('display.next')),
    state.next.length > 0 ? list : h('p', { class: 'next-none' }, t.t('display.next.none')),
  );

  const screen = h(
    'div',
    { class: 'display', 'data-state': state.state, 'data-offline': shown.offline ? 'true' : undefined },
    h('p', { class: 'banner', role: 'status' }, banner(shown)),
    h('header', { class: 'top' }, h('h1', { class: 'name' }, state.resource.name), clock),
    h('main', { class: 'body' }, now, next),
  );
  root.replaceChildren(screen);
  fitWidth(word, 24);
  const live: Live = {
    tick(at) {
      for (const update of ticks) update(at);
      return bookNowChoices(state, at).join(',') === choicesKey;
    },
  };
  live.tick(serverNowMs);
  return live;
}

/** The current booking (or free time) with its buttons, into `now`; answers the per-second updates. */
function describeNow(now: HTMLElement, shown: Shown, choices: number[]): Array<(at: number) => void> {
  const { state, t, actions } = shown;
  const zone = state.resource.timeZone;
  const off = shown.offline || shown.busy;
  const ticks: Array<(at: number) => void> = [];
  const current = state.current;
  if (state.state === 'free')
    now.append(
      h(
        'p',
        { class: 'detail' },
        state.freeUntil
          ? t.t('display.freeUntil', { time: time(t.locale, state.freeUntil, zone) })
          : t.t('display.freeRestOfDay'),
      ),
    );
  if (current && state.state !== 'free' && state.state !== 'closed') {
    now.append(h('p', { class: 'detail' }, range(t, current, zone)));
    if (current.title) now.append(h('p', { class: 'title' }, current.title));
  }
  if (current && state.state === 'awaiting-check-in' && current.checkInDeadline) {
    const deadline = current.checkInDeadline;
    const count = h('span', { class: 'count' });
    now.append(
      h(
        'p',
        { class: 'countdown', role: 'timer' },
        h('span', { class: 'count-label' }, t.t('display.checkIn.within')),
        count,
      ),
      h('p', { class: 'sub' }, t.t('display.checkIn.releasedAt', { time: time(t.locale, deadline, zone) })),
    );
    ticks.push((at) => (count.textContent = countdownText(msUntil(deadline, at))));
  }
  if (current && state.state === 'in-use') {
    const endsIn = h('p', { class: 'sub' });
    now.append(endsIn);
    ticks.push(
      (at) => (endsIn.textContent = t.t('display.endsIn', { minutes: wholeMinutes(msUntil(current.end, at)) })),
    );
  }
  const row = h('div', { class: 'actions' });
  if (current && state.state === 'awaiting-check-in')
    row.append(button(t.t('display.checkIn'), 'primary', () => actions.checkIn(current.bookingId), off));
  if (current && state.state === 'in-use')
    row.append(
      button(
        t.t('display.extend', { minutes: EXTEND_MINUTES }),
        'primary',
        () => actions.extend(current.bookingId, EXTEND_MINUTES),
        off,
      ),
      button(t.t('display.endNow'), 'secondary', () => actions.endNow(current.bookingId), off),
    );
  if (choices.length > 0) {
    row.setAttribute('role', 'group');
    row.setAttribute('aria-labelledby', 'book-now');
    row.append(h('span', { class: 'group-label', id: 'book-now' }, t.t('display.bookNow')));
    for (const minutes of choices)
      row.append(button(t.t('display.bookNow.minutes', { minutes }), 'primary', () => actions.bookNow(minutes), off));
  }
  if (row.childElementCount > 0) now.append(row);
  return ticks;
}

function banner(shown: Shown): string {
  if (shown.offline) return shown.t.t('display.offline');
  return shown.busy ? shown.t.t('display.working') : '';
}

/** A whole-screen message (no key, revoked, connecting). */
export function renderMessage(root: HTMLElement, title: string, body: string, kind: string): void {
  root.replaceChildren(
    h(
      'div',
      { class: 'display message', 'data-screen': kind },
      h('main', { class: 'message-body' }, h('h1', { class: 'message-title' }, title), body ? h('p', {}, body) : null),
    ),
  );
}
