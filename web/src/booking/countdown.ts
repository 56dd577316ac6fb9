/** Countdowns on the page: a check-in's release, a hold's or a waitlist offer's end. */
import { useEffect, useState } from 'react';

/** "4:05" (minutes:seconds) until `ms` from now; "0:00" once it has passed. */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The time now, ticking every second while `on` (a countdown is shown), else as of the last tick. */
export function useSecondTick(on: boolean): number {
  const [tick, setTick] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    setTick(Date.now());
    const timer = window.setInterval(() => setTick(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [on]);
  return tick;
}
