/**
 * The signed-in person's waitlist entries (protocol v3 "Waitlist"): read on every (re)connect,
 * after joining or leaving, and on a notification (an offer turns an entry `offered`).
 */
import { useCallback, useEffect, useState } from 'react';
import type { WaitlistEntry } from '@booking/shared';
import type { BookingCommands } from '../connection/booking-client';

export interface Waitlist {
  entries: WaitlistEntry[];
  reload(): void;
}

export function useWaitlist(send: BookingCommands | null, epoch: number): Waitlist {
  const [entries, setEntries] = useState<WaitlistEntry[]>([]);
  const reload = useCallback(() => {
    if (!send) return;
    void send('waitlist:mine', {}).then((answer) => {
      if (answer.ok) setEntries(answer.data.entries);
    });
  }, [send]);
  useEffect(() => {
    if (epoch > 0) reload();
  }, [reload, epoch]);
  return { entries, reload };
}
