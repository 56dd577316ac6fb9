/**
 * Spends a `#signin=<code>` the single sign-on callback left in the address: the fragment leaves
 * the address (and the history) at once, before the answer, so a reload or the back button never
 * offers the spent code again; the answer signs the page in (as another person, if one was
 * signed in) or says why not.
 */
import { useEffect } from 'react';
import { describeSignInCodeError } from '@booking/client';
import type { AuthResult } from '@booking/shared';
import { exchangeSignInCode, signInCodeIn } from './single-sign-on';

export function useSignInCode(onSignedIn: (auth: AuthResult) => void, onNotice: (notice: string) => void): void {
  useEffect(() => {
    const spend = () => {
      const code = signInCodeIn(window.location.hash);
      if (!code) return;
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
      void exchangeSignInCode(code).then((res) => {
        if (res.ok) onSignedIn(res.data);
        else onNotice(describeSignInCodeError(res.error));
      });
    };
    spend();
    window.addEventListener('hashchange', spend);
    return () => window.removeEventListener('hashchange', spend);
  }, [onSignedIn, onNotice]);
}
