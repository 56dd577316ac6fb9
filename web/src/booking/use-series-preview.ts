/**
 * The repeat panel's preview: each occurrence of the series marked free, taken (read with
 * `availability:get` over the whole series, 31 days per read, the protocol's limit) or against
 * the resource's rules (the shared `policyViolation`, the same check the server makes). On a
 * resource of several units an occurrence is taken where fewer than `quantity` units are free over
 * its occupancy span `[start, end + buffer)` (the reads reach a buffer past the last occurrence).
 */
import { useEffect, useState } from 'react';
import { policyViolation } from '@booking/shared';
import { policyRuleSentence } from '@booking/client';
import type { BusyInterval, OccupancyStretch, Resource } from '@booking/shared';
import { freeUnits } from './capacity';
import type { BookingCommands } from '../connection/booking-client';
import { translate } from '../i18n';

const SPAN_MS = 31 * 86_400_000;

export type Mark = { kind: 'free' } | { kind: 'taken' } | { kind: 'rule'; why: string };

interface Occurrence {
  start: Date;
  end: Date;
  nonexistent?: boolean;
}

/** Busy times over the series (null while they are read) and each occurrence's mark. */
export function useSeriesPreview(
  send: BookingCommands | null,
  resource: Resource,
  occurrences: Occurrence[],
  quantity = 1,
): { busy: BusyInterval[] | null; marks: Mark[] } {
  const [read, setRead] = useState<{ busy: BusyInterval[]; occupancy: OccupancyStretch[] } | null>(null);
  const busy = read?.busy ?? null;
  const gap = resource.policy.bufferMinutes * 60_000;
  const spanFrom = occurrences[0]?.start.getTime() ?? 0;
  const spanTo = (occurrences[occurrences.length - 1]?.end.getTime() ?? 0) + gap;

  useEffect(() => {
    if (!send || occurrences.length === 0) return;
    let stale = false;
    setRead(null);
    const reads: Array<Promise<{ busy: BusyInterval[]; occupancy: OccupancyStretch[] }>> = [];
    for (let from = spanFrom; from < spanTo; from += SPAN_MS) {
      const window = {
        resourceId: resource.id,
        from: new Date(from).toISOString(),
        to: new Date(Math.min(from + SPAN_MS, spanTo)).toISOString(),
      };
      reads.push(
        send('availability:get', window).then((a) =>
          a.ok ? { busy: a.data.busy, occupancy: a.data.occupancy ?? [] } : { busy: [], occupancy: [] },
        ),
      );
    }
    void Promise.all(reads).then((parts) => {
      if (!stale) setRead({ busy: parts.flatMap((p) => p.busy), occupancy: parts.flatMap((p) => p.occupancy) });
    });
    return () => {
      stale = true;
    };
    // The span and resource say everything the reads depend on.
  }, [send, resource.id, spanFrom, spanTo, occurrences.length]);

  const zone = resource.timeZone;
  const marks: Mark[] = occurrences.map((o) => {
    if (o.nonexistent) return { kind: 'rule', why: translate('repeat.nonexistent') };
    const rule = policyViolation({
      policy: resource.policy,
      timeZone: zone,
      start: o.start,
      end: o.end,
      now: new Date(),
      staff: false,
    });
    if (rule) return { kind: 'rule', why: policyRuleSentence(rule, resource) };
    if (resource.capacity > 1) {
      const free = freeUnits(read?.occupancy ?? [], resource.capacity, o.start.getTime(), o.end.getTime() + gap);
      return free < quantity ? { kind: 'taken' } : { kind: 'free' };
    }
    const hit = (busy ?? []).some(
      (b) => Date.parse(b.start) < o.end.getTime() + gap && o.start.getTime() - gap < Date.parse(b.end),
    );
    return hit ? { kind: 'taken' } : { kind: 'free' };
  });
  return { busy, marks };
}
