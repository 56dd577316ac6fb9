/** Small helpers of the notifier's root: the options it passes on and what it logs. */
import type { WorkerOptions } from './notifications/notification.worker';

/** The lock settings the timer worker shares with the notification worker. */
export function timerLockSettings(w: Pick<WorkerOptions, 'lockDurationMs' | 'stalledIntervalMs'> | undefined): {
  lockDurationMs?: number;
  stalledIntervalMs?: number;
} {
  return {
    ...(w?.lockDurationMs ? { lockDurationMs: w.lockDurationMs } : {}),
    ...(w?.stalledIntervalMs ? { stalledIntervalMs: w.stalledIntervalMs } : {}),
  };
}

/** The SMTP URL for the log, its password redacted. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = 'redacted';
  return u.toString();
}
