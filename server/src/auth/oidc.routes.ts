/**
 * (v3) Which sign-in buttons to show, and single sign-on's HTTP steps (docs/protocol.md "Single
 * sign-on"): login → the provider → callback → the page, which trades the one-time code from the
 * URL fragment for a session token (`exchange`). The fragment never reaches a server log.
 */
import { Router } from 'express';
import type { Response } from 'express';
import { ErrorCode, OidcExchangeBody, pickLocale } from '@booking/shared';
import type { AuthConfig } from '@booking/shared';
import { AppError } from '../infra/errors';
import { parseOrThrow } from '../infra/http-kit';
import type { AuthLimits } from './auth.limits';
import type { AuthService } from './auth.service';
import { SignInFailed } from './oidc.service';
import type { OidcService, SignInFailure } from './oidc.service';
import { serverTranslator } from '../i18n';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page with one sentence and a way back, in the browser's language; never a stack. */
function failurePage(res: Response, status: number, sentence: SignInFailure, acceptLanguage: string | undefined): void {
  const tr = serverTranslator(pickLocale(acceptLanguage));
  const title = escapeHtml(tr.t('sso.failed'));
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="${tr.locale}"><head><meta charset="utf-8"><title>${title}</title></head>` +
        `<body><main><h1>${title}</h1><p>${escapeHtml(tr.t(sentence))}</p>` +
        `<p><a href="/">${escapeHtml(tr.t('sso.back'))}</a></p></main></body></html>`,
    );
}

export function oidcRouter(deps: {
  auth: AuthService;
  oidc: OidcService | null;
  passwordAuth: boolean;
  limits: Pick<AuthLimits, 'beforeSsoStart'>;
}): Router {
  const { auth, oidc } = deps;
  const router = Router();
  router.get('/api/auth/config', (_req, res) => {
    const body: AuthConfig = { password: deps.passwordAuth, oidc: oidc ? { name: oidc.name } : null };
    res.status(200).json(body);
  });
  const configured = (): OidcService => {
    if (!oidc) throw new AppError(ErrorCode.NOT_FOUND, 'single sign-on is not configured');
    return oidc;
  };
  router.get('/api/auth/oidc/login', async (req, res) => {
    const sso = configured();
    await deps.limits.beforeSsoStart(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    res.redirect(302, await sso.loginUrl(req.query.returnTo));
  });
  router.get('/api/auth/oidc/callback', async (req, res) => {
    try {
      res.redirect(302, await configured().callback(req.originalUrl, req.get('accept-language')));
    } catch (err) {
      if (!(err instanceof SignInFailed)) throw err;
      failurePage(res, err.status, err.sentence, req.get('accept-language'));
    }
  });
  router.post('/api/auth/oidc/exchange', async (req, res) => {
    const { code } = parseOrThrow(OidcExchangeBody, req.body);
    res.status(200).json(await auth.signIn(await configured().exchange(code)));
  });
  return router;
}
