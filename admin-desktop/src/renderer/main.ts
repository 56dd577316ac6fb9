/** Boot: find the host (Electron or browser), then sign-in or the dashboard. */
// First: zod must be told not to probe for eval before any schema is made (see zod-jitless.ts).
import '@booking/client/zod-jitless';
import './styles.css';
import './holds.css';
import './approvals.css';
import './groups.css';
import './access.css';
import './reports.css';
import { describeError, describeSignInCodeError, setMessagesLocale } from '@booking/client';
import type { AuthResult, Locale } from '@booking/shared';
import { exchangeSignInCode, signIn, signInChoices, signInCodeIn, singleSignOnUrl } from './admin.client';
import type { SignInAnswer } from './admin.client';
import { startDashboard } from './dashboard.controller';
import { byId, mount } from './dom.util';
import { detectHost } from './host.bridge';
import { renderSignIn } from './sign-in.view';
import { onLocale, rememberedLocale, setLocale } from './i18n';
import { t } from './i18n';

const host = detectHost();
// The client library's sentences (errors, rules) follow the dashboard's language.
onLocale(setMessagesLocale);
setLocale(rememberedLocale());
const root = byId('app', HTMLDivElement);

/** The staff name is read from the token's claims (display only; the server checks the token). */
function nameFromToken(token: string): string | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const claims: unknown = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
    const name: unknown = typeof claims === 'object' && claims !== null ? Reflect.get(claims, 'name') : undefined;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}

/**
 * A sign-in's answer: the dashboard. Staff see all of it; (v3) a user sees the narrowed view of
 * the resources they manage, and the `/admin` socket refuses anyone who manages none (FORBIDDEN,
 * which signs the dashboard out saying the account is not staff).
 */
async function enter(server: string, auth: AuthResult): Promise<void> {
  setLocale(auth.user.locale);
  await host.setToken(auth.token);
  return showDashboard(server, auth.token);
}

async function showSignIn(error: string | null): Promise<void> {
  const server = await host.serverUrl();
  const choices = await signInChoices(server);
  mount(
    root,
    renderSignIn({
      error,
      desktop: host.desktop,
      serverUrl: server,
      choices,
      onServerUrl: (url) => void host.setServerUrl(url).catch(() => showSignIn(t('signIn.badServer'))),
      onSubmit: (email, password) => {
        void signIn(server, email, password).then((res) =>
          res.ok ? enter(server, res.auth) : showSignIn(describeError(res.error)),
        );
      },
      onSingleSignOn: () => window.location.assign(singleSignOnUrl(server, window.location.pathname)),
    }),
  );
}

/**
 * Back from single sign-on with `#signin=<code>`: the fragment leaves the address (and the
 * history) before the exchange, so a reload never offers the spent code again.
 */
async function spendSignInCode(server: string, code: string): Promise<void> {
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  const res: SignInAnswer = await exchangeSignInCode(server, code);
  return res.ok ? enter(server, res.auth) : showSignIn(describeSignInCodeError(res.error));
}

/** `saveLocale`: a language just chosen in the account panel, saved once the new dashboard connects. */
function showDashboard(server: string, token: string, notice?: string, saveLocale?: Locale): void {
  const stop = startDashboard({
    root,
    host,
    server,
    token,
    staffName: nameFromToken(token) ?? t('signIn.staffFallback'),
    onSignOut: (reason) => void host.setToken(null).then(() => showSignIn(reason)),
    // A password change revoked every token; the account panel signed in again with the new one.
    onSignedInAgain: (fresh, why) => void host.setToken(fresh).then(() => showDashboard(server, fresh, why)),
    // Another language: the dashboard is drawn again in it at once, and saves it on its socket.
    onLocale: (locale) => {
      stop();
      setLocale(locale);
      void host.getToken().then((current) => showDashboard(server, current ?? token, undefined, locale));
    },
    ...(notice ? { notice } : {}),
    ...(saveLocale ? { saveLocale } : {}),
  });
}

void (async () => {
  const [server, token] = await Promise.all([host.serverUrl(), host.getToken()]);
  const code = signInCodeIn(window.location.hash);
  if (code) await spendSignInCode(server, code);
  else if (token) showDashboard(server, token);
  else await showSignIn(null);
})();
