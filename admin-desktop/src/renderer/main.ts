/** Boot: find the host (Electron or browser), then sign-in or the dashboard. */
// First: zod must be told not to probe for eval before any schema is made (see zod-jitless.ts).
import '@booking/client/zod-jitless';
import './styles.css';
import './holds.css';
import './approvals.css';
import { describeError } from '@booking/client';
import { signIn } from './admin.client';
import { startDashboard } from './dashboard.controller';
import { byId, mount } from './dom.util';
import { detectHost } from './host.bridge';
import { renderSignIn } from './sign-in.view';

const host = detectHost();
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

async function showSignIn(error: string | null): Promise<void> {
  const server = await host.serverUrl();
  mount(
    root,
    renderSignIn({
      error,
      desktop: host.desktop,
      serverUrl: server,
      onServerUrl: (url) => void host.setServerUrl(url).catch(() => showSignIn('That is not a valid http(s) address.')),
      onSubmit: (email, password) => {
        void signIn(server, email, password).then(async (res) => {
          if (!res.ok) return showSignIn(describeError(res.error));
          if (res.auth.user.role !== 'staff') return showSignIn('This account is not staff.');
          await host.setToken(res.auth.token);
          return showDashboard(server, res.auth.token);
        });
      },
    }),
  );
}

function showDashboard(server: string, token: string, notice?: string): void {
  startDashboard({
    root,
    host,
    server,
    token,
    staffName: nameFromToken(token) ?? 'staff',
    onSignOut: (reason) => void host.setToken(null).then(() => showSignIn(reason)),
    // A password change revoked every token; the account panel signed in again with the new one.
    onSignedInAgain: (fresh, why) => void host.setToken(fresh).then(() => showDashboard(server, fresh, why)),
    ...(notice ? { notice } : {}),
  });
}

void (async () => {
  const [server, token] = await Promise.all([host.serverUrl(), host.getToken()]);
  if (token) showDashboard(server, token);
  else await showSignIn(null);
})();
