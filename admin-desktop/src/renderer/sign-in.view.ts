/**
 * Staff sign-in; in the desktop app also the server to talk to. With single sign-on configured, a
 * "Sign in with …" button (in a browser it goes to the provider and back to `/admin/#signin=…`;
 * the desktop window stays on the server's origin, so there it points to the browser dashboard).
 * With password sign-in off, the email and password stay behind "Emergency staff account": the
 * server still lets the `STAFF_EMAIL` account in with its password (the break-glass account).
 */
import { singleSignOnSentences } from '@booking/client';
import type { SignInChoices } from './admin.client';
import { h } from './dom.util';
import { t } from './i18n';

export function renderSignIn(opts: {
  error: string | null;
  desktop: boolean;
  serverUrl: string;
  choices: SignInChoices;
  onSubmit: (email: string, password: string) => void;
  onServerUrl: (url: string) => void;
  onSingleSignOn: () => void;
}): HTMLElement {
  const { choices } = opts;
  const email = h('input', {
    type: 'email',
    name: 'email',
    autocomplete: 'username',
    required: true,
    placeholder: t('signIn.emailPlaceholder'),
  });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const credentials = [
    h('label', {}, t('signIn.email'), email),
    h('label', {}, t('signIn.password'), password),
    h('button', { type: 'submit', class: choices.oidc ? 'btn' : 'btn primary' }, t('signIn.submit')),
  ];
  const form = h(
    'form',
    { class: 'card sign-in', 'data-testid': 'sign-in' },
    h('h1', {}, t('signIn.title')),
    choices.oidc ? singleSignOn(choices.oidc.name, opts) : null,
    opts.error ? h('p', { class: 'error', role: 'alert' }, opts.error) : null,
    ...(choices.password ? credentials : emergency(credentials, choices.oidc !== null)),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    opts.onSubmit(email.value, password.value);
  });
  if (opts.desktop) {
    const server = h('input', { type: 'url', value: opts.serverUrl, 'aria-label': t('signIn.server') });
    const change = h('button', { type: 'button', class: 'btn small' }, t('signIn.useServer'));
    change.addEventListener('click', () => opts.onServerUrl(server.value));
    form.append(h('label', { class: 'server' }, t('signIn.server'), server, change));
  }
  return form;
}

function singleSignOn(
  name: string,
  opts: { desktop: boolean; serverUrl: string; onSingleSignOn(): void },
): HTMLElement {
  if (opts.desktop) {
    // The window's navigation guard keeps it on the server's origin, so the provider's page cannot open here.
    const url = `${opts.serverUrl}/admin/`;
    return h(
      'p',
      { class: 'hint' },
      t('signIn.ssoInBrowser', { name }),
      ' ',
      h('a', { href: url, target: '_blank', rel: 'noreferrer' }, url),
    );
  }
  const button = h('button', { type: 'button', class: 'btn primary' }, t('signIn.sso', { name }));
  button.addEventListener('click', () => opts.onSingleSignOn());
  return button;
}

/**
 * Password sign-in is off: only the break-glass staff account signs in with a password, folded
 * away under the single sign-on button (or shown as the one way in when there is none).
 */
function emergency(credentials: HTMLElement[], folded: boolean): HTMLElement[] {
  const why = h('p', { class: 'hint' }, singleSignOnSentences.emergencyOnly);
  if (!folded) return [why, ...credentials];
  return [h('details', { class: 'emergency' }, h('summary', {}, t('signIn.emergency')), why, ...credentials)];
}
