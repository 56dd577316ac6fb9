/** The HTTP API of a node, in mount order (the docs test lists every route it serves). */
import type { Router } from 'express';
import { createAuthLimits } from '../auth/auth.limits';
import { authRouter } from '../auth/auth.routes';
import type { AuthService } from '../auth/auth.service';
import { oidcRouter } from '../auth/oidc.routes';
import type { OidcService } from '../auth/oidc.service';
import { accountRouter } from '../auth/account.routes';
import type { AccountService } from '../auth/account.service';
import { calendarRouter } from '../calendar/calendar.routes';
import type { CalendarService } from '../calendar/calendar.service';
import { docsRouter } from '../docs/docs.routes';
import type { RedisNames } from '../infra/channels';
import type { Config } from '../infra/config';
import type { RedisClient } from '../infra/redis';
import { resourceRouter } from '../resources/resource.routes';
import type { ResourceService } from '../resources/resource.service';
import { bookingRestRouter } from '../integrations/rest/booking.routes';
import type { BookingRestDeps } from '../integrations/rest/booking.routes';
import { reportRouter } from '../reports/report.routes';
import type { ReportRouterDeps } from '../reports/report.routes';
import { webhookRouter } from '../integrations/webhooks/webhook.routes';
import type { WebhookRouterDeps } from '../integrations/webhooks/webhook.routes';

export function nodeRouters(deps: {
  config: Pick<Config, 'limits' | 'passwordAuth'>;
  redis: RedisClient;
  names: RedisNames;
  auth: AuthService;
  oidc: OidcService | null;
  account: AccountService;
  resources: ResourceService;
  calendar: CalendarService;
  /** (v3) The HTTP booking API (people and API keys). */
  bookingsRest: BookingRestDeps;
  /** (v3) Reports: everything but who may call, which the node decides. */
  reports: Omit<ReportRouterDeps, 'resources'>;
  /** (v3) Webhook endpoints over HTTP. */
  webhooks: WebhookRouterDeps;
}): Router[] {
  const { auth, config } = deps;
  const limits = createAuthLimits({
    redis: deps.redis,
    names: deps.names,
    loginPerAddress: config.limits.loginPerAddress,
    registerPerAddress: config.limits.registerPerAddress,
  });
  return [
    authRouter(auth, limits),
    oidcRouter({ auth, oidc: deps.oidc, passwordAuth: config.passwordAuth, limits }),
    accountRouter({ auth, account: deps.account }),
    resourceRouter({ auth, resources: deps.resources, apiAccess: deps.bookingsRest.access }),
    bookingRestRouter(deps.bookingsRest),
    calendarRouter({ auth, calendar: deps.calendar }),
    reportRouter({ ...deps.reports, resources: deps.resources }),
    webhookRouter(deps.webhooks),
    docsRouter(),
  ];
}
