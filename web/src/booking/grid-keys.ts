/** What a key does in the availability grid: a move of the focused cell, a choice, a clear, or nothing. */

export type GridKey = { kind: 'move'; col: number; row: number } | { kind: 'activate' } | { kind: 'clear' } | null;

/** Row and column steps of the moving keys (PageUp / PageDown move four rows). */
const STEPS: Record<string, [number, number]> = {
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  PageUp: [0, -4],
  PageDown: [0, 4],
};

/** The key's effect from the focused cell, kept inside a grid of `cols` × `rows`. */
export function gridKey(key: string, at: { col: number; row: number }, cols: number, rows: number): GridKey {
  if (key === 'Enter' || key === ' ') return { kind: 'activate' };
  if (key === 'Escape') return { kind: 'clear' };
  let { col, row } = at;
  const step = STEPS[key];
  if (step) {
    col += step[0];
    row += step[1];
  } else if (key === 'Home') row = 0;
  else if (key === 'End') row = rows - 1;
  else return null;
  return { kind: 'move', col: Math.max(0, Math.min(cols - 1, col)), row: Math.max(0, Math.min(rows - 1, row)) };
}
