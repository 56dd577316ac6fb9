/** Signed out: the account form. Signed in: the booking page over its own socket. */
import { useCallback, useState } from 'react';
import type { AuthResult } from '@booking/shared';
import { AuthForm } from './auth/auth-form';
import { loadAuth, saveAuth } from './auth/auth-api';
import { BookingPage } from './booking/booking-page';

export function App() {
  const [auth, setAuth] = useState<AuthResult | null>(() => loadAuth());
  const [notice, setNotice] = useState<string | null>(null);

  const signIn = useCallback((next: AuthResult) => {
    saveAuth(next);
    setNotice(null);
    setAuth(next);
  }, []);
  const signOut = useCallback((why: string | null) => {
    saveAuth(null);
    setNotice(why);
    setAuth(null);
  }, []);

  return auth ? <BookingPage key={auth.token} auth={auth} onSignOut={signOut} /> : <AuthForm onSignedIn={signIn} notice={notice} />;
}
