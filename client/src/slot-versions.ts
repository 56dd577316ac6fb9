/**
 * The version rule both UIs apply to `slot:changed`: each event carries its resource's
 * `version`, which grows by one with every committed change. An event is applied when it is the
 * next version, ignored when it is one already seen, and a gap (a broadcast lost in a Redis
 * blip, say) means the view must be read again. `createAvailabilitySync` (the booking page)
 * uses `versionStep` directly on its availability views; the staff dashboard, whose snapshot
 * carries no versions, uses the per-resource tracker below.
 */

/** What to do with one `slot:changed`. */
export type VersionStep = 'apply' | 'ignore' | 'gap';

/** The step for an event of version `incoming` on a view at version `known`. */
export function versionStep(known: number, incoming: number): VersionStep {
  if (incoming <= known) return 'ignore';
  return incoming === known + 1 ? 'apply' : 'gap';
}

export interface SlotVersionTracker {
  /**
   * Classifies an event and moves the resource's version on `apply`. A resource with no known
   * version takes the event's as its baseline and answers `apply`; after a `gap` it has none
   * until the caller's re-read and the next event.
   */
  check(event: { resourceId: string; version: number }): VersionStep;
  /** Forgets every version (after a re-read, which carries none). */
  forget(): void;
}

export function createSlotVersionTracker(): SlotVersionTracker {
  const versions = new Map<string, number>();
  return {
    check({ resourceId, version }) {
      const known = versions.get(resourceId);
      const step = known === undefined ? 'apply' : versionStep(known, version);
      if (step === 'apply') versions.set(resourceId, version);
      if (step === 'gap') versions.delete(resourceId);
      return step;
    },
    forget() {
      versions.clear();
    },
  };
}
