/**
 * The room display page (`/display/#<token>`): reads its key, connects to `/display`, and shows
 * every `display:state` the server sends. Socket.IO reconnects by itself after a lost connection,
 * and `reconnectAfterServerDisconnect` after a node hung up on purpose; a refused key (revoked)
 * ends it for good.
 */
// First: zod must be told not to probe for eval before any schema is made (see zod-jitless.ts).
import '@booking/client/zod-jitless';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { createCommander, reconnectAfterServerDisconnect } from '@booking/client';
import type { ClientError } from '@booking/client';
import { errorSentence, isLocale, pickLocale } from '@booking/shared';
import type { DisplayClientToServerEvents, DisplayServerToClientEvents, DisplayState, Locale } from '@booking/shared';
import { displayTranslator } from './i18n';
import { ServerClock } from './model';
import { sessionStore, takeDisplayToken } from './token';
import { renderMessage, renderState } from './view';
import type { Actions, Live } from './view';
import './display.css';

type DisplaySocket = Socket<DisplayServerToClientEvents, DisplayClientToServerEvents>;

/** How long an error stays on screen unless another command replaces it. */
const ERROR_MS = 15_000;

/** The language before any state came: the browser's, as well as it can be matched. */
const browserLocale = (): Locale => pickLocale(navigator.languages.join(','));

function setLanguage(locale: Locale): void {
  document.documentElement.lang = locale;
}

function message(root: HTMLElement, locale: Locale, kind: 'noKey' | 'revoked' | 'connecting'): void {
  const t = displayTranslator(locale);
  setLanguage(locale);
  if (kind === 'noKey') {
    document.title = t.t('display.noKey.title');
    renderMessage(root, t.t('display.noKey.title'), t.t('display.noKey.body'), 'no-key');
  } else if (kind === 'revoked') {
    document.title = t.t('display.revoked.title');
    renderMessage(root, t.t('display.revoked.title'), t.t('display.revoked.body'), 'revoked');
  } else renderMessage(root, t.t('display.connecting'), '', 'connecting');
}

function sentence(locale: Locale, error: ClientError): string {
  if (error.code === 'TIMEOUT') return displayTranslator(locale).t('display.error.timeout');
  return errorSentence(locale, error.code);
}

function start(root: HTMLElement, token: string): void {
  const socket: DisplaySocket = io('/display', { auth: { displayToken: token }, transports: ['websocket'] });
  reconnectAfterServerDisconnect(socket);
  const send = createCommander<DisplayClientToServerEvents>(socket, { timeoutMs: 10_000 });
  const clock = new ServerClock();
  let state: DisplayState | null = null;
  let offline = false;
  let busy = false;
  let error = '';
  let errorTimer: ReturnType<typeof setTimeout> | undefined;
  let live: Live | null = null;
  const locale = (): Locale => (state && isLocale(state.resource.locale) ? state.resource.locale : browserLocale());

  const draw = (): void => {
    if (!state) {
      message(root, locale(), 'connecting');
      return;
    }
    const t = displayTranslator(locale());
    setLanguage(t.locale);
    document.title = t.t('display.pageTitle', { name: state.resource.name });
    live = renderState(root, { state, t, offline, busy, error, actions }, clock.now(Date.now()));
  };

  const run = (command: () => Promise<{ ok: true } | { ok: false; error: ClientError }>): void => {
    if (busy || offline) return;
    busy = true;
    error = '';
    clearTimeout(errorTimer);
    draw();
    void command().then((answer) => {
      busy = false;
      if (!answer.ok) {
        error = sentence(locale(), answer.error);
        errorTimer = setTimeout(() => {
          error = '';
          draw();
        }, ERROR_MS);
      }
      draw();
    });
  };
  const actions: Actions = {
    checkIn: (bookingId) => run(() => send('display:checkIn', { bookingId })),
    bookNow: (minutes) => run(() => send('display:bookNow', { minutes })),
    extend: (bookingId, minutes) => run(() => send('display:extend', { bookingId, minutes })),
    endNow: (bookingId) => run(() => send('display:endEarly', { bookingId })),
  };

  socket.on('display:state', (next) => {
    clock.sync(next.at, Date.now());
    // An error spoke of the state before; once the room is in another state it no longer applies.
    if (state && state.state !== next.state) {
      error = '';
      clearTimeout(errorTimer);
    }
    state = next;
    offline = false;
    draw();
  });
  socket.on('connect', () => {
    if (!offline) return;
    offline = false;
    draw();
  });
  socket.on('disconnect', () => {
    offline = true;
    draw();
  });
  socket.on('connect_error', (err) => {
    if (err.message === 'UNAUTHORIZED') {
      // Revoked (or never valid): stop for good; socket.io would otherwise try again forever.
      socket.removeAllListeners();
      socket.close();
      clearInterval(ticker);
      message(root, locale(), 'revoked');
      return;
    }
    if (!offline && state) {
      offline = true;
      draw();
    }
  });
  // A new size (a rotated screen, a resized window): the state word is fitted again.
  window.addEventListener('resize', () => {
    if (state) draw();
  });
  const ticker = setInterval(() => {
    if (live && !live.tick(clock.now(Date.now()))) draw();
  }, 1000);
  draw();
}

const root = document.getElementById('display');
if (root) {
  const token = takeDisplayToken({ location: window.location, history: window.history, storage: sessionStore() });
  if (token) start(root, token);
  else message(root, browserLocale(), 'noKey');
}
