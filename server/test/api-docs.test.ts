/**
 * The generated API documents: valid by the official parsers (@asyncapi/parser for AsyncAPI 3.0,
 * @readme/openapi-parser for OpenAPI 3.1), every event of the shared event maps and every route
 * the node serves documented, the `/docs` page served under the strict CSP, and a contract test
 * that replays every example payload of the AsyncAPI document against a live node and checks
 * each ack against the documented ack schema.
 */
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { validate as validateOpenApi } from '@readme/openapi-parser';
import Ajv from 'ajv';
import { DateTime } from 'luxon';
import { EXAMPLE_IDS } from '../src/docs/api.registry';
import { openApiPath } from '../src/docs/api.documents';
import { httpRoutes } from '../src/docs/api.routes';
import {
  connectAdmin,
  connectClient,
  createResource,
  loginStaff,
  registerUser,
  send,
  sendAdmin,
  sendRaw,
  unwrap,
} from '../../test/support/harness';
import type { ClientSocket } from '../../test/support/harness';
import { useHarness } from '../../test/support/suite';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  v && (typeof v === 'object' || typeof v === 'function') && !Array.isArray(v) ? (v as Json) : {};

const h = useHarness({ label: 'apidocs' });
let openapi: Json;
let asyncapi: Json;

beforeAll(async () => {
  openapi = obj(await (await fetch(`${h.node.url}/api/openapi.json`)).json());
  asyncapi = obj(await (await fetch(`${h.node.url}/api/asyncapi.json`)).json());
});

/**
 * A GET on a new connection: the parsers above block this process (and so the in-process node)
 * for seconds, long enough for a pooled keep-alive connection to be closed under a reused fetch.
 */
function getFresh(url: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject);
  });
}

/** The parser's input type; what it accepts is exactly what the test asks of it. */
const asDocument = (doc: Json) => doc as Exclude<Parameters<typeof validateOpenApi>[0], string>;

/** The event names of one interface of `shared/src/events.ts`, read from its source. */
function eventNames(iface: string): string[] {
  const source = readFileSync(join(__dirname, '..', '..', 'shared', 'src', 'events.ts'), 'utf8');
  const body = new RegExp(`export interface ${iface} \\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1];
  if (!body) throw new Error(`no interface ${iface}`);
  return [...body.matchAll(/^\s+'?([A-Za-z:]+)'?: /gm)].map((m) => m[1] ?? '');
}

/** Message names of one namespace's operations with the given action. */
function documented(channel: 'root' | 'admin', action: 'receive' | 'send'): string[] {
  const messages = obj(obj(obj(asyncapi.channels)[channel]).messages);
  return Object.values(obj(asyncapi.operations))
    .map(obj)
    .filter((op) => op.action === action && obj(op.channel).$ref === `#/channels/${channel}`)
    .map((op) =>
      String(
        obj(
          messages[
            String(obj((op.messages as unknown[])[0]).$ref)
              .split('/')
              .at(-1) ?? ''
          ],
        ).name,
      ),
    );
}

/** Every `[method, path]` the node's express app routes with a string path. */
function servedRoutes(): Array<[string, string]> {
  const app: unknown = h.node.app;
  const found: Array<[string, string]> = [];
  const walk = (stack: unknown) => {
    if (!Array.isArray(stack)) return;
    for (const layer of stack.map(obj)) {
      const route = obj(layer.route);
      if (typeof route.path === 'string') {
        for (const [method, on] of Object.entries(obj(route.methods)))
          if (on === true && method !== '_all') found.push([method, route.path]);
      } else walk(obj(layer.handle).stack);
    }
  };
  walk(obj(obj(app).router).stack);
  return found;
}

describe('API documents', () => {
  it('the AsyncAPI document is valid AsyncAPI 3.0 (@asyncapi/parser, no errors or warnings)', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(asyncapi));
    expect(
      diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`),
    ).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    // A broken document is refused, so the check above can fail.
    const broken = await new Parser().parse(JSON.stringify({ ...asyncapi, channels: { root: { address: 7 } } }));
    expect(broken.diagnostics.some((d) => d.severity === 0)).toBe(true);
  });

  it('the OpenAPI document is valid OpenAPI 3.1 (@readme/openapi-parser)', async () => {
    expect(openapi.openapi).toBe('3.1.0');
    const result = await validateOpenApi(asDocument(structuredClone(openapi)));
    expect(result).toMatchObject({ valid: true });
    const broken = await validateOpenApi(asDocument({ ...openapi, paths: { '/x': { get: { responses: 'none' } } } }));
    expect(broken.valid).toBe(false);
  });

  it('documents every command and server event of the shared event maps, on its namespace', () => {
    const cases: Array<[string, 'root' | 'admin', 'receive' | 'send']> = [
      ['ClientToServerEvents', 'root', 'receive'],
      ['ServerToClientEvents', 'root', 'send'],
      ['AdminClientToServerEvents', 'admin', 'receive'],
      ['AdminServerToClientEvents', 'admin', 'send'],
    ];
    for (const [iface, channel, action] of cases) {
      const names = eventNames(iface);
      expect(names.length).toBeGreaterThan(1);
      expect(documented(channel, action).sort()).toEqual([...names].sort());
    }
    expect(obj(obj(obj(asyncapi.components).schemas).ErrorCode).enum).toEqual(
      expect.arrayContaining(['VALIDATION_ERROR', 'SLOT_TAKEN', 'POLICY_VIOLATION', 'QUOTA_EXCEEDED', 'INTERNAL']),
    );
  });

  it('documents every HTTP route the node serves', () => {
    const served = servedRoutes();
    expect(served).toEqual(
      expect.arrayContaining([
        ['post', '/api/calendar/feeds'],
        ['get', '/api/resources'],
      ]),
    );
    const paths = obj(openapi.paths);
    const missing = served.filter(([method, path]) => !obj(paths[openApiPath(path)])[method]);
    expect(missing).toEqual([]);
  });

  it('serves /docs as a page without scripts, under the strict CSP', async () => {
    const res = await getFresh(`${h.node.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const html = res.body;
    expect(html).not.toMatch(/<script|style=/i);
    for (const name of [
      ...eventNames('ClientToServerEvents'),
      ...eventNames('AdminClientToServerEvents'),
      '/api/calendar/feeds',
    ])
      expect(html).toContain(name);
    expect((await getFresh(`${h.node.url}/docs/docs.css`)).headers['content-type']).toMatch(/^text\/css/);
  });

  it('every example payload, replayed against a live node, gets an ack of its documented shape', async () => {
    const staff = await loginStaff(h.node.url);
    const user = await registerUser(h.node.url, 'replay');
    const resource = await createResource(h.node.url, staff.token, 'Replay room');
    const socket: ClientSocket = await connectClient(h.node.url, user.token);
    const admin = await connectAdmin(h.node.url, staff.token);
    try {
      // Real ids and near dates in place of the examples' placeholders, so most examples succeed.
      const day = (n: number) => DateTime.utc().plus({ days: n }).toISODate() ?? '';
      const first = new Date(`${day(3)}T05:00:00Z`);
      const seed = unwrap(
        await send(socket, 'booking:createSeries', {
          resourceId: resource.id,
          start: first.toISOString(),
          end: new Date(first.getTime() + 3_600_000).toISOString(),
          repeat: { every: 'day', count: 2 },
          onConflict: 'fail',
        }),
      );
      const ids: Record<string, string> = {
        [EXAMPLE_IDS.resource]: resource.id,
        [EXAMPLE_IDS.booking]: seed.bookings[0]?.id ?? '',
        [EXAMPLE_IDS.series]: seed.seriesId,
        [EXAMPLE_IDS.user]: user.user.id,
        '2030-01-07': day(10),
        '2030-01-08': day(11),
      };
      const substitute = (v: unknown) =>
        JSON.parse(Object.entries(ids).reduce((s, [from, to]) => s.split(from).join(to), JSON.stringify(v))) as unknown;

      const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
      const outcomes: string[] = [];
      for (const channel of ['root', 'admin'] as const) {
        const messages = obj(obj(obj(asyncapi.channels)[channel]).messages);
        const ops = Object.values(obj(asyncapi.operations))
          .map(obj)
          .filter((op) => op.action === 'receive' && obj(op.channel).$ref === `#/channels/${channel}`);
        expect(ops.length).toBeGreaterThan(5);
        for (const op of ops) {
          const msg = obj(
            messages[
              String(obj((op.messages as unknown[])[0]).$ref)
                .split('/')
                .at(-1) ?? ''
            ],
          );
          const ackMsg = obj(
            messages[
              String(obj((obj(op.reply).messages as unknown[])[0]).$ref)
                .split('/')
                .at(-1) ?? ''
            ],
          );
          const examples = msg.examples as unknown[];
          expect(examples.length).toBeGreaterThan(0);
          const check = ajv.compile(obj(ackMsg.payload));
          for (const example of examples) {
            const target = channel === 'root' ? socket : (admin as unknown as ClientSocket);
            const ack = await sendRaw(target, String(msg.name), [substitute(obj(example).payload)]);
            const valid = check(ack);
            if (!valid)
              throw new Error(
                `${channel} ${String(msg.name)}: ack ${JSON.stringify(ack)} breaks the documented shape: ${ajv.errorsText(check.errors)}`,
              );
            outcomes.push(`${String(msg.name)}:${obj(ack).ok === true ? 'ok' : String(obj(obj(ack).error).code)}`);
          }
        }
      }
      // The replay reaches real work, not just refusals: most examples succeed as documented.
      const ok = outcomes.filter((o) => o.endsWith(':ok'));
      expect(ok.length).toBeGreaterThanOrEqual(outcomes.length * 0.6);
      expect(outcomes.filter((o) => o.endsWith('VALIDATION_ERROR'))).toEqual([]);
    } finally {
      socket.close();
      admin.close();
    }
  });
  it('(v3) every HTTP route example, replayed against a live node with an API key, answers as documented', async () => {
    const staff = await loginStaff(h.node.url);
    const user = await registerUser(h.node.url, 'http-replay');
    const resource = await createResource(h.node.url, staff.token, 'HTTP replay room');
    const socket: ClientSocket = await connectClient(h.node.url, user.token);
    const admin = await connectAdmin(h.node.url, staff.token);
    try {
      const day = (n: number) => DateTime.utc().plus({ days: n }).toISODate() ?? '';
      const start = new Date(`${day(3)}T05:00:00Z`);
      const seed = unwrap(
        await send(socket, 'booking:create', {
          resourceId: resource.id,
          start: start.toISOString(),
          end: new Date(start.getTime() + 3_600_000).toISOString(),
        }),
      ).booking;
      const scopes = ['bookings:read', 'bookings:write', 'resources:read'] as const;
      const { secret } = unwrap(await sendAdmin(admin, 'apiKey:create', { name: 'replay', scopes: [...scopes] }));
      const ids: Record<string, string> = {
        [EXAMPLE_IDS.resource]: resource.id,
        [EXAMPLE_IDS.booking]: seed.id,
        [EXAMPLE_IDS.user]: user.user.id,
        '2030-01-07': day(10),
        '2030-01-08': day(11),
      };
      const sub = (text: string) => Object.entries(ids).reduce((t, [from, to]) => t.split(from).join(to), text);
      const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
      const outcomes: string[] = [];
      const replayed = httpRoutes.filter((r) => r.example !== undefined && r.scope !== undefined);
      expect(replayed.length).toBeGreaterThanOrEqual(12);
      for (const route of replayed) {
        const example = route.example ?? {};
        const path = route.path.replace(':id', route.path.startsWith('/api/resources/') ? resource.id : seed.id);
        const query = new URLSearchParams(
          JSON.parse(sub(JSON.stringify(example.query ?? {}))) as Record<string, string>,
        );
        const res = await fetch(`${h.node.url}${path}${query.size > 0 ? `?${query.toString()}` : ''}`, {
          method: route.method.toUpperCase(),
          headers: {
            authorization: `Bearer ${secret}`,
            ...(example.headers ?? {}),
            ...(example.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(example.body === undefined ? {} : { body: sub(JSON.stringify(example.body)) }),
        });
        const body = obj(await res.json());
        const op = obj(obj(obj(openapi.paths)[openApiPath(route.path)])[route.method]);
        const documented = obj(obj(op.responses)[String(res.status)]);
        if (Object.keys(documented).length === 0)
          throw new Error(
            `${route.method} ${route.path}: status ${res.status} is not documented (${JSON.stringify(body)})`,
          );
        if (res.status < 300) {
          const check = ajv.compile(obj(obj(obj(documented.content)['application/json']).schema));
          if (!check(body)) throw new Error(`${route.method} ${route.path}: ${ajv.errorsText(check.errors)}`);
        }
        outcomes.push(`${route.method} ${route.path}:${res.status < 300 ? 'ok' : String(obj(body.error).code)}`);
      }
      expect(outcomes.filter((o) => o.endsWith(':ok')).length).toBeGreaterThanOrEqual(outcomes.length * 0.6);
      expect(outcomes.filter((o) => o.endsWith('VALIDATION_ERROR'))).toEqual([]);
    } finally {
      socket.close();
      admin.close();
    }
  });
});
