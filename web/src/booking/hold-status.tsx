/**
 * Under the selection: how the hold on it stands. While it is being held, that it is; once held, a
 * countdown to its end ("Held for you for 9:41", every second, not announced each second: the live
 * line below says it once when the hold starts and once when one minute is left); when it ran
 * out, that it did and "Hold it again"; when someone else has the time, "Join the waitlist" (the
 * panel's error line says why).
 */
import { holdExpiredSentence } from '@booking/client';
import { countdown, useSecondTick } from './countdown';
import { formatTime } from './local-grid';
import type { HoldState } from './use-hold';
import { useT } from '../i18n';

interface Props {
  state: HoldState;
  zone: string;
  /** The hold failed because the time is taken: offer the waitlist. */
  taken: boolean;
  disabled: boolean;
  onHoldAgain(): void;
  onJoinWaitlist(): void;
}

/** The one-minute warning is said once, from this many ms before the end. */
const LAST_MINUTE_MS = 60_000;

export function HoldStatus({ state, zone, taken, disabled, onHoldAgain, onJoinWaitlist }: Props) {
  const now = useSecondTick(state.kind === 'held');
  const end = state.kind === 'held' ? Date.parse(state.booking.expiresAt ?? '') : NaN;
  const left = end - now;
  const { t } = useT();
  // What is announced: it changes only when the hold starts, at one minute left, and when it ran out.
  const said =
    state.kind === 'held'
      ? left <= LAST_MINUTE_MS
        ? t('hold.lastMinute')
        : t('hold.heldUntil', { time: formatTime(end, zone) })
      : state.kind === 'expired'
        ? t('hold.ranOut')
        : '';
  return (
    <div className="hold-status">
      <p className="visually-hidden" aria-live="polite" data-testid="hold-announcement">
        {said}
      </p>
      {state.kind === 'holding' && <p className="muted">{t('hold.holding')}</p>}
      {state.kind === 'held' && (
        <p className="hold-countdown" data-expires-at={state.booking.expiresAt}>
          {t('hold.heldFor')} <strong>{countdown(left)}</strong>
        </p>
      )}
      {state.kind === 'expired' && (
        <p className="hold-expired">
          {holdExpiredSentence()}{' '}
          <button type="button" disabled={disabled} onClick={onHoldAgain}>
            {t('hold.again')}
          </button>
        </p>
      )}
      {taken && (
        <button type="button" className="primary" disabled={disabled} onClick={onJoinWaitlist}>
          {t('hold.joinWaitlist')}
        </button>
      )}
    </div>
  );
}
