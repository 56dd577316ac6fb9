/**
 * The verification mail sender (EMAIL_VERIFICATION=required), in the notifier next to the other
 * mail. The request is durable in MongoDB (`verifyMail` on the user, written with the account or
 * by a resend, auth/email-verification.store.ts); every pass claims the waiting requests one by
 * one (a fresh one-time token each, in the claiming write), mails the link `PUBLIC_URL/#verify=
 * <token>` and clears the request only once SMTP accepted it. A transient failure leaves the claim
 * to lapse (`VERIFY_CLAIM_MS`) and the next pass tries again; a permanent refusal (5xx), or
 * `MAX_ATTEMPTS` failures, drops the request (the person can ask again from the page).
 *
 * Passes run every `intervalMs` (default 1 s: one indexed query on a sparse index, which only the
 * few waiting users are in) and never overlap.
 */
import type { Locale } from '@booking/shared';
import type { Clock } from '../infra/clock';
import { serverTranslator } from '../i18n';
import type { ServerTranslator } from '../i18n';
import type { Logger } from '../infra/logger';
import { isPermanentSmtpError } from '../infra/mailer';
import type { MailMessage, Mailer } from '../infra/mailer';
import type { EmailVerificationStore, VerificationClaim } from '../auth/email-verification.store';
import { TUNABLES } from '../infra/tunables';

/** Attempts of one request before it is dropped. */
export const MAX_ATTEMPTS = 20;

export interface VerificationMailer {
  /** One pass now (coalesced with a running one); resolves with the mails sent. */
  pass(): Promise<number>;
  stop(): Promise<void>;
}

/** The link's form: the page reads the fragment (never sent to a server or its logs) and posts it. */
export const verificationLink = (publicUrl: string, token: string): string => `${publicUrl}/#verify=${token}`;

/** The mail in the person's language (`en` when absent). */
export function renderVerificationMail(opts: {
  name: string;
  email: string;
  link: string;
  locale?: Locale;
}): MailMessage {
  const tr = serverTranslator(opts.locale ?? 'en');
  const t: ServerTranslator['t'] = (key, values) => tr.t(key, values);
  return {
    to: opts.email,
    subject: t('verify.subject'),
    headers: { 'X-Booking-Kind': 'email.verify' },
    text: [
      t('mail.hello', { name: opts.name }),
      '',
      t('verify.intro'),
      opts.link,
      '',
      t('verify.note'),
      t('verify.ignore'),
    ].join('\n'),
    html: [
      `<!doctype html><html lang="${tr.locale}"><body style="font-family:sans-serif">`,
      `<p>${escapeHtml(t('mail.hello', { name: opts.name }))}</p>`,
      `<p>${escapeHtml(t('verify.introHtml'))}</p>`,
      `<p><a href="${escapeHtml(opts.link)}">${escapeHtml(t('verify.button'))}</a></p>`,
      `<p>${escapeHtml(t('verify.note'))} ${escapeHtml(t('verify.ignore'))}</p>`,
      '</body></html>',
    ].join(''),
  };
}

export function startVerificationMailer(opts: {
  verification: EmailVerificationStore;
  mailer: Mailer;
  publicUrl: string;
  clock: Clock;
  logger: Logger;
  intervalMs?: number;
}): VerificationMailer {
  const log = opts.logger.child({ part: 'verification-mailer' });
  let running: Promise<number> | null = null;

  const sendOne = async (claim: VerificationClaim): Promise<boolean> => {
    const mail = renderVerificationMail({
      name: claim.name,
      email: claim.email,
      locale: claim.locale,
      link: verificationLink(opts.publicUrl, claim.token),
    });
    try {
      await opts.mailer.send(mail);
    } catch (err) {
      const permanent = isPermanentSmtpError(err);
      if (permanent || claim.attempts >= MAX_ATTEMPTS) {
        log.error({ userId: claim.userId, attempts: claim.attempts, permanent }, 'verification mail given up');
        await opts.verification.drop(claim.userId);
      } else {
        log.warn(
          { userId: claim.userId, attempts: claim.attempts, err: err instanceof Error ? err.message : String(err) },
          'verification mail failed; will retry',
        );
      }
      return false;
    }
    await opts.verification.sent(claim);
    log.info({ userId: claim.userId }, 'verification mail sent');
    return true;
  };

  const run = async (): Promise<number> => {
    let sent = 0;
    // Bounded, so one pass never runs away; what is left waits for the next.
    for (let i = 0; i < 100; i += 1) {
      const claim = await opts.verification.claim(opts.clock.now());
      if (!claim) break;
      if (await sendOne(claim)) sent += 1;
    }
    return sent;
  };
  const pass = (): Promise<number> => {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    pass().catch((err: unknown) => log.warn({ err }, 'verification pass failed'));
  }, opts.intervalMs ?? TUNABLES.verificationMailIntervalMs);
  timer.unref();

  return {
    pass,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => 0);
    },
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
