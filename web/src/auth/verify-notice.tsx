/**
 * Shown while the account has not confirmed its email address (`user.emailVerified === false`,
 * EMAIL_VERIFICATION=required): it may look around but not book. "Resend link" asks for a new
 * mail (the previous link stops working); the server allows 5 an hour (RATE_LIMITED).
 */
import { useState } from 'react';
import { describeError, resendVerification } from '@booking/client';

export function VerifyNotice({ token, email }: { token: string; email: string }) {
  const [status, setStatus] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const resend = async () => {
    setPending(true);
    const res = await resendVerification({ token });
    setPending(false);
    if (res.ok) setStatus(`A new link is on its way to ${email}. Only the newest link works.`);
    else if (res.error.code === 'RATE_LIMITED')
      setStatus('You asked for several links already. Please wait a while, then try again.');
    else if (res.error.code === 'INVALID_STATE')
      setStatus('Your email address is confirmed already. Reload the page to book.');
    else setStatus(describeError(res.error));
  };

  return (
    <section className="banner verify" aria-labelledby="verify-title">
      <h2 id="verify-title">Confirm your email address</h2>
      <p>
        We mailed a link to <strong>{email}</strong>. Until you open it you can look around, but not book.
      </p>
      <button type="button" disabled={pending} onClick={() => void resend()}>
        Resend link
      </button>
      <p role="status" className="small">
        {status}
      </p>
    </section>
  );
}
