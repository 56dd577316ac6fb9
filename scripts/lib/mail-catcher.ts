/**
 * A local SMTP catcher for `npm start` (and the notification tests): `smtp-server` accepts every
 * message, `mailparser` parses it, the last `keep` messages stay in memory, and a small HTTP
 * server shows them: `/` lists them, `/messages/<id>` shows one, `/api/messages` is the JSON.
 *
 * Test hooks: `onRcpt` can refuse recipients (e.g. a permanent 550), and `stopSmtp` /
 * `startSmtp` take the SMTP side down and bring it back on the same port.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface CaughtMail {
  id: number;
  receivedAt: string;
  from: string;
  /** Envelope recipients. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  attachments: CaughtAttachment[];
}

export interface MailCatcherOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  smtpPort?: number;
  httpPort?: number;
  /** Messages kept (default 500, oldest dropped first). */
  keep?: number;
  /** Return an error to refuse a recipient: `{code: 550, message}` is a permanent refusal. */
  onRcpt?: (address: string) => { code: number; message: string } | null;
  /** Called with every stored message. */
  onMail?: (mail: CaughtMail) => void;
}

export interface MailCatcher {
  smtpUrl: string;
  httpUrl: string;
  smtpPort: number;
  messages(): CaughtMail[];
  clear(): void;
  /** Closes the SMTP listener and cuts its connections (the HTTP page stays up). */
  stopSmtp(): Promise<void>;
  /** Listens again on the same SMTP port. */
  startSmtp(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMailCatcher(opts: MailCatcherOptions = {}): Promise<MailCatcher> {
  const host = opts.host ?? '127.0.0.1';
  const keep = opts.keep ?? 500;
  const stored: CaughtMail[] = [];
  let seq = 0;

  const makeSmtp = (): SMTPServer =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 100,
      // A reverse DNS lookup per connection costs up to ~100 ms here and tells a local catcher nothing.
      disableReverseLookup: true,
      size: 10 * 1024 * 1024,
      onRcptTo(address, _session, callback) {
        const refusal = opts.onRcpt?.(address.address);
        if (!refusal) return callback();
        const err = new Error(refusal.message) as Error & { responseCode: number };
        err.responseCode = refusal.code;
        return callback(err);
      },
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (parsed) => {
            seq += 1;
            const headers: Record<string, string> = {};
            for (const [key, value] of parsed.headers) if (typeof value === 'string') headers[key] = value;
            const mail: CaughtMail = {
              id: seq,
              receivedAt: new Date().toISOString(),
              from: addressText(parsed.from),
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              headers,
              attachments: parsed.attachments.map((a) => ({
                filename: a.filename ?? 'attachment',
                contentType: a.contentType,
                content: a.content.toString('utf8'),
              })),
            };
            stored.push(mail);
            if (stored.length > keep) stored.splice(0, stored.length - keep);
            opts.onMail?.(mail);
            callback();
          },
          (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
        );
      },
    });

  let smtp = makeSmtp();
  const listenSmtp = (server: SMTPServer, port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      // Small request/reply writes: without this, Nagle + delayed ACKs add ~40 ms per message.
      server.server.on('connection', (socket: Socket) => socket.setNoDelay(true));
      server.listen(port, host, () => {
        server.off('error', reject);
        server.on('error', () => undefined);
        resolve((server.server.address() as AddressInfo).port);
      });
    });
  const smtpPort = await listenSmtp(smtp, opts.smtpPort ?? 0);
  let smtpUp = true;

  const http = createServer((req, res) => handle(req, res));
  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://catcher');
    if (url.pathname === '/api/messages') {
      if (req.method === 'DELETE') stored.length = 0;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ messages: [...stored].reverse() }));
      return;
    }
    const one = /^\/messages\/(\d+)$/.exec(url.pathname);
    if (one) {
      const mail = stored.find((m) => m.id === Number(one[1]));
      if (!mail) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('no such message');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(messagePage(mail));
      return;
    }
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(listPage([...stored].reverse()));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.httpPort ?? 0, host, () => resolve());
  });
  const httpPort = (http.address() as AddressInfo).port;

  const closeSmtp = (server: SMTPServer) => new Promise<void>((resolve) => server.close(() => resolve()));

  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    httpUrl: `http://${host}:${httpPort}/`,
    smtpPort,
    messages: () => [...stored],
    clear: () => {
      stored.length = 0;
    },
    async stopSmtp() {
      if (!smtpUp) return;
      smtpUp = false;
      await closeSmtp(smtp);
    },
    async startSmtp() {
      if (smtpUp) return;
      smtp = makeSmtp();
      await listenSmtp(smtp, smtpPort);
      smtpUp = true;
    },
    async stop() {
      if (smtpUp) await closeSmtp(smtp);
      smtpUp = false;
      http.closeAllConnections();
      await closeHttp(http);
    },
  };
}

function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function addressText(a: AddressObject | AddressObject[] | undefined): string {
  if (!a) return '';
  return (Array.isArray(a) ? a : [a]).map((x) => x.text).join(', ');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const style =
  '<style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 10px;text-align:left}' +
  'tr:nth-child(even){background:#f4f4f4}pre{white-space:pre-wrap}</style>';

function listPage(mails: CaughtMail[]): string {
  const rows = mails
    .map(
      (m) =>
        `<tr><td>${esc(m.receivedAt)}</td><td>${esc(m.to.join(', '))}</td>` +
        `<td><a href="/messages/${m.id}">${esc(m.subject || '(no subject)')}</a></td></tr>`,
    )
    .join('');
  return (
    '<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">' +
    `<title>Caught mail</title>${style}</head><body><h1>Caught mail (${mails.length})</h1>` +
    '<p>Newest first; refreshes every 5 s. JSON: <a href="/api/messages">/api/messages</a></p>' +
    `<table><tr><th>received</th><th>to</th><th>subject</th></tr>${rows}</table></body></html>`
  );
}

function messagePage(m: CaughtMail): string {
  const attachments = m.attachments
    .map((a) => `<h3>${esc(a.filename)} <small>${esc(a.contentType)}</small></h3><pre>${esc(a.content)}</pre>`)
    .join('');
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>${esc(m.subject)}</title>${style}</head><body>` +
    `<p><a href="/">← all mail</a></p><h1>${esc(m.subject)}</h1>` +
    `<p>From ${esc(m.from)} to ${esc(m.to.join(', '))} at ${esc(m.receivedAt)}</p><h2>HTML</h2>` +
    `<iframe sandbox="" style="width:100%;height:300px;border:1px solid #ccc" srcdoc="${esc(m.html)}"></iframe>` +
    `<h2>Text</h2><pre>${esc(m.text)}</pre>${attachments}</body></html>`
  );
}
