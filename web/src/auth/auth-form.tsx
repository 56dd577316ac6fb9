/**
 * Sign in or create an account; fields are checked with the shared schemas before sending. What is
 * offered comes from the server (`GET /api/auth/config`): a "Sign in with …" button when single
 * sign-on is configured, and the password form and registration unless AUTH_PASSWORD=off.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { LoginBody, RegisterBody } from '@booking/shared';
import { describeError, singleSignOnSentences } from '@booking/client';
import type { AuthResult } from '@booking/shared';
import { login, register } from './auth-api';
import { singleSignOnUrl } from './single-sign-on';
import { useAuthConfig } from './use-auth-config';
import { useLocale, useT } from '../i18n';
import { LanguageSwitcher } from '../ui/language-switcher';

type Mode = 'signin' | 'signup';
type Props = { onSignedIn: (auth: AuthResult) => void; notice: string | null };

export function AuthForm({ onSignedIn, notice }: Props) {
  const config = useAuthConfig();
  const { t } = useT();
  return (
    <main className="auth">
      <LanguageSwitcher />
      <h1>{t('auth.title')}</h1>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {config === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : (
        <>
          {config.oidc && <SingleSignOn name={config.oidc.name} alsoPassword={config.password} />}
          {config.password && <PasswordForms onSignedIn={onSignedIn} />}
          {!config.password && !config.oidc && <p role="alert">{singleSignOnSentences.noSignIn}</p>}
        </>
      )}
    </main>
  );
}

/** The provider's button: the server sends the browser there and back to this page with `#signin=<code>`. */
function SingleSignOn({ name, alsoPassword }: { name: string; alsoPassword: boolean }) {
  const go = () => window.location.assign(singleSignOnUrl(window.location.pathname + window.location.search));
  const { t } = useT();
  return (
    <section aria-label={t('auth.sso')}>
      <button type="button" className="primary" onClick={go}>
        {t('auth.signInWith', { name })}
      </button>
      {alsoPassword && <p className="muted">{t('auth.orPassword')}</p>}
    </section>
  );
}

function PasswordForms({ onSignedIn }: { onSignedIn: (auth: AuthResult) => void }) {
  const [mode, setMode] = useState<Mode>('signin');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const { t } = useT();
  const { locale } = useLocale();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const parsed =
      mode === 'signup' ? RegisterBody.safeParse({ name, email, password }) : LoginBody.safeParse({ email, password });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path[0];
      const hint =
        field === 'password'
          ? t('auth.passwordShort')
          : field === 'email'
            ? t('auth.emailInvalid')
            : t('auth.nameMissing');
      setError(hint);
      return;
    }
    setPending(true);
    const answer =
      mode === 'signup' ? await register({ name, email, password, locale }) : await login({ email, password });
    setPending(false);
    if (answer.ok) onSignedIn(answer.auth);
    else setError(describeError(answer.error));
  };

  const title = mode === 'signin' ? t('auth.signIn') : t('auth.createTitle');
  return (
    <>
      <div className="tabs" role="group" aria-label={t('auth.account')}>
        <button type="button" aria-pressed={mode === 'signin'} onClick={() => setMode('signin')}>
          {t('auth.signIn')}
        </button>
        <button type="button" aria-pressed={mode === 'signup'} onClick={() => setMode('signup')}>
          {t('auth.createTab')}
        </button>
      </div>
      <form onSubmit={submit} aria-label={title} noValidate>
        <h2>{title}</h2>
        {mode === 'signup' && (
          <label>
            {t('auth.name')}
            <input name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} required />
          </label>
        )}
        <label>
          {t('auth.email')}
          <input
            name="email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
        </label>
        <label>
          {t('auth.password')}
          <input
            name="password"
            type="password"
            autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            minLength={mode === 'signup' ? 8 : 1}
          />
        </label>
        {mode === 'signup' && <p className="muted">{t('auth.passwordHint')}</p>}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={pending}>
          {pending ? t('common.wait') : title}
        </button>
      </form>
    </>
  );
}
