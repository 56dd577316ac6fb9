/**
 * "Subscribe in your calendar": a feed URL of the signed-in user's bookings to paste into a
 * calendar program (it polls the URL), a copy button, and "Revoke all" that stops every feed
 * URL the user ever made (a leaked URL is a reader of their bookings).
 */
import { useState } from 'react';
import { createCalendarFeed, describeError, revokeCalendarFeeds } from '@booking/client';
import { useT } from '../i18n';

export function CalendarSubscribe({ token }: { token: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const { t } = useT();

  const create = async () => {
    setBusy(true);
    const res = await createCalendarFeed({ scope: 'mine' }, { token });
    setBusy(false);
    if (res.ok) {
      setUrl(res.data.url);
      setStatus(t('calendar.paste'));
    } else setStatus(describeError(res.error));
  };
  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setStatus(t('calendar.copied'));
    } catch {
      setStatus(t('calendar.copyFailed'));
    }
  };
  const revoke = async () => {
    setBusy(true);
    const res = await revokeCalendarFeeds({ token });
    setBusy(false);
    if (res.ok) {
      setUrl(null);
      setStatus(t('calendar.revoked'));
    } else setStatus(describeError(res.error));
  };

  return (
    <section className="panel calendar-subscribe" aria-labelledby="calendar-subscribe-title">
      <h2 id="calendar-subscribe-title">{t('calendar.title')}</h2>
      {url ? (
        <div className="feed-url">
          <label htmlFor="calendar-feed-url">{t('calendar.address')}</label>
          <input id="calendar-feed-url" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void copy()}>
            {t('calendar.copy')}
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => void create()} disabled={busy}>
          {t('calendar.get')}
        </button>
      )}
      <button type="button" className="danger" onClick={() => void revoke()} disabled={busy}>
        {t('calendar.revokeAll')}
      </button>
      <p role="status" className="hint">
        {status}
      </p>
    </section>
  );
}
