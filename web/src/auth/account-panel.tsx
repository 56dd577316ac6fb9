/**
 * "Your account": sign out everywhere (every device and tab, this one too) and change the
 * password. A password change revokes every token, this page's too, so the page signs in again
 * with the new password and goes on with a fresh token. Messages are chosen by error `code`.
 */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { changePasswordAndSignIn, describeError, logoutEverywhere } from '@booking/client';
import type { AuthResult } from '@booking/shared';

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

  const signOutEverywhere = async () => {
    setPending(true);
    const res = await logoutEverywhere({ token: auth.token });
    setPending(false);
    if (res.ok || res.error.code === 'UNAUTHORIZED')
      onSignOut('You are signed out everywhere: on every device and in every tab.');
    else setError(describeError(res.error));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (next.length < 8) {
      setError('The new password needs at least 8 characters.');
      return;
    }
    setPending(true);
    const res = await changePasswordAndSignIn({ email: auth.user.email, current, next }, { token: auth.token });
    setPending(false);
    if (res.ok) {
      onSignedInAgain(res.data, 'Password changed. Every other device and tab is signed out.');
      return;
    }
    if (res.error.code === 'INVALID_CREDENTIALS') setError('The current password is not right.');
    else if (res.error.code === 'INVALID_STATE')
      setError('This account signs in through single sign-on and has no password here.');
    else setError(describeError(res.error));
  };

  return (
    <section className="panel account" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Your account</h2>
      <button type="button" className="danger" disabled={pending} onClick={() => void signOutEverywhere()}>
        Sign out everywhere
      </button>
      <form onSubmit={(e) => void submit(e)} aria-label="Change password" noValidate>
        <h3>Change password</h3>
        <label>
          Current password
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
          New password
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
          At least 8 characters. Every other device and tab is signed out.
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={pending}>
          {pending ? 'Please wait…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
