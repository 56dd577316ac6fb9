/**
 * OpenAPI 3.1 (HTTP) and AsyncAPI 3.0 (Socket.IO) documents, generated from the registry's zod
 * schemas with zod 4's own JSON Schema output (`z.toJSONSchema`): draft 2020-12 for OpenAPI 3.1
 * (its Schema Object is that dialect), draft-07 for AsyncAPI 3.0 (its default schema format is a
 * superset of draft-07). Payloads are described as clients send them (`io: "input"`), answers as
 * the server sends them.
 */
import { z } from 'zod';
import { ErrorCode, HTTP_STATUS } from '@booking/shared';
import { adminCommands, adminEvents, rootCommands, rootEvents } from './api.registry';
import { displayCommands, displayEvents } from './api.displays';
import type { CommandDoc, EventDoc } from './api.registry';
import { httpRoutes } from './api.routes';
import type { RouteDoc } from './api.routes';
import { ErrorBodyOut, ErrorCodeSchema, HttpErrorOut } from './wire.schemas';

export const API_VERSION = '2.0.0';
type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, opts: { io: 'input' | 'output'; target: 'draft-2020-12' | 'draft-7' }): Json {
  const out: Json = { ...z.toJSONSchema(schema, { io: opts.io, target: opts.target, unrepresentable: 'any' }) };
  delete out.$schema;
  return out;
}

/** `/api/calendar/feeds/:file` → `/api/calendar/feeds/{file}` */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

export function buildOpenApi(): Json {
  const d = { io: 'input', target: 'draft-2020-12' } as const;
  const o = { io: 'output', target: 'draft-2020-12' } as const;
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of httpRoutes) {
    const path = openApiPath(route.path);
    const item = (paths[path] ??= {});
    item[route.method] = operation(route);
  }
  function operation(route: RouteDoc): Json {
    const responses: Record<string, Json> = {};
    responses[String(route.ok.status)] = {
      description: route.ok.description,
      ...(route.ok.schema
        ? { content: { 'application/json': { schema: jsonSchema(route.ok.schema, o) } } }
        : route.ok.contentType
          ? { content: { [route.ok.contentType]: { schema: { type: 'string' } } } }
          : {}),
    };
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of [...route.errors, ErrorCode.INTERNAL])
      byStatus.set(HTTP_STATUS[code], [...(byStatus.get(HTTP_STATUS[code]) ?? []), code]);
    for (const [status, codes] of byStatus) {
      responses[String(status)] = {
        description: codes.join(' / '),
        ...(codes.includes(ErrorCode.RATE_LIMITED)
          ? { headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } } }
          : {}),
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
            examples: Object.fromEntries(codes.map((c) => [c, { value: { error: { code: c, message: '…' } } }])),
          },
        },
      };
    }
    const params: Json[] = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    // (v3) The example's query and headers as documented parameters (with their example values).
    for (const [where, values] of [
      ['query', route.example?.query],
      ['header', route.example?.headers],
    ] as const)
      for (const [name, example] of Object.entries(values ?? {}))
        params.push({
          name,
          in: where,
          required: where === 'header' ? false : name !== 'limit',
          schema: { type: 'string' },
          example,
        });
    const body = route.example?.body === undefined ? {} : { example: route.example.body };
    return {
      operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: route.summary,
      ...(route.auth === 'user' || route.auth === 'staff'
        ? { security: [{ bearer: [] }] }
        : route.auth === 'metrics'
          ? { security: [{}, { metricsToken: [] }] }
          : { security: [] }),
      ...(route.auth === 'staff' ? { description: 'Staff only.' } : {}),
      ...(route.scope
        ? { description: `People, or API keys (\`Bearer bk_…\`) with the scope \`${route.scope}\`.` }
        : {}),
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(route.body, d), ...body } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Booking server HTTP API',
      version: API_VERSION,
      description:
        'Generated from the shared zod schemas. Errors are `{"error": {code, message, details?}}`. The real-time API is in `/api/asyncapi.json`.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: jsonSchema(HttpErrorOut, o), ErrorCode: jsonSchema(ErrorCodeSchema, o) },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The token of `/api/auth/login`' },
        metricsToken: { type: 'http', scheme: 'bearer', description: '`METRICS_TOKEN`' },
      },
    },
  };
}

/** A message key in AsyncAPI (component-key safe): `booking:create` → `booking_create`. */
export const messageKey = (event: string) => event.replace(/[^A-Za-z0-9]/g, '_');

interface Namespace {
  key: 'root' | 'admin' | 'display';
  address: '/' | '/admin' | '/display';
  description: string;
  commands: Record<string, CommandDoc>;
  events: Record<string, EventDoc>;
}

const NAMESPACES: Namespace[] = [
  { key: 'root', address: '/', description: 'Every signed-in user.', commands: rootCommands, events: rootEvents },
  {
    key: 'admin',
    address: '/admin',
    description: 'Staff only (`connect_error` `FORBIDDEN` otherwise).',
    commands: adminCommands,
    events: adminEvents,
  },
  {
    key: 'display',
    address: '/display',
    description:
      '(v3) A room display, signed in with the token of its URL fragment (`display:create`): ' +
      '`io(url + "/display", {auth: {displayToken}})`; a missing, unknown or revoked token fails with ' +
      '`connect_error` `UNAUTHORIZED`, and a revoked display is disconnected within 5 seconds.',
    commands: displayCommands,
    events: displayEvents,
  },
];

const COMMON_ERRORS: readonly ErrorCode[] = [ErrorCode.VALIDATION_ERROR, ErrorCode.RATE_LIMITED, ErrorCode.INTERNAL];

export function buildAsyncApi(): Json {
  const d = { io: 'input', target: 'draft-7' } as const;
  const o = { io: 'output', target: 'draft-7' } as const;
  const channels: Json = {};
  const operations: Json = {};
  for (const ns of NAMESPACES) {
    const messages: Json = {};
    for (const [event, doc] of Object.entries(ns.commands)) {
      const key = messageKey(event);
      const codes = [...new Set([...doc.errors, ...COMMON_ERRORS])];
      messages[key] = {
        name: event,
        title: event,
        summary: doc.summary,
        payload: jsonSchema(doc.payload, d),
        examples: [{ name: 'example', payload: doc.example }],
        'x-errors': codes,
      };
      messages[`${key}_ack`] = {
        name: `${event} ack`,
        title: `${event} ack`,
        summary: `The ack of ${event}: {ok: true, data} or {ok: false, error} with one of ${codes.join(', ')}.`,
        payload: {
          oneOf: [
            {
              type: 'object',
              properties: { ok: { const: true }, data: jsonSchema(doc.data, o) },
              required: ['ok', 'data'],
              additionalProperties: false,
            },
            {
              type: 'object',
              properties: {
                ok: { const: false },
                error: { ...jsonSchema(ErrorBodyOut, o), properties: { ...errorProps(), code: { enum: codes } } },
              },
              required: ['ok', 'error'],
              additionalProperties: false,
            },
          ],
        },
      };
      operations[`${ns.key}_${key}`] = {
        action: 'receive',
        title: event,
        summary: doc.summary,
        description: `\`socket.emit("${event}", payload, ack)\` on \`${ns.address}\`.`,
        channel: { $ref: `#/channels/${ns.key}` },
        messages: [{ $ref: `#/channels/${ns.key}/messages/${key}` }],
        reply: {
          channel: { $ref: `#/channels/${ns.key}` },
          messages: [{ $ref: `#/channels/${ns.key}/messages/${key}_ack` }],
        },
      };
    }
    for (const [event, doc] of Object.entries(ns.events)) {
      const key = `${messageKey(event)}_event`;
      messages[key] = { name: event, title: event, summary: doc.summary, payload: jsonSchema(doc.payload, o) };
      operations[`${ns.key}_${key}`] = {
        action: 'send',
        title: event,
        summary: doc.summary,
        channel: { $ref: `#/channels/${ns.key}` },
        messages: [{ $ref: `#/channels/${ns.key}/messages/${key}` }],
      };
    }
    channels[ns.key] = {
      address: ns.address,
      title: `Namespace ${ns.address}`,
      description:
        ns.key === 'display'
          ? ns.description
          : `${ns.description} Connect with \`io(url + "${ns.address === '/' ? '' : ns.address}", {auth: {token}})\`; ` +
            'a bad token fails with `connect_error` `UNAUTHORIZED`.',
      messages,
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Booking server Socket.IO API',
      version: API_VERSION,
      description:
        'Socket.IO v4 namespaces. Every command is `socket.emit(event, payload, ack)` with one payload object; ' +
        'the ack gets `{ok: true, data}` or `{ok: false, error: {code, message, details?}}`. ' +
        `Error codes: ${Object.values(ErrorCode).join(', ')}. Generated from the shared zod schemas.`,
    },
    defaultContentType: 'application/json',
    servers: {
      node: {
        host: 'localhost:3000',
        protocol: 'ws',
        description: 'A node or the gateway (Socket.IO over websocket, path `/socket.io/`).',
      },
    },
    channels,
    operations,
    components: { schemas: { ErrorBody: jsonSchema(ErrorBodyOut, o), ErrorCode: jsonSchema(ErrorCodeSchema, o) } },
  };
}

function errorProps(): Json {
  const schema = jsonSchema(ErrorBodyOut, { io: 'output', target: 'draft-7' });
  const props = schema.properties;
  return props && typeof props === 'object' ? { ...props } : {};
}
