/**
 * "Subscribe in your calendar": a feed URL of the signed-in user's bookings to paste into a
 * calendar program (it polls the URL), a copy button, and "Revoke all" that stops every feed
 * URL the user ever made (a leaked URL is a reader of their bookings).
 */
import { useState } from 'react';
import { createCalendarFeed, describeError, revokeCalendarFeeds } from '@booking/client';

export function CalendarSubscribe({ token }: { token: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const create = async () => {
    setBusy(true);
    const res = await createCalendarFeed({ scope: 'mine' }, { token });
    setBusy(false);
    if (res.ok) {
      setUrl(res.data.url);
      setStatus('Paste this address into your calendar program as a subscription.');
    } else setStatus(describeError(res.error));
  };
  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setStatus('Copied the address.');
    } catch {
      setStatus('Could not copy: select the address and copy it yourself.');
    }
  };
  const revoke = async () => {
    setBusy(true);
    const res = await revokeCalendarFeeds({ token });
    setBusy(false);
    if (res.ok) {
      setUrl(null);
      setStatus('Every calendar address you made stopped working.');
    } else setStatus(describeError(res.error));
  };

  return (
    <section className="panel calendar-subscribe" aria-labelledby="calendar-subscribe-title">
      <h2 id="calendar-subscribe-title">Subscribe in your calendar</h2>
      {url ? (
        <div className="feed-url">
          <label htmlFor="calendar-feed-url">Calendar address</label>
          <input id="calendar-feed-url" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void copy()}>
            Copy
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => void create()} disabled={busy}>
          Get calendar address
        </button>
      )}
      <button type="button" className="danger" onClick={() => void revoke()} disabled={busy}>
        Revoke all calendar addresses
      </button>
      <p role="status" className="hint">
        {status}
      </p>
    </section>
  );
}
