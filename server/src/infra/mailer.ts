/**
 * The Mailer port and its SMTP side (nodemailer). The worker only sees `Mailer`, so a test or a
 * different transport can stand in without touching the notification code.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import nodemailer from 'nodemailer';
import type { Logger } from './logger';
import { TUNABLES } from './tunables';

/** One outgoing message: plain text and HTML bodies, optional headers and attachments. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  attachments?: Array<{ filename: string; content: string; contentType: string }>;
}

export interface Mailer {
  /** Resolves once the SMTP server accepted the message; rejects with the server's error. */
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

/** Whether an SMTP error is a permanent refusal (5xx) rather than a transient one. */
export function isPermanentSmtpError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code: unknown = Reflect.get(err, 'responseCode');
  return typeof code === 'number' && code >= 500 && code < 600;
}

export function createSmtpMailer(opts: {
  /** `smtp://host:port` or `smtps://…` (SMTP_URL). */
  url: string;
  /** The sender (MAIL_FROM). */
  from: string;
  logger: Logger;
  /** Pooled connections kept open to the server (default 1). */
  maxConnections?: number;
  /** A send still unsettled after this long fails and the pool is rebuilt (default 30 s). */
  sendTimeoutMs?: number;
}): Mailer {
  const u = new URL(opts.url);
  const build = () =>
    nodemailer.createTransport({
      host: u.hostname,
      port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 25)),
      secure: u.protocol === 'smtps:',
      ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
      // A local catcher or relay on plain smtp:// may advertise STARTTLS with a self-signed cert.
      tls: { rejectUnauthorized: u.hostname !== '127.0.0.1' && u.hostname !== 'localhost' },
      // Pooled: servers delay their greeting (smtp-server by 100 ms), so a connection per message
      // would cap throughput at a few messages a second.
      pool: true,
      maxConnections: opts.maxConnections ?? 1,
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 15_000,
      // Plain SMTP gets a socket with Nagle off: SMTP is a chain of small request/reply writes,
      // and Nagle plus delayed ACKs cost ~40 ms per message (measured: 50 ms → 6 ms per send).
      ...(u.protocol === 'smtp:' ? { getSocket: noDelaySocket } : {}),
    });
  let transport = build();
  const sendTimeoutMs = opts.sendTimeoutMs ?? TUNABLES.smtpSendTimeoutMs;
  return {
    async send(message) {
      const used = transport;
      let timer: NodeJS.Timeout | undefined;
      // Last line of defence: a send that never settles must not hold the worker's send slot
      // forever. It counts as failed (the job retries) and the pool is rebuilt.
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          opts.logger.warn({ sendTimeoutMs }, 'SMTP send did not settle; rebuilding the transport');
          if (transport === used) {
            transport = build();
            used.close();
          }
          reject(new Error(`SMTP send timed out after ${sendTimeoutMs} ms`));
        }, sendTimeoutMs);
      });
      try {
        const info = await Promise.race([
          used.sendMail({
            from: opts.from,
            to: message.to,
            subject: message.subject,
            text: message.text,
            html: message.html,
            ...(message.headers ? { headers: message.headers } : {}),
            ...(message.attachments ? { attachments: message.attachments } : {}),
          }),
          timeout,
        ]);
        return { messageId: String(info.messageId) };
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      transport.close();
    },
  };
}

/**
 * nodemailer's `getSocket` hook: an already connected TCP socket with `setNoDelay(true)`. When
 * the connect fails it answers "no socket", so nodemailer connects by itself and fails through
 * its usual path: an error from this hook would leave the pool's queued message without an
 * answer (nodemailer 7 only reports connection errors raised by its own socket).
 */
function noDelaySocket(
  options: { host?: string; port?: number },
  callback: (err: Error | null, socketOptions: { connection: Socket } | false) => void,
): void {
  const socket = connect({ host: options.host ?? '127.0.0.1', port: options.port ?? 25, noDelay: true });
  const timer = setTimeout(() => socket.destroy(new Error('SMTP connection timed out')), 5000);
  const onError = () => {
    clearTimeout(timer);
    callback(null, false);
  };
  socket.once('error', onError);
  socket.once('connect', () => {
    clearTimeout(timer);
    socket.off('error', onError);
    callback(null, { connection: socket });
  });
}
