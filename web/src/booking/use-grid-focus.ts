/**
 * The availability grid's focus and scrolling: the focused cell (the roving tab stop), the cell
 * elements by `col:row`, the first scroll to the working day (once), the focus following the
 * keyboard, and the end of a drag on any pointer release.
 */
import { useEffect, useRef, useState } from 'react';
import type { Dispatch, MutableRefObject, SetStateAction } from 'react';

export interface GridFocus {
  focus: { col: number; row: number };
  setFocus: Dispatch<SetStateAction<{ col: number; row: number }>>;
  /** The focused column, kept inside the grid. */
  col: number;
  cells: MutableRefObject<Map<string, HTMLDivElement>>;
  /** Set before a keyboard move: the next render moves the browser's focus to the new cell. */
  moveFocus: MutableRefObject<boolean>;
  /** True while a drag that started on a free cell goes on. */
  dragging: MutableRefObject<boolean>;
}

export function useGridFocus(cols: number, initialRow: () => number): GridFocus {
  const [focus, setFocus] = useState(() => ({ col: 0, row: initialRow() }));
  const dragging = useRef(false);
  const cells = useRef(new Map<string, HTMLDivElement>());
  const moveFocus = useRef(false);
  const scrolled = useRef(false);
  const col = Math.min(focus.col, cols - 1);

  useEffect(() => {
    const stop = () => {
      dragging.current = false;
    };
    window.addEventListener('pointerup', stop);
    return () => window.removeEventListener('pointerup', stop);
  }, []);

  // Show the working day first, once; afterwards the focused cell follows the keyboard.
  useEffect(() => {
    if (scrolled.current) return;
    const el = cells.current.get(`0:${focus.row}`);
    const box = el?.closest('.grid-scroll');
    if (el && box instanceof HTMLElement) {
      const header = box.querySelector('[role=columnheader]');
      box.scrollTop = el.offsetTop - (header instanceof HTMLElement ? header.offsetHeight : 40);
      scrolled.current = true;
    }
  });

  useEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    const el = cells.current.get(`${col}:${focus.row}`);
    el?.focus();
    el?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [col, focus.row]);

  return { focus, setFocus, col, cells, moveFocus, dragging };
}
