/**
 * Signed out: the account form. Signed in: the booking page over its own socket. A verification
 * link (`/#verify=<token>`) is spent here, signed in or not, and the fragment removed at once.
 */
import { useCallback, useEffect, useState } from 'react';
import { verifyEmail } from '@booking/client';
import { isLocale, type AuthResult, type Locale } from '@booking/shared';
import { AuthForm } from './auth/auth-form';
import { loadAuth, saveAuth } from './auth/auth-api';
import { useSignInCode } from './auth/use-sign-in-code';
import { BookingPage } from './booking/booking-page';
import { browserLocale, I18nProvider, storeLocale, translate } from './i18n';

/** The token of a verification link in the address, if this page was opened from one. */
function verifyTokenInUrl(): string | null {
  const match = /^#verify=([A-Za-z0-9_-]{20,100})$/.exec(window.location.hash);
  return match?.[1] ?? null;
}

export function App() {
  const [auth, setAuth] = useState<AuthResult | null>(() => loadAuth());
  const [notice, setNotice] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Locale>(() => browserLocale());
  // Signed in: the person's language (a session stored before v3 has none: the browser's choice).
  const locale = auth && isLocale(auth.user.locale) ? auth.user.locale : chosen;
  const setLocale = useCallback((next: Locale) => {
    storeLocale(next);
    setChosen(next);
    setAuth((current) => {
      if (!current) return current;
      const updated = { ...current, user: { ...current.user, locale: next } };
      saveAuth(updated);
      return updated;
    });
  }, []);

  const signIn = useCallback((next: AuthResult, why: string | null = null) => {
    saveAuth(next);
    setNotice(why);
    setAuth(next);
  }, []);
  const signOut = useCallback((why: string | null) => {
    saveAuth(null);
    setNotice(why);
    setAuth(null);
  }, []);

  /** Spends a verification link's token; a signed-in page of that person now counts as verified. */
  const confirmEmail = useCallback((token: string): void => {
    // The token is spent once: keep it out of the history and out of a reload.
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    void verifyEmail(token).then((res) => {
      if (!res.ok) {
        setNotice(res.error.code === 'NOT_FOUND' ? translate('verify.linkUnknown') : translate('verify.linkFailed'));
        return;
      }
      setNotice(translate('verify.confirmed'));
      const verified = res.data.user;
      setAuth((current) => {
        if (!current || current.user.id !== verified.id) return current;
        const next = { ...current, user: { ...current.user, emailVerified: true } };
        saveAuth(next);
        return next;
      });
    });
  }, []);

  useSignInCode(signIn, setNotice);

  useEffect(() => {
    const spend = () => {
      const token = verifyTokenInUrl();
      if (token) confirmEmail(token);
    };
    spend();
    // A link pasted into a tab that shows the page already changes only the fragment.
    window.addEventListener('hashchange', spend);
    return () => window.removeEventListener('hashchange', spend);
  }, [confirmEmail]);

  return (
    <I18nProvider locale={locale} setLocale={setLocale}>
      {auth ? (
        <BookingPage key={auth.token} auth={auth} notice={notice} onSignOut={signOut} onSignedInAgain={signIn} />
      ) : (
        <AuthForm onSignedIn={signIn} notice={notice} />
      )}
    </I18nProvider>
  );
}
