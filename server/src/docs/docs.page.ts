/**
 * `/docs`: both documents rendered as one static HTML page at start, for people. No renderer
 * script: the page is plain HTML with a same-origin stylesheet, so it works under the strict CSP
 * (no inline scripts or styles) and fetches nothing from anywhere else. Schemas and examples sit in
 * `<details>` (opened without JavaScript).
 */
type Json = Record<string, unknown>;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** Markdown's `code` spans, the only markup the summaries use. */
const text = (s: string) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');
const json = (label: string, v: unknown) =>
  `<details><summary>${esc(label)}</summary><pre>${esc(JSON.stringify(v, null, 2))}</pre></details>`;
const anchor = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-');

const tag = (label: string) => ` <span class="tag">${label}</span>`;
const article = (id: string, heading: string, body: string) =>
  `<article${id ? ` id="${id}"` : ''}><h3>${heading}</h3>${body}</article>`;
const schemaOf = (v: unknown): Json => obj(obj(obj(obj(v).content)['application/json']).schema);

function renderResponse(status: string, r: unknown): string {
  const schema = schemaOf(r);
  const shown = Object.keys(schema).length && !schema.$ref ? json('schema', schema) : '';
  return `<li><strong>${esc(status)}</strong> ${text(str(obj(r).description))}${shown}</li>`;
}

function renderOperation(path: string, method: string, o: Json): string {
  const body = schemaOf(o.requestBody);
  const responses = Object.entries(obj(o.responses)).map(([status, r]) => renderResponse(status, r));
  const secured = Array.isArray(o.security) && o.security.some((s) => Object.keys(obj(s)).length > 0);
  const heading =
    `<span class="method">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code>` +
    (secured ? tag('bearer token') : '');
  const content =
    `<p>${text(str(o.summary))} ${text(str(o.description))}</p>` +
    (Object.keys(body).length ? json('request body schema', body) : '') +
    `<ul>${responses.join('')}</ul>`;
  return article(`http-${anchor(method + path)}`, heading, content);
}

function renderHttp(openapi: Json): string {
  const http: string[] = [];
  for (const [path, item] of Object.entries(obj(openapi.paths))) {
    for (const [method, op] of Object.entries(obj(item))) http.push(renderOperation(path, method, obj(op)));
  }
  return http.join('');
}

function renderNamespace(key: string, channel: Json, operations: Json[]): string {
  const messages = obj(channel.messages);
  const mine = operations.filter((op) => str(obj(op.channel).$ref) === `#/channels/${key}`);
  const byRef = (ref: unknown) => obj(messages[str(obj(ref).$ref).split('/').at(-1) ?? '']);
  const first = (list: unknown) => (list as unknown[] | undefined)?.[0];
  const commands = mine
    .filter((op) => op.action === 'receive')
    .map((op) => {
      const msg = byRef(first(op.messages));
      const ackMsg = byRef(first(obj(op.reply).messages));
      const errors = Array.isArray(msg['x-errors'])
        ? msg['x-errors'].map((c) => `<code>${esc(String(c))}</code>`).join(' ')
        : '';
      const example = obj(first(msg.examples)).payload;
      const content =
        `<p>${text(str(msg.summary))}</p><p>Errors: ${errors}</p>` +
        `${json('payload schema', msg.payload)}${json('example payload', example)}${json('ack schema', ackMsg.payload)}`;
      return article(`ws-${anchor(key + str(msg.name))}`, `<code>${esc(str(msg.name))}</code>`, content);
    });
  const events = mine
    .filter((op) => op.action === 'send')
    .map((op) => {
      const msg = byRef(first(op.messages));
      const content = `<p>${text(str(msg.summary))}</p>${json('payload schema', msg.payload)}`;
      return article('', `<code>${esc(str(msg.name))}</code>${tag('server event')}`, content);
    });
  return (
    `<section id="ns-${key}"><h2>Namespace <code>${esc(str(channel.address))}</code></h2>` +
    `<p>${text(str(channel.description))}</p>` +
    `<h3 class="sub">Commands</h3>${commands.join('')}` +
    `<h3 class="sub">Events from the server</h3>${events.join('')}</section>`
  );
}

export function renderDocsPage(docs: { openapi: Json; asyncapi: Json }): string {
  const operations = Object.values(obj(docs.asyncapi.operations)).map(obj);
  const sockets = Object.entries(obj(docs.asyncapi.channels)).map(([key, ch]) =>
    renderNamespace(key, obj(ch), operations),
  );
  const codes = obj(obj(obj(docs.asyncapi.components).schemas).ErrorCode).enum;
  const codeList = (Array.isArray(codes) ? codes : []).map((c) => `<li><code>${esc(String(c))}</code></li>`).join('');
  const info = obj(docs.asyncapi.info);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Booking server API</title><link rel="stylesheet" href="/docs/docs.css"></head>
<body><header><h1>Booking server API</h1><p>Version ${esc(str(info.version))}.
Machine-readable: <a href="/api/openapi.json">OpenAPI 3.1</a> (HTTP) and <a href="/api/asyncapi.json">AsyncAPI 3.0</a>
(Socket.IO), both generated from the shared zod schemas.</p>
<nav aria-label="Sections"><a href="#http">HTTP</a> <a href="#ns-root">Socket.IO <code>/</code></a>
<a href="#ns-admin">Socket.IO <code>/admin</code></a> <a href="#errors">Error codes</a></nav></header>
<main><section id="http"><h2>HTTP</h2><p>${text(str(obj(docs.openapi.info).description))}</p>${renderHttp(docs.openapi)}</section>
${sockets.join('')}
<section id="errors"><h2>Error codes</h2><p>${text(str(info.description))}</p><ul>${codeList}</ul></section></main></body></html>`;
}

export const DOCS_CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 1.5rem;color:#1a1a1a;
background:#fff}
h1{margin-bottom:.25rem}h2{border-bottom:2px solid #ddd;padding-bottom:.25rem;margin-top:2.5rem}
h3{margin:.25rem 0;font-size:1.05rem}h3.sub{margin-top:1.5rem;font-size:1.15rem}
nav a{margin-right:1rem}a{color:#0b57d0}code{font-family:ui-monospace,monospace;background:#f3f3f3;padding:0 .2rem;border-radius:3px}
article{border:1px solid #ddd;border-radius:6px;padding:.75rem 1rem;margin:.75rem 0}
.method{display:inline-block;min-width:4.5rem;font-family:ui-monospace,monospace;color:#fff;background:#33577a;border-radius:3px;
padding:0 .4rem;text-align:center}
.tag{font-size:.8rem;font-weight:normal;background:#eef3e6;color:#2c4a10;border-radius:3px;padding:0 .4rem}
details{margin:.25rem 0}summary{cursor:pointer;color:#0b57d0}pre{background:#f6f8fa;padding:.5rem;overflow:auto;max-height:30rem;
font-size:.85rem}
`;
