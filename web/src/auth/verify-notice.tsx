/**
 * Shown while the account has not confirmed its email address (`user.emailVerified === false`,
 * EMAIL_VERIFICATION=required): it may look around but not book. "Resend link" asks for a new
 * mail (the previous link stops working); the server allows 5 an hour (RATE_LIMITED).
 */
import { useState } from 'react';
import { describeError, resendVerification } from '@booking/client';
import { useT } from '../i18n';

export function VerifyNotice({ token, email }: { token: string; email: string }) {
  const [status, setStatus] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const { t } = useT();

  const resend = async () => {
    setPending(true);
    const res = await resendVerification({ token });
    setPending(false);
    if (res.ok) setStatus(t('verify.sent', { email }));
    else if (res.error.code === 'RATE_LIMITED') setStatus(t('verify.rateLimited'));
    else if (res.error.code === 'INVALID_STATE') setStatus(t('verify.already'));
    else setStatus(describeError(res.error));
  };

  return (
    <section className="banner verify" aria-labelledby="verify-title">
      <h2 id="verify-title">{t('verify.title')}</h2>
      <p>{t('verify.body', { email })}</p>
      <button type="button" disabled={pending} onClick={() => void resend()}>
        {t('verify.resend')}
      </button>
      <p role="status" className="small">
        {status}
      </p>
    </section>
  );
}
