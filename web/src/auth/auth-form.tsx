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

type Mode = 'signin' | 'signup';
type Props = { onSignedIn: (auth: AuthResult) => void; notice: string | null };

export function AuthForm({ onSignedIn, notice }: Props) {
  const config = useAuthConfig();
  return (
    <main className="auth">
      <h1>Book a room, desk or device</h1>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {config === null ? (
        <p className="muted">Loading…</p>
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
  return (
    <section aria-label="Single sign-on">
      <button type="button" className="primary" onClick={go}>
        Sign in with {name}
      </button>
      {alsoPassword && <p className="muted">Or with your email address and a password:</p>}
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
          ? 'The password needs at least 8 characters.'
          : field === 'email'
            ? 'Please enter a valid email address.'
            : 'Please enter your name.';
      setError(hint);
      return;
    }
    setPending(true);
    const answer = mode === 'signup' ? await register({ name, email, password }) : await login({ email, password });
    setPending(false);
    if (answer.ok) onSignedIn(answer.auth);
    else setError(describeError(answer.error));
  };

  const title = mode === 'signin' ? 'Sign in' : 'Create an account';
  return (
    <>
      <div className="tabs" role="group" aria-label="Account">
        <button type="button" aria-pressed={mode === 'signin'} onClick={() => setMode('signin')}>
          Sign in
        </button>
        <button type="button" aria-pressed={mode === 'signup'} onClick={() => setMode('signup')}>
          Create account
        </button>
      </div>
      <form onSubmit={submit} aria-label={title} noValidate>
        <h2>{title}</h2>
        {mode === 'signup' && (
          <label>
            Name
            <input name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} required />
          </label>
        )}
        <label>
          Email
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
          Password
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
        {mode === 'signup' && <p className="muted">At least 8 characters.</p>}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={pending}>
          {pending ? 'Please wait…' : title}
        </button>
      </form>
    </>
  );
}
