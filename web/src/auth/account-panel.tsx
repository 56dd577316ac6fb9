/**
 * "Your account": sign out everywhere (every device and tab, this one too) and change the
 * password. A password change revokes every token, this page's too, so the page signs in again
 * with the new password and goes on with a fresh token. Messages are chosen by error `code`.
 */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { changePasswordAndSignIn, describeError, logoutEverywhere } from '@booking/client';
import type { AuthResult } from '@booking/shared';
import { useT } from '../i18n';

interface Props {
  auth: AuthResult;
  /** Signed out everywhere: back to the sign-in form with this notice. */
  onSignOut(why: string): void;
  /** The password changed and the page signed in again. */
  onSignedInAgain(auth: AuthResult, notice: string): void;
}

export function AccountPanel({ auth, onSignOut, onSignedInAgain }: Props) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const ids = useId();
  const { t } = useT();

  const signOutEverywhere = async () => {
    setPending(true);
    const res = await logoutEverywhere({ token: auth.token });
    setPending(false);
    if (res.ok || res.error.code === 'UNAUTHORIZED') onSignOut(t('account.signedOutEverywhere'));
    else setError(describeError(res.error));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (next.length < 8) {
      setError(t('account.passwordShort'));
      return;
    }
    setPending(true);
    const res = await changePasswordAndSignIn({ email: auth.user.email, current, next }, { token: auth.token });
    setPending(false);
    if (res.ok) {
      onSignedInAgain(res.data, t('account.passwordChanged'));
      return;
    }
    if (res.error.code === 'INVALID_CREDENTIALS') setError(t('account.currentWrong'));
    else if (res.error.code === 'INVALID_STATE') setError(t('account.ssoOnly'));
    else setError(describeError(res.error));
  };

  return (
    <section className="panel account" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('account.title')}</h2>
      <button type="button" className="danger" disabled={pending} onClick={() => void signOutEverywhere()}>
        {t('account.signOutEverywhere')}
      </button>
      <form onSubmit={(e) => void submit(e)} aria-label={t('account.changePassword')} noValidate>
        <h3>{t('account.changePassword')}</h3>
        <label>
          {t('account.current')}
          <input
            name="current-password"
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            required
          />
        </label>
        <label>
          {t('account.new')}
          <input
            name="new-password"
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            required
            minLength={8}
            aria-describedby={`${ids}-hint`}
          />
        </label>
        <p id={`${ids}-hint`} className="muted small">
          {t('account.hint')}
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={pending}>
          {pending ? t('common.wait') : t('account.changePassword')}
        </button>
      </form>
    </section>
  );
}
