/**
 * "Your account" on the dashboard: sign out everywhere, and change the password. Both revoke
 * every token of this staff member (docs/protocol.md v3 "Sessions"), the dashboard's own too, so:
 * sign out everywhere returns to the sign-in form; a password change learns the account's email
 * from a refresh, changes the password and signs in again with the new one, and the dashboard
 * restarts on the fresh token. While a change is on its way the dashboard's socket is expected to
 * be refused (`expectRevoke`), so that refusal does not sign the person out. Messages are chosen
 * by error `code`.
 */
import { changePasswordAndSignIn, describeError, logoutEverywhere, refreshSession } from '@booking/client';
import { LOCALES, LOCALE_NAMES } from '@booking/shared';
import type { Locale } from '@booking/shared';
import { h } from './dom.util';
import { currentLocale, t } from './i18n';

export interface AccountPanelOptions {
  baseUrl: string;
  token: () => Promise<string | null>;
  /** While true, the dashboard ignores its socket being refused (the change revokes its token). */
  expectRevoke: (expected: boolean) => void;
  onSignedOut: (reason: string) => void;
  /** The password changed and the dashboard signed in again with this token. */
  onSignedInAgain: (token: string, notice: string) => void;
  /** Closes the dashboard's socket and timers (before either of the two above). */
  stop: () => void;
  /** Another language was chosen: the dashboard speaks it at once and saves it (`profile:update`). */
  onLocale: (locale: Locale) => void;
}

/** The language select: each language named in itself, the current one chosen. */
function languageSelect(onLocale: (locale: Locale) => void): HTMLElement {
  const select = h(
    'select',
    { id: 'account-locale', 'data-testid': 'account-locale' },
    ...LOCALES.map((l) => h('option', { value: l, lang: l, selected: l === currentLocale() }, LOCALE_NAMES[l])),
  );
  select.addEventListener('change', () => {
    const chosen = LOCALES.find((l) => l === select.value);
    if (chosen && chosen !== currentLocale()) onLocale(chosen);
  });
  return h('div', { class: 'account-locale' }, h('label', { for: 'account-locale' }, t('account.language')), select);
}

export function createAccountPanel(opts: AccountPanelOptions): HTMLElement {
  const status = h('p', { role: 'status', class: 'hint' });
  const everywhere = h('button', { type: 'button', class: 'btn danger' }, t('account.signOutEverywhere'));
  const current = h('input', {
    id: 'account-current',
    type: 'password',
    name: 'current-password',
    autocomplete: 'current-password',
    required: true,
  });
  const next = h('input', {
    id: 'account-next',
    type: 'password',
    name: 'new-password',
    autocomplete: 'new-password',
    required: true,
    minlength: 8,
    'aria-describedby': 'account-next-hint',
  });
  const submit = h('button', { type: 'submit', class: 'btn' }, t('account.changePassword'));
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'account-form', 'aria-labelledby': 'account-password-title', novalidate: true },
    h('h3', { id: 'account-password-title' }, t('account.changePassword')),
    h('label', { for: 'account-current' }, t('account.currentPassword'), current),
    h('label', { for: 'account-next' }, t('account.newPassword'), next),
    h('p', { id: 'account-next-hint', class: 'hint' }, t('account.passwordHint')),
    error,
    submit,
  );
  const busy = (on: boolean) => {
    everywhere.disabled = on;
    submit.disabled = on;
  };

  everywhere.addEventListener('click', () => {
    void (async () => {
      busy(true);
      opts.expectRevoke(true);
      const token = await opts.token();
      const res = await logoutEverywhere({ baseUrl: opts.baseUrl, ...(token ? { token } : {}) });
      busy(false);
      if (res.ok || res.error.code === 'UNAUTHORIZED') {
        opts.stop();
        opts.onSignedOut(t('account.signedOutEverywhere'));
        return;
      }
      opts.expectRevoke(false);
      status.textContent = describeError(res.error);
    })();
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    if (next.value.length < 8) {
      error.textContent = t('account.tooShort');
      return;
    }
    void (async () => {
      busy(true);
      const token = await opts.token();
      const http = { baseUrl: opts.baseUrl, ...(token ? { token } : {}) };
      const me = await refreshSession(http);
      if (!me.ok) {
        busy(false);
        if (me.error.code === 'UNAUTHORIZED') {
          opts.stop();
          opts.onSignedOut(t('signIn.again'));
        } else {
          error.textContent = describeError(me.error);
        }
        return;
      }
      opts.expectRevoke(true);
      const res = await changePasswordAndSignIn(
        { email: me.data.user.email, current: current.value, next: next.value },
        { baseUrl: opts.baseUrl, token: me.data.token },
      );
      busy(false);
      if (res.ok) {
        opts.stop();
        opts.onSignedInAgain(res.data.token, t('account.passwordChanged'));
        return;
      }
      opts.expectRevoke(false);
      if (res.error.code === 'INVALID_CREDENTIALS') error.textContent = t('account.wrongPassword');
      else if (res.error.code === 'INVALID_STATE') error.textContent = t('account.ssoOnly');
      else error.textContent = describeError(res.error);
    })();
  });

  return h(
    'section',
    { class: 'account-panel', 'aria-labelledby': 'account-title' },
    h('h2', { id: 'account-title' }, t('account.title')),
    languageSelect(opts.onLocale),
    everywhere,
    form,
    status,
  );
}
