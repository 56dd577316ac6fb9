/**
 * A local OpenID Connect provider for `npm start` and the tests: the certified `oidc-provider`
 * library (never a mock), in a plain-node child process of its own (it is ESM-only).
 *
 * Environment: OIDC_DEV_PORT (0: a free one), OIDC_DEV_CLIENT_ID, OIDC_DEV_CLIENT_SECRET,
 * OIDC_DEV_REDIRECT_URIS (comma-separated). It prints one line `oidc-dev-provider listening <issuer>`
 * on stdout once it answers.
 *
 * Its sign-in page is deliberately simple and honest about being a demo: it lists the demo people and
 * signs in the one chosen (no password): a form POST of `login=<name>` to `/interaction/<uid>/login`,
 * which a test submits as a browser would. Consent is granted with the login (one first-party client).
 *
 * Test-only controls (loopback, this process only): `POST /dev/people/<login>/groups` with a JSON
 * array replaces that person's groups claim; `POST /dev/people/<login>/revoke` destroys every grant
 * of that person, so the provider refuses their refresh tokens (invalid_grant);
 * `POST /dev/people/<login>/create` with `{name, email, groups}` adds a person.
 */
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

/** The demo people: login → claims. Dana is in `engineering`; Sam in `facilities-staff` (staff in npm start). */
const people = new Map([
  ['dana', { name: 'Dana Demo', email: 'dana@example.test', groups: ['engineering'] }],
  ['sam', { name: 'Sam Staffer', email: 'sam@example.test', groups: ['facilities-staff'] }],
]);
/** Grant ids by login, for the revoke control. */
const grants = new Map();

const port = Number(process.env.OIDC_DEV_PORT ?? 0);
const server = createServer();
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const address = server.address();
const issuer = `http://127.0.0.1:${address.port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_DEV_CLIENT_ID ?? 'booking',
      client_secret: process.env.OIDC_DEV_CLIENT_SECRET ?? 'booking-dev-secret',
      redirect_uris: (process.env.OIDC_DEV_REDIRECT_URIS ?? 'http://127.0.0.1:8080/api/auth/oidc/callback').split(','),
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ],
  // The groups claim travels with `openid`, as Keycloak's and Entra ID's group mappers put it in the ID token.
  claims: { openid: ['sub', 'groups'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['oidc-dev-provider-cookie-key-0123456789'] },
  async findAccount(_ctx, sub) {
    const person = people.get(sub);
    if (!person) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, name: person.name, email: person.email, email_verified: true, groups: [...person.groups] };
      },
    };
  },
});
provider.proxy = false;

const escape = (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

async function loginPage(req, res, uid) {
  await provider.interactionDetails(req, res);
  const options = [...people]
    .map(
      ([login, p]) =>
        `<li><button name="login" value="${login}">${escape(p.name)} (${escape(p.groups.join(', '))})</button></li>`,
    )
    .join('');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!doctype html><html lang="en"><title>Demo sign-in</title><h1>Demo sign-in (local provider)</h1>` +
      `<form method="post" action="/interaction/${escape(uid)}/login"><ul>${options}</ul></form></html>`,
  );
}

async function login(req, res) {
  const details = await provider.interactionDetails(req, res);
  const accountId = new URLSearchParams(await readBody(req)).get('login') ?? '';
  if (!people.has(accountId)) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end('no such demo person');
    return;
  }
  const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  grant.addOIDCScope(String(details.params.scope ?? 'openid'));
  const grantId = await grant.save();
  grants.set(accountId, [...(grants.get(accountId) ?? []), grantId]);
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

async function devControl(req, res, login, action) {
  if (action === 'create') people.set(login, JSON.parse(await readBody(req)));
  const person = people.get(login);
  if (!person) {
    res.writeHead(404).end();
    return;
  }
  if (action === 'groups') person.groups = JSON.parse(await readBody(req));
  if (action === 'revoke') {
    for (const id of grants.get(login) ?? []) await (await provider.Grant.find(id))?.destroy();
    grants.delete(login);
  }
  res.writeHead(204).end();
}

const callback = provider.callback();
server.on('request', (req, res) => {
  const url = new URL(req.url ?? '/', issuer);
  const interaction = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
  const dev = /^\/dev\/people\/([^/]+)\/(groups|revoke|create)$/.exec(url.pathname);
  const handle = async () => {
    if (interaction && req.method === 'GET' && !interaction[2]) return loginPage(req, res, interaction[1]);
    if (interaction && req.method === 'POST' && interaction[2]) return login(req, res);
    if (dev && req.method === 'POST') return devControl(req, res, dev[1], dev[2]);
    return callback(req, res);
  };
  handle().catch((err) => {
    if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(String(err?.message ?? err));
  });
});

process.stdout.write(`oidc-dev-provider listening ${issuer}\n`);
// Ends with its parent: stdin closes when the parent goes.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
