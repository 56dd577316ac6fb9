/** What the display derives from a `display:state` and the server's clock: pure, no DOM. */
import type { DisplayState } from '@booking/shared';
import type { DisplayKey } from './i18n';

/** The walk-in lengths the display offers (minutes). */
export const BOOK_NOW_MINUTES = [15, 30, 60] as const;
/** How much "Extend" adds (minutes). */
export const EXTEND_MINUTES = 15;

/**
 * The server's clock as seen from here: the state's `at` (server time) plus the time elapsed
 * locally since it arrived. The device's own clock may be wrong; only its progress is trusted.
 */
export class ServerClock {
  private offsetMs = 0;

  /** Call when a state arrives: offset = state.at − local now at receipt. */
  sync(at: string, localNowMs: number): void {
    const server = Date.parse(at);
    if (Number.isFinite(server)) this.offsetMs = server - localNowMs;
  }

  now(localNowMs: number): number {
    return localNowMs + this.offsetMs;
  }
}

export const STATE_WORD_KEYS = {
  free: 'display.state.free',
  'awaiting-check-in': 'display.state.awaiting',
  'in-use': 'display.state.inUse',
  closed: 'display.state.closed',
} as const satisfies Record<DisplayState['state'], DisplayKey>;

/** The walk-in lengths that end by `freeUntil` (all of them when free for the rest of the day). */
export function bookNowChoices(state: DisplayState, nowMs: number): number[] {
  if (state.state !== 'free') return [];
  const until = state.freeUntil === null ? Infinity : Date.parse(state.freeUntil);
  return BOOK_NOW_MINUTES.filter((m) => nowMs + m * 60_000 <= until);
}

/** Milliseconds left until `iso` (never negative). */
export function msUntil(iso: string, nowMs: number): number {
  return Math.max(0, Date.parse(iso) - nowMs);
}

/** `m:ss` for a countdown. */
export function countdownText(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Whole minutes left (rounded down), for "ends in N minutes". */
export function wholeMinutes(ms: number): number {
  return Math.floor(ms / 60_000);
}
